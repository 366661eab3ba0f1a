// Lambda entry point: a NestJS app behind serverless-express, bootstrapped once per environment.
import { NestFactory } from '@nestjs/core';
import serverlessExpress from '@codegenie/serverless-express';
import type { Context, Handler } from 'aws-lambda';
import { AppModule } from './app.module';

let server: Handler | undefined;

async function bootstrap(): Promise<Handler> {
  const app = await NestFactory.create(AppModule);
  await app.init();
  return serverlessExpress({ app: app.getHttpAdapter().getInstance() });
}

export const handler = async (event: unknown, context: Context) => {
  server = server ?? (await bootstrap());
  return server(event, context, () => undefined);
};
