/**
 * The service's French e-mails, rendered from `templates/mail/`.
 *
 * Layout of that folder:
 * - `layout.html.hbs`, `layout.text.hbs`: the one layout every message shares (header, greeting,
 *   manage link, invite sentence, signature, personal-data footer); the kind's body is the `body` partial.
 * - `<kind>.html.hbs`, `<kind>.text.hbs`: the body of each {@link MailKind}.
 * - `subjects.json`: one subject template per kind (Handlebars, rendered as plain text).
 * - `partials/*.html.hbs`, `partials/*.text.hbs`: blocks for one format (event details, recap…);
 *   `partials/*.hbs` without a format: plain sentences shared by both (manage label, invite, footer).
 *
 * Templates see the {@link MailContext} plus the flags built in `viewModel()` (`isWorkshop`,
 * `isCancellation`, …). HTML is compiled with Handlebars' escaping: use `{{ }}` only, never
 * `{{{ }}}`. Text and subjects are compiled with `noEscape` so names keep their characters.
 */
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemplatesDir } from '../common/templates-dir';
import type { ProgrammeIdentity } from '../config/app-config';
import { BOOKING_MAIL_KINDS, type BookingMailKind } from '../outbox/outbox-message.entity';

/** Every message the outbox records is an e-mail of that kind. */
export type MailKind = BookingMailKind;

export interface MailContext {
  kind: MailKind;
  audience: 'attendee' | 'advisor';
  recipientName: string;
  /** Who runs the programme: nothing in the templates names the CRESS or the metropolis literally. */
  identity: ProgrammeIdentity;
  /** The service's home page, where people book and register. */
  publicUrl: string;
  event: {
    type: 'permanence' | 'workshop';
    title: string;
    date: string;
    startTime: string;
    endTime: string;
    location: string;
    advisorName: string | null;
  };
  previous: { date: string; startTime: string; endTime: string } | null;
  attendee: { name: string; email: string; phone: string | null };
  organisation: { name: string; legalForm: string | null };
  topics: string[];
  message: string | null;
  waitlistPosition: number | null;
  /** The registration was on the waitlist, without a seat, when it was cancelled. */
  onWaitlist: boolean;
  /** The next scheduled permanence, told when one is cancelled; null when none is planned yet. */
  nextPermanence: { date: string; startTime: string; endTime: string; location: string } | null;
  reason: string | null;
  manageUrl: string | null;
  hasInvite: boolean;
  /** The satisfaction question's links (kind `satisfaction` only). */
  satisfaction?: SatisfactionLinksContext | null;
}

