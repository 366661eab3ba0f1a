import { Body, Controller, Post } from '@nestjs/common';
import { AccountsService } from './accounts.service';

@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('register')
  async register(@Body() body: { email: string }) {
    await this.accounts.register(body.email);
    return { message: 'Registered' };
  }

  @Post('invite')
  async invite(@Body() body: { email: string }) {
    await this.accounts.invite(body.email);
    return { message: 'Invited' };
  }
}
