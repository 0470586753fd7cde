import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { BookingAccess } from '../bookings/bookings.service';
import { manageTokenMatches } from '../bookings/manage-token';
import { instantToLocal } from '../calendar';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { JournalService } from '../journal/journal.service';
import { SettingsService } from '../settings/settings.service';
import { attestationPdf } from './attestation.pdf';
import { AttestationsRepository, CertifiedBooking } from './attestations.repository';

export interface AttestationFile {
  content: Buffer;
  contentType: 'application/pdf';
  filename: string;
  reference: string;
}

/** What the manage page tells about the certificate: to download, to come once attendance is noted, or nothing. */
export type AttestationState = 'available' | 'pending' | null;

/**
 * Attendance certificates (attestations de présence): for a workshop booking, confirmed, marked
 * present and not anonymised, to its holder (the manage token) and to the staff who receive people
 * (admins and advisors, journalled: the CRESS is asked for them by phone). The file is the same
 * bytes for the same data: it is dated by the workshop, never by the download.
 */
@Injectable()
export class AttestationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AttestationsRepository,
    private readonly settings: SettingsService,
    private readonly journal: JournalService,
    private readonly clock: Clock,
  ) {}

  /** The certificate for the holder of the manage token, or for a signed-in admin or advisor (`workshopId`: the page it was asked from). */
  async download(id: string, access: BookingAccess, workshopId?: string): Promise<AttestationFile> {
    const booking = this.authorise(await this.repository.booking(id), access);
    if (workshopId !== undefined && booking.workshopId !== workshopId)
      throw new DomainError('booking_not_found', 'Cette inscription n’existe pas pour cet atelier.');
    const refusal = await this.refusal(booking);
    if (refusal) throw refusal;
    const staff = access.staff;
    const year = localDate(booking.startsAt!).slice(0, 4);
    const reference = staff
      ? await this.dataSource.transaction(async (manager) => {
          const issued = booking.reference ?? (await this.repository.issue(booking.id, year, this.clock.now(), manager));
          await this.journal.record(manager, {
            actor: staff,
            action: 'attestation.downloaded',
            subject: { type: 'booking', id: booking.id },
            summary: `Attestation de présence ${issued} téléchargée (atelier « ${booking.title} »)`,
            details: { reference: issued, workshopId: booking.workshopId },
          });
          return issued;
        })
      : (booking.reference ?? (await this.repository.issue(booking.id, year, this.clock.now(), this.dataSource.manager)));
    return {
      content: await this.render(booking, reference),
      contentType: 'application/pdf',
      filename: `attestation-de-presence-${reference}.pdf`,
      reference,
    };
  }

  /** For the manage page, whose caller already checked the token: whether to offer the certificate. */
  async state(id: string, token: string): Promise<AttestationState> {
    const booking = this.authorise(await this.repository.booking(id), { token, staff: null });
    if (!(await this.refusal(booking))) return 'available';
    const started = booking.startsAt !== null && booking.startsAt.getTime() <= this.clock.now().getTime();
    const waiting = booking.status === 'confirmed' && booking.workshopId !== null && booking.anonymisedAt === null && booking.attendance === null;
    return started && waiting ? 'pending' : null;
  }

  /** The holder of the manage token, or an admin or advisor (every workshop is theirs). Unknown booking and wrong token look the same. */
  private authorise(booking: CertifiedBooking | null, access: BookingAccess): CertifiedBooking {
    if (access.staff) {
      if (access.staff.role !== 'admin' && access.staff.role !== 'advisor') throw new DomainError('forbidden', 'Votre rôle ne permet pas cette action.');
      if (!booking) throw new DomainError('booking_not_found', 'Réservation introuvable.');
      return booking;
    }
    if (access.token === null) throw new DomainError('token_required', 'Le lien de gestion de la réservation (jeton) est requis.');
    if (!booking || !manageTokenMatches(booking.manageTokenHash, access.token)) {
      throw new DomainError('booking_not_found', 'Réservation introuvable, ou lien de gestion invalide.');
    }
    return booking;
  }

  /** Why this booking has no certificate, or null when it has one. */
  private async refusal(booking: CertifiedBooking): Promise<DomainError | null> {
    if (booking.status === 'cancelled') {
      return new DomainError('booking_cancelled', 'Cette réservation est annulée : elle ne donne pas lieu à une attestation de présence.');
    }
    if (booking.status === 'waitlisted') {
      return new DomainError('booking_waitlisted', 'Cette inscription est sur la liste d’attente : elle ne donne pas lieu à une attestation de présence.');
    }
    const contact = (await this.settings.identity()).contactEmail;
    if (booking.workshopId === null) {
      return new DomainError(
        'attestation_unavailable',
        `Les attestations de présence sont délivrées pour les ateliers. Pour un rendez-vous de permanence, écrivez à ${contact}.`,
      );
    }
    if (booking.anonymisedAt !== null) {
      return new DomainError(
        'attestation_unavailable',
        'Les données de cette inscription ont été effacées : l’attestation de présence ne peut plus être délivrée.',
      );
    }
    if (booking.attendance === null) {
      return new DomainError(
        'attestation_unavailable',
        'La présence à cet atelier n’a pas encore été notée par l’équipe : l’attestation sera disponible dès qu’elle le sera.',
      );
    }
    if (booking.attendance !== 'present') {
      return new DomainError(
        'attestation_unavailable',
        `L’attestation de présence est réservée aux personnes notées présentes à l’atelier, ce qui n’est pas le cas de cette inscription. En cas d’erreur, écrivez à ${contact}.`,
      );
    }
    return null;
  }

  private async render(booking: CertifiedBooking, reference: string): Promise<Buffer> {
    const starts = instantToLocal(booking.startsAt!, PROGRAMME_TIME_ZONE);
    const ends = instantToLocal(booking.endsAt!, PROGRAMME_TIME_ZONE);
    return attestationPdf({
      // As /staff/reglages sets it now (legal name, address, contact).
      identity: await this.settings.identity(),
      reference,
      attendeeName: booking.attendeeName,
      organisationName: booking.organisationName,
      workshopTitle: booking.title!,
      date: frenchDate(starts.date),
      startTime: frenchHour(starts.time),
      endTime: frenchHour(ends.time),
      duration: frenchDuration(Math.round((booking.endsAt!.getTime() - booking.startsAt!.getTime()) / 60_000)),
      place: booking.location!,
      issuedAt: booking.endsAt!,
    });
  }
}

function localDate(instant: Date): string {
  return instantToLocal(instant, PROGRAMME_TIME_ZONE).date;
}

/** "jeudi 18 mars 2027"; the first of the month is "1er". */
export function frenchDate(date: string): string {
  const local = DateTime.fromISO(date).setLocale('fr');
  return `${local.toFormat('cccc')} ${local.day === 1 ? '1er' : local.day} ${local.toFormat('LLLL yyyy')}`;
}

/** A wall time (09:00, 12:30) as French write it: "9 h", "12 h 30". */
export function frenchHour(time: string): string {
  const [hours, minutes] = time.split(':');
  return `${Number(hours)} h${minutes !== '00' ? ` ${minutes}` : ''}`;
}

/** 210 → "3 h 30 min", 180 → "3 h", 45 → "45 min": the real time between start and end, across a change of hour too. */
export function frenchDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, '0')} min`;
}
