import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Analytics } from './services/analytics';
import { Mailer } from './services/mailer';
import { SignupService, type SignupRequest } from './services/signup';

// Created once per execution environment (init code), reused by every invocation.
const mailer = new Mailer(process.env.SENDER_ADDRESS ?? 'welcome@example.com');
const signups = new SignupService(mailer);
const analytics = new Analytics(process.env.ANALYTICS_ENDPOINT ?? '');

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const requests: SignupRequest[] = event.Records.map((record) => JSON.parse(record.body));
  const fresh = requests.filter((req) => !req.returning);
  const returning = requests.filter((req) => req.returning);

  // BUG FF001: `void` quiets no-floating-promises; the handler still returns
  // before track() settles, and the environment freezes mid-request.
  void analytics.track('signup_batch_received', { size: requests.length });

  // BUG FF003: awaiting an array waits for nothing (it is not a promise); the
  // registrations are still running when the handler returns.
  await fresh.map(async (req) => {
    await signups.register(req);
  });

  // correct: Promise.all turns the array into one promise, which is awaited.
  await Promise.all(returning.map(async (req) => {
    await signups.reactivate(req);
  }));

  // correct: awaited before returning.
  await analytics.track('signup_batch_done', { fresh: fresh.length, returning: returning.length });
  return { batchItemFailures: [] };
};
