import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT_INVITED, ACCOUNT_REGISTERED } from './events';

const ses = new SESv2Client({});

@Injectable()
export class WelcomeListener {
  @OnEvent(ACCOUNT_REGISTERED, { async: true })
  async sendWelcome(payload: { email: string }) {
    await ses.send(new SendEmailCommand({
      FromEmailAddress: process.env.SENDER_ADDRESS,
      Destination: { ToAddresses: [payload.email] },
      Content: { Simple: { Subject: { Data: 'Welcome' }, Body: { Text: { Data: 'Hello!' } } } },
    }));
  }

  @OnEvent(ACCOUNT_INVITED)
  async sendInvite(payload: { email: string }) {
    await ses.send(new SendEmailCommand({
      FromEmailAddress: process.env.SENDER_ADDRESS,
      Destination: { ToAddresses: [payload.email] },
      Content: { Simple: { Subject: { Data: 'You are invited' }, Body: { Text: { Data: 'Join us' } } } },
    }));
  }
}
