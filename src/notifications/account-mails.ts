import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OneTimeTokens } from '../accounts/one-time-tokens';
import { findTemplatesDir } from '../common/templates-dir';
import { AppConfig } from '../config/app-config';
import { ACCOUNT_MAIL_KINDS, AccountMailKind } from '../outbox/outbox-message.entity';
import type { OutgoingMail } from './mailer';
import type { MessageDetail } from './outbox-delivery.repository';

export function isAccountMail(kind: string): kind is AccountMailKind {
  return (ACCOUNT_MAIL_KINDS as readonly string[]).includes(kind);
}

interface Compiled {
  subject: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
}

/**
 * The staff's account e-mails (invitation, forgotten password), from `templates/mail/<kind>.*.hbs`
 * and `subjects.json`. The link is rebuilt here from the token row's id in the payload: the raw token
 * is stored nowhere, not even in the outbox.
 */
@Injectable()
export class AccountMails {
  private templates: Record<AccountMailKind, Compiled> | undefined;
  private readonly messageIdDomain: string;

  constructor(
    private readonly config: AppConfig,
    private readonly tokens: OneTimeTokens,
  ) {
    this.messageIdDomain = new URL(config.publicUrl).hostname || 'rendez-vous-ess';
  }

  compose(detail: MessageDetail): OutgoingMail {
    const kind = detail.kind as AccountMailKind;
    const templates = (this.templates ??= load())[kind];
    const tokenId = String(detail.payload?.tokenId ?? '');
    const model = {
      identity: this.config.identity,
      name: detail.staffName ?? '',
      email: detail.recipient,
      link: `${this.config.publicUrl}/staff/nouveau-mot-de-passe?jeton=${this.tokens.tokenOf(tokenId)}`,
      signInUrl: `${this.config.publicUrl}/staff/connexion`,
    };
    return {
      to: { name: model.name, address: detail.recipient },
      // A header value: a name cannot break it into lines.
      subject: templates.subject(model).replace(/\s+/g, ' ').trim(),
      html: templates.html(model),
      text: templates.text(model),
      messageId: `<${detail.id}@${this.messageIdDomain}>`,
      invite: null,
    };
  }
}

function load(): Record<AccountMailKind, Compiled> {
  const dir = findTemplatesDir(__dirname, 'mail', 'layout.html.hbs');
  const html = Handlebars.create();
  const text = Handlebars.create();
  const subjects = JSON.parse(readFileSync(join(dir, 'subjects.json'), 'utf8')) as Record<string, string>;
  const compile = (kind: AccountMailKind): Compiled => ({
    subject: text.compile(subjects[kind], { strict: true, noEscape: true }),
    html: html.compile(readFileSync(join(dir, `${kind}.html.hbs`), 'utf8'), { strict: true }),
    text: text.compile(readFileSync(join(dir, `${kind}.text.hbs`), 'utf8'), { strict: true, noEscape: true }),
  });
  return { account_invitation: compile('account_invitation'), password_reset: compile('password_reset') };
}
