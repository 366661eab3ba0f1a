import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

// Transactional e-mail through SES.
export class Mailer {
  private readonly ses = new SESv2Client({});

  constructor(private readonly from: string) {}

  async sendWelcome(to: string, name: string): Promise<void> {
    await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: 'Welcome aboard' },
            Body: { Text: { Data: this.renderWelcome(name) } },
          },
        },
      }),
    );
  }

  // Synchronous: builds a string, nothing to await.
  renderWelcome(name: string): string {
    return `Hi ${name},\n\nyour account is ready. Your first order ships free.\n`;
  }
}
