import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { BookingsRepository } from '../bookings/bookings.repository';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { JournalService } from '../journal/journal.service';

const LABELS: Record<AttendanceStatus, string> = { present: 'présent·e', absent: 'absent·e', excused: 'excusé·e' };

export type AttendanceStatus = 'present' | 'absent' | 'excused';

@Injectable()
export class AttendanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bookings: BookingsRepository,
    private readonly clock: Clock,
    private readonly journal: JournalService,
  ) {}

  /**
   * Records (or corrects) attendance once the event has started, keeping who and when. Only confirmed
   * bookings take attendance; an advisor records it for their own desk's slots and for workshops
   * (the same reach as in bookings.service.ts:authorise).
   */
  async record(id: string, staff: StaffUser, status: AttendanceStatus, note: string | null) {
    const view = await this.bookings.view(id);
    if (!view) throw new DomainError('booking_not_found', 'Réservation introuvable.');
    if (staff.role !== 'admin' && view.booking.slotId !== null && view.advisor?.id !== staff.id) {
      throw new DomainError('forbidden', 'Ce rendez-vous est à un autre bureau que le vôtre.');
    }
    if (view.booking.status !== 'confirmed') {
      throw new DomainError(
        'attendance_not_applicable',
        'Seule une réservation confirmée a une présence à noter (pas une inscription en liste d’attente ni une réservation annulée).',
      );
    }
    const now = this.clock.now();
    if (!this.hasStarted(view.startsAt, now)) throw new DomainError('event_not_started', 'La présence se note une fois le rendez-vous commencé.');
    const previous = view.booking.attendance;
    await this.dataSource.transaction(async (manager) => {
      await this.bookings.update(
        id,
        { attendance: status, attendanceNote: note, attendanceRecordedBy: staff.id, attendanceRecordedAt: now, updatedAt: now },
        manager,
      );
      await this.journal.record(manager, {
        actor: staff,
        action: previous === null ? 'attendance.recorded' : 'attendance.corrected',
        subject: { type: 'booking', id },
        summary: previous === null ? `Présence notée : ${LABELS[status]}` : `Présence corrigée : ${LABELS[previous]} → ${LABELS[status]}`,
        details: { previous, status },
      });
    });
    return { id, attendance: status, attendanceNote: note, recordedBy: { id: staff.id, name: staff.name }, recordedAt: now.toISOString() };
  }

  /** Whether an event starting at `startsAt` takes attendance yet (the agenda page offers its buttons from then on). */
  hasStarted(startsAt: Date | string, now: Date = this.clock.now()): boolean {
    return new Date(startsAt).getTime() <= now.getTime();
  }
}
