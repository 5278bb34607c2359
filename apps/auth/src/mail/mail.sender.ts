import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AuthSettings } from '../shared/auth-settings';

/** Sends the service's mail over SMTP_URL (nodemailer 6: CommonJS, so Jest loads it). */
@Injectable()
export class MailSender implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(@Inject(AuthSettings) private readonly settings: AuthSettings) {
    this.transport = createTransport(settings.config.SMTP_URL);
  }

  async sendMagicLink(to: string, link: string, expiresInMinutes: number): Promise<void> {
    await this.transport.sendMail({
      from: this.settings.config.MAIL_FROM,
      to,
      subject: 'Your ScriptRipper sign-in link',
      text:
        `Open this link to sign in to ScriptRipper:\n\n${link}\n\n` +
        `It works once, for ${expiresInMinutes} minutes. If you did not ask for it, ignore this mail.\n`,
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
