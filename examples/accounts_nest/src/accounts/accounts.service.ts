import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ACCOUNT_INVITED, ACCOUNT_REGISTERED } from './events';

@Injectable()
export class AccountsService {
  constructor(private readonly eventEmitter: EventEmitter2) {}

  async register(email: string) {
    // BUG FF004: emit() runs the async @OnEvent listener in welcome.listener.ts and drops its
    // promise; the controller returns, the environment freezes, and no welcome email is sent.
    this.eventEmitter.emit(ACCOUNT_REGISTERED, { email });
  }

  async invite(email: string) {
    // correct: emitAsync resolves when every listener's promise has, and it is awaited.
    await this.eventEmitter.emitAsync(ACCOUNT_INVITED, { email });
  }
}