export interface SatisfactionLinksContext {
  /** The five answers, 1 to 5, each its own link. */
  answers: Array<{ score: number; label: string; url: string }>;
  optOutUrl: string;
  /** A workshop attendee's certificate of attendance; null for a permanence. */
  attestationUrl: string | null;
  /** The last day an answer can be given or changed, in French. */
  openUntil: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

interface KindTraits {
  /** The message takes the event out of the recipient's calendar. */
  cancels?: boolean;
  /** The message changes an event already in the recipient's calendar. */
  updates?: boolean;
}

const KIND_TRAITS = {
  booking_confirmed: {},
  booking_cancelled: { cancels: true },
  booking_rescheduled: { updates: true },
  session_cancelled: { cancels: true },
  session_moved: { updates: true },
  session_changed: { updates: true },
  workshop_confirmed: {},
  workshop_waitlisted: {},
  workshop_promoted: {},
  workshop_cancelled: { cancels: true },
  workshop_changed: { updates: true },
  reminder: {},
  advisor_slot_booked: {},
  advisor_slot_cancelled: { cancels: true },
  // About an event that took place: the composer gives it no manage link and no invite.
  satisfaction: {},
} satisfies Record<MailKind, KindTraits>;

const MAIL_KINDS: readonly MailKind[] = BOOKING_MAIL_KINDS;

type Template = Handlebars.TemplateDelegate;

interface CompiledTemplates {
  htmlLayout: Template;
  textLayout: Template;
  html: Record<MailKind, Template>;
  text: Record<MailKind, Template>;
  subjects: Record<MailKind, Template>;
}

let cache: CompiledTemplates | undefined;

export function renderMail(context: MailContext): RenderedMail {
  const templates = (cache ??= loadTemplates(findTemplatesDir(__dirname, 'mail', 'layout.html.hbs')));
  const model = viewModel(context);
  const subject = oneLine(templates.subjects[context.kind](model));
  const heading = `${context.identity.name} — Rendez-vous ESS`;
  // The text version underlines the heading to its length (Markdown's setext style).
  const data = { ...model, subject, heading, headingRule: '='.repeat(heading.length) };
  const html = templates.htmlLayout(data, { partials: { body: templates.html[context.kind] } });
  const text = templates.textLayout(data, { partials: { body: templates.text[context.kind] } });
  return { subject, html, text: tidyText(text) };
}

function viewModel(context: MailContext) {
  const traits: KindTraits = KIND_TRAITS[context.kind];
  const isAdvisor = context.audience === 'advisor';
  return {
    ...context,
    isAdvisor,
    isWorkshop: context.event.type === 'workshop',
    isPermanence: context.event.type === 'permanence',
    isCancellation: traits.cancels === true,
    isUpdate: traits.updates === true,
    isWaitlist: context.kind === 'workshop_waitlisted',
    // An advisor does not need to be told they will be there.
    showAdvisor: !isAdvisor && context.event.advisorName !== null && context.event.advisorName !== '',
    // Only web addresses become links: a place is otherwise a street address.
    locationIsUrl: /^https?:\/\/\S+$/i.test(context.event.location.trim()),
    phoneHref: context.attendee.phone?.replace(/[^+\d]/g, '') ?? null,
  };
}

function loadTemplates(dir: string): CompiledTemplates {
  const htmlEnv = Handlebars.create();
  const textEnv = Handlebars.create();
  // strict: a misspelt field in a template throws instead of printing nothing.
  const compileHtml = (source: string) => htmlEnv.compile(source, { strict: true, preventIndent: true });
  const compileText = (source: string) => textEnv.compile(source, { strict: true, noEscape: true });
  const read = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`Mail template missing: ${path}`);
    return readFileSync(path, 'utf8');
  };

  const partialsDir = join(dir, 'partials');
  for (const file of existsSync(partialsDir) ? readdirSync(partialsDir) : []) {
    // Partials are inlined in sentences: the file's final newline is not part of the text.
    const source = readFileSync(join(partialsDir, file), 'utf8').replace(/\r?\n$/, '');
    const [name, format] = file.split('.');
    if (file.endsWith('.html.hbs')) htmlEnv.registerPartial(name, compileHtml(source));
    else if (file.endsWith('.text.hbs')) textEnv.registerPartial(name, compileText(source));
    else if (format === 'hbs') {
      htmlEnv.registerPartial(name, compileHtml(source));
      textEnv.registerPartial(name, compileText(source));
    }
  }

  const subjectSources = JSON.parse(read('subjects.json')) as Partial<Record<MailKind, string>>;
  const byKind = (compile: (kind: MailKind) => Template) => Object.fromEntries(MAIL_KINDS.map((kind) => [kind, compile(kind)])) as Record<MailKind, Template>;

  return {
    htmlLayout: compileHtml(read('layout.html.hbs')),
    textLayout: compileText(read('layout.text.hbs')),
    html: byKind((kind) => compileHtml(read(`${kind}.html.hbs`))),
    text: byKind((kind) => compileText(read(`${kind}.text.hbs`))),
    subjects: byKind((kind) => {
      const source = subjectSources[kind];
      if (typeof source !== 'string') throw new Error(`Mail subject missing for "${kind}" in ${join(dir, 'subjects.json')}`);
      return compileText(source);
    }),
  };
}

// eslint-disable-next-line no-control-regex -- matching the control characters is the point: a header must not carry them.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/** A header value: no line breaks or control characters, whatever the names contain. */
function oneLine(value: string): string {
  return value.replace(CONTROL_CHARACTERS, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Conditional blocks leave blank lines and trailing spaces behind; plain text shows them. */
function tidyText(value: string): string {
  const lines = value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''));
  // Keep the "-- " signature separator (RFC 3676 §4.3) that the trim above shortens.
  const text = lines.map((line) => (line === '--' ? '-- ' : line)).join('\n');
  return text.replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
