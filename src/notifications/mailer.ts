import { Injectable, Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import { InviteMethod } from '../ical/ical-files';

export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  /** Deterministic, so a message sent twice (a sender dying after the SMTP answer) is one message to clients. */
  messageId: string;
  invite: { method: InviteMethod; content: string } | null;
}

/**
 * Sends through SMTP_URL, or, without it, writes each message as an .eml file under DATA_DIR/mail
 * so that someone trying the service can open what would have been sent.
 */
@Injectable()
export class Mailer {
  private readonly logger = new Logger(Mailer.name);
  private readonly transport: Transporter;
  private readonly directory: string | null;

  constructor(private readonly config: AppConfig) {
    if (config.smtpUrl) {
      this.transport = createTransport(withTimeouts(config.smtpUrl));
      this.directory = null;
    } else {
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'crlf' });
      this.directory = join(config.dataDir, 'mail');
      this.logger.log(`SMTP_URL is not set: e-mails are written as .eml files to ${this.directory}`);
    }
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      // nodemailer puts the invite inline as text/calendar; method=… (which must equal the METHOD
      // inside, or Outlook and Gmail mishandle cancellations) and attaches it as invite.ics too.
      ...(mail.invite ? { icalEvent: { method: mail.invite.method, filename: 'invitation.ics', content: mail.invite.content } } : {}),
    });
    if (this.directory) {
      await mkdir(this.directory, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9@.-]/g, '')}.eml`;
      await writeFile(join(this.directory, name), (info as unknown as { message: Buffer }).message);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** A dead SMTP server must fail a send within seconds, not hang the sender: the message is retried later. */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [name, value] of [
    ['connectionTimeout', '10000'],
    ['greetingTimeout', '10000'],
    ['socketTimeout', '30000'],
  ]) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  }
  return url.toString();
}
