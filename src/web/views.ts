/**
 * The French pages, rendered on the server from `templates/pages/`.
 *
 * - `layout.hbs`: the one layout (header, navigation, main, footer); a page's HTML is `{{{body}}}`.
 * - `<name>.hbs` and `staff/<name>.hbs`: one file per page, rendered with the model the controller
 *   gives plus {@link PageContext} (CSRF token, signed-in staff member, flash message).
 * - `partials/*.hbs`: shared blocks (`{{> field …}}` for a labelled input with its error).
 *
 * Everything is compiled with Handlebars' escaping and `strict` mode: `{{ }}` escapes what people
 * typed, and a misspelt field throws instead of printing nothing. `{{{ }}}` is used once, for the
 * page inside the layout.
 */
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { StaffUser } from '../auth/staff-user';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { findTemplatesDir } from '../common/templates-dir';
import { SettingsService } from '../settings/settings.service';

export interface PageContext {
  csrfToken: string;
  staff: StaffUser | null;
  flash?: string | null;
}

export interface PageOptions {
  title: string;
  status?: number;
}

type Template = Handlebars.TemplateDelegate;

@Injectable()
export class Views {
  private readonly env = Handlebars.create();
  private readonly pages = new Map<string, Template>();
  private readonly layout: Template;

  constructor(private readonly settings: SettingsService) {
    const dir = findTemplatesDir(__dirname, 'pages', 'layout.hbs');
    registerHelpers(this.env);
    const compile = (path: string) => this.env.compile(readFileSync(path, 'utf8'), { strict: true, preventIndent: true });
    for (const path of filesUnder(dir)) {
      const name = relative(dir, path)
        .replace(/\\/g, '/')
        .replace(/\.hbs$/, '');
      if (name.startsWith('partials/')) this.env.registerPartial(name.slice('partials/'.length), readFileSync(path, 'utf8'));
      else if (name !== 'layout') this.pages.set(name, compile(path));
    }
    this.layout = compile(join(dir, 'layout.hbs'));
  }

  /** The page `name` inside the layout, as a string. */
  html(name: string, model: object, context: PageContext, options: PageOptions): string {
    const page = this.pages.get(name);
    if (!page) throw new Error(`Page template missing: templates/pages/${name}.hbs`);
    const data = {
      errors: {},
      values: {},
      ...model,
      ...context,
      flash: context.flash ?? null,
      staff: context.staff,
      title: options.title,
      identity: this.settings.latest().identity,
    };
    const body = page(data);
    return this.layout({ ...data, body, isAdmin: context.staff?.role === 'admin', isViewer: context.staff?.role === 'viewer' });
  }

  send(response: Response, name: string, model: object, context: PageContext, options: PageOptions): void {
    response
      .status(options.status ?? 200)
      .type('html')
      .send(this.html(name, model, context, options));
  }
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.name.endsWith('.hbs')) yield path;
  }
}

/** A local date (2026-12-31) as "jeudi 31 décembre 2026"; the first of the month is "1er" in French. */
export function frenchLocalDate(date: string): string {
  return longDate(DateTime.fromISO(date));
}

function longDate(date: DateTime): string {
  const day = date.day === 1 ? '1er' : String(date.day);
  return `${date.setLocale('fr').toFormat('cccc')} ${day} ${date.setLocale('fr').toFormat('LLLL yyyy')}`;
}

/** A wall time (09:00, 09:30) as French write it: "9 h", "9 h 30". */
export function frenchHour(time: string): string {
  const [hours, minutes] = time.split(':');
  return `${Number(hours)} h${minutes && minutes !== '00' ? ` ${minutes}` : ''}`;
}

function local(instant: unknown, zone: unknown): DateTime {
  const date = instant instanceof Date ? DateTime.fromJSDate(instant) : DateTime.fromISO(String(instant), { setZone: false });
  return date.setZone(typeof zone === 'string' ? zone : PROGRAMME_TIME_ZONE).setLocale('fr');
}

function registerHelpers(env: typeof Handlebars): void {
  // A helper's last argument is Handlebars' options object: `args` drops it.
  const args = (values: unknown[]) => values.slice(0, -1);
  env.registerHelper('eq', (...values: unknown[]) => {
    const [a, b] = args(values);
    return a === b;
  });
  env.registerHelper('or', (...values: unknown[]) => args(values).some(Boolean));
  env.registerHelper('and', (...values: unknown[]) => args(values).every(Boolean));
  env.registerHelper('not', (value: unknown) => !value);
  env.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  /** `{{get values "attendee.name"}}`: a flat map's entry, or nothing. */
  env.registerHelper('get', (map: unknown, key: unknown) =>
    map && typeof map === 'object' && typeof key === 'string' ? ((map as Record<string, unknown>)[key] ?? null) : null,
  );
  env.registerHelper('fieldId', (name: unknown) => `f-${String(name).replace(/[^a-zA-Z0-9_-]/g, '-')}`);
  /** "jeudi 26 novembre 2026" */
  env.registerHelper('frDate', (instant: unknown, zone: unknown) => longDate(local(instant, zone)));
  /** "26/11/2026" */
  env.registerHelper('frShortDate', (instant: unknown, zone: unknown) => local(instant, zone).toFormat('dd/LL/yyyy'));
  /** "09:00" */
  env.registerHelper('frTime', (instant: unknown, zone: unknown) => local(instant, zone).toFormat('HH:mm'));
  /** A local date (2026-11-26) as "jeudi 26 novembre 2026". */
  env.registerHelper('frLocalDate', (date: unknown) => frenchLocalDate(String(date)));
  env.registerHelper('plural', (count: unknown, one: unknown, many: unknown) => (Number(count) > 1 ? many : one));
}
