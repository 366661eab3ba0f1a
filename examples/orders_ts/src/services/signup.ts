import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Mailer } from './mailer';

export interface SignupRequest {
  email: string;
  name: string;
  returning?: boolean;
}

export interface Account {
  id: string;
  email: string;
  name: string;
}

const ACCOUNTS_TABLE = process.env.ACCOUNTS_TABLE ?? 'accounts';

export class SignupService {
  private readonly ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

  constructor(private readonly mailer: Mailer) {}

  async register(req: SignupRequest): Promise<Account> {
    const account = await this.store(req);
    // BUG FF001: sendWelcome is async and nothing awaits it. register() resolves,
    // the handler returns, the environment freezes: the welcome mail is lost.
    this.mailer.sendWelcome(account.email, account.name);
    return account;
  }

  async reactivate(req: SignupRequest): Promise<Account> {
    const account = await this.store(req);
    // correct: the same call as in register(), awaited.
    await this.mailer.sendWelcome(account.email, account.name);
    return account;
  }

  private async store(req: SignupRequest): Promise<Account> {
    const account: Account = { id: randomUUID(), email: req.email, name: req.name };
    await this.ddb.send(new PutCommand({ TableName: ACCOUNTS_TABLE, Item: account }));
    return account;
  }
}
