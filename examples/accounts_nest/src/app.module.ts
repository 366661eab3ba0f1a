import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { WelcomeListener } from './accounts/welcome.listener';

@Module({
  imports: [EventEmitterModule.forRoot()],
  controllers: [AccountsController],
  providers: [AccountsService, WelcomeListener],
})
export class AppModule {}
