import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { StaffUser } from '../auth/staff-user';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { DownloadFile, registrantsCsv, registrantsXlsx } from './registrants.export';
import { RegistrantsRepository, SheetEvent } from './registrants.repository';
import type { ListFormat } from './dto/registrants.query';
import { ListsService } from '../settings/lists.service';
import { SettingsService } from '../settings/settings.service';
import { Territory } from '../territory/territory';
import { signInSheetPdf } from './sign-in-sheet.pdf';

/** Empty lines at the end of a sign-in sheet when none is asked for. */
export const DEFAULT_BLANK_LINES = 5;

/**
 * A workshop's registrants as a spreadsheet, and the sign-in sheets (feuilles d'émargement) of a
 * workshop and of a permanence day. Names are for the staff who receive people: admins and
 * advisors (the viewer is refused by the guards); an advisor's permanence sheet lists their desk.
 */
@Injectable()
export class RegistrantsService {
  constructor(
    private readonly registrants: RegistrantsRepository,
    private readonly config: AppConfig,
    private readonly lists: ListsService,
    private readonly settings: SettingsService,
    private readonly territory: Territory,
  ) {}

  async workshopList(id: string, format: ListFormat): Promise<DownloadFile> {
    const workshop = await this.workshop(id);
    const [rows, labels] = await Promise.all([this.registrants.workshopRegistrants(id), this.lists.labels()]);
    const filename = `inscrits-atelier-${localDate(workshop)}`;
    const context = { zone: workshop.timeZone, legalForm: labels.legalForm, commune: (code: string) => this.territory.commune(code)?.name ?? null };
    return format === 'csv' ? registrantsCsv(rows, context, filename) : registrantsXlsx(rows, context, filename, 'Inscrits');
  }

  async workshopSheet(id: string, blankLines = DEFAULT_BLANK_LINES): Promise<DownloadFile> {
    const workshop = await this.workshop(id);
    const rows = (await this.registrants.workshopRegistrants(id)).filter((row) => row.status === 'confirmed');
    return this.sheet(workshop, `Atelier « ${workshop.title} »`, `emargement-atelier-${localDate(workshop)}`, {
      columns: [
        { header: 'Nom', width: 1 },
        { header: 'Structure', width: 1 },
      ],
      rows: rows.map((row) => [row.attendeeName, row.organisationName]),
      blankLines,
    });
  }

  async sessionSheet(id: string, staff: StaffUser, blankLines = DEFAULT_BLANK_LINES): Promise<DownloadFile> {
    const session = await this.registrants.session(id);
    if (!session) throw new DomainError('session_not_found', 'Cette permanence n’existe pas.');
    const rows = await this.registrants.sessionAttendees(id, staff.role === 'advisor' ? staff.id : null);
    return this.sheet(session, `Permanence de la ${this.config.identity.name}`, `emargement-permanence-${localDate(session)}`, {
      columns: [
        { header: 'Heure', width: 0.4 },
        { header: 'Nom', width: 1 },
        { header: 'Structure', width: 1.1 },
        { header: 'Conseiller·ère', width: 0.75 },
      ],
      rows: rows.map((row) => [wallTime(row.startsAt, session.timeZone), row.attendeeName, row.organisationName, row.advisorName ?? '']),
      blankLines,
    });
  }

  /** A session's slots with their bookings, for its staff page: an advisor's desks, or every desk for an admin. */
  async sessionBookings(id: string, staff: StaffUser) {
    const session = await this.registrants.session(id);
    if (!session) throw new DomainError('session_not_found', 'Cette permanence n’existe pas.');
    const slots = await this.registrants.sessionSlots(id, staff.role === 'advisor' ? staff.id : null);
    return { session, date: localDate(session), slots };
  }

  private async workshop(id: string): Promise<SheetEvent & { title: string }> {
    const workshop = await this.registrants.workshop(id);
    if (!workshop) throw new DomainError('workshop_not_found', 'Cet atelier n’existe pas.');
    return workshop as SheetEvent & { title: string };
  }

  private async sheet(
    event: SheetEvent,
    title: string,
    filename: string,
    table: Pick<Parameters<typeof signInSheetPdf>[0], 'columns' | 'rows' | 'blankLines'>,
  ): Promise<DownloadFile> {
    const starts = DateTime.fromJSDate(event.startsAt, { zone: event.timeZone }).setLocale('fr');
    const content = await signInSheetPdf({
      // As /staff/reglages sets it now (legal name, address, contact).
      identity: await this.settings.identity(),
      title,
      date: `${starts.toFormat('cccc')} ${starts.day === 1 ? '1er' : starts.day} ${starts.toFormat('LLLL yyyy')}`,
      time: `${wallTime(event.startsAt, event.timeZone)} – ${wallTime(event.endsAt, event.timeZone)}`,
      place: event.location,
      ...table,
      // The event's start, not the time of the download: the same data give the same file.
      createdAt: event.startsAt,
    });
    return { content, contentType: 'application/pdf', filename: `${filename}.pdf` };
  }
}

function localDate(event: SheetEvent): string {
  return DateTime.fromJSDate(event.startsAt, { zone: event.timeZone }).toISODate()!;
}

/** "9 h", "9 h 30", as the pages write a time. */
function wallTime(instant: Date, zone: string): string {
  const local = DateTime.fromJSDate(instant, { zone });
  return `${local.hour} h${local.minute ? ` ${String(local.minute).padStart(2, '0')}` : ''}`;
}
