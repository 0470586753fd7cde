import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface OrganisationRow {
  id: string;
  name: string;
  siret: string | null;
  legalForm: string | null;
  esusApproved: boolean | null;
  sector: string | null;
  postcode: string | null;
  commune: string | null;
  communeCode: string | null;
  mergedInto: string | null;
  createdAt: Date;
  bookings: number;
  workshops: number;
  lastBookingAt: Date | null;
}

/** A booking's follow-up as the history reads it (timestamps as PostgreSQL writes them in JSON). */
export interface HistoryFollowUp {
  note: string | null;
  orientations: string[];
  followUpOn: string | null;
  followUpAdvisorId: string | null;
  followUpAdvisorName: string | null;
  followUpDoneAt: string | null;
  createdById: string | null;
  createdByName: string | null;
  createdAt: string;
  updatedById: string | null;
  updatedByName: string | null;
  updatedAt: string;
}

export interface HistoryRow {
  id: string;
  kind: 'permanence' | 'workshop';
  startsAt: Date;
  title: string;
  status: string;
  topics: string[];
  attendance: string | null;
  attendeeName: string;
  deskAdvisorId: string | null;
  followUp: HistoryFollowUp | null;
}

const COLUMNS = `o.id, o.name, o.siret, o.legal_form AS "legalForm", o.esus_approved AS "esusApproved", o.sector, o.postcode, o.commune,
  o.commune_code AS "communeCode", o.merged_into AS "mergedInto", o.created_at AS "createdAt",
  (SELECT count(*)::int FROM bookings b WHERE b.organisation_id = o.id AND b.status <> 'cancelled' AND b.slot_id IS NOT NULL) AS bookings,
  (SELECT count(*)::int FROM bookings b WHERE b.organisation_id = o.id AND b.status <> 'cancelled' AND b.workshop_id IS NOT NULL) AS workshops,
  (SELECT max(b.created_at) FROM bookings b WHERE b.organisation_id = o.id) AS "lastBookingAt"`;

@Injectable()
export class OrganisationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Entries not merged into another, by name; `search` matches the name, SIRET, postcode or commune
   * (`communeCodes`: the communes whose name matches it, from Etalab's data).
   */
  list(search: string | null, communeCodes: string[], limit: number, offset: number): Promise<OrganisationRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM organisations o
       WHERE o.merged_into IS NULL
         AND ($1::text IS NULL OR o.name ILIKE '%' || $1 || '%' OR o.siret = $1 OR o.postcode = $1 OR o.commune ILIKE '%' || $1 || '%'
              OR o.commune_code = ANY($4::text[]))
       ORDER BY lower(o.name), o.id LIMIT $2 OFFSET $3`,
      [search, limit, offset, communeCodes],
    );
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<OrganisationRow | null> {
    const [row] = await manager.query<OrganisationRow[]>(`SELECT ${COLUMNS} FROM organisations o WHERE o.id = $1`, [id]);
    return row ?? null;
  }

  lock(id: string, manager: EntityManager): Promise<Array<{ id: string; mergedInto: string | null }>> {
    return manager.query(`SELECT id, merged_into AS "mergedInto" FROM organisations WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** The people who booked for the organisation, most recent first. */
  contacts(id: string): Promise<Array<{ name: string; email: string; phone: string | null; lastBookingAt: Date }>> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (lower(attendee_email)) attendee_name AS name, attendee_email AS email, attendee_phone AS phone, created_at AS "lastBookingAt"
       FROM bookings WHERE organisation_id = $1 ORDER BY lower(attendee_email), created_at DESC`,
      [id],
    );
  }

  /**
   * Every booking and registration, with its topics, attendance, the advisor of its desk and its
   * follow-up (follow-ups/ writes it; null when none); a permanence is titled `permanenceTitle`.
   */
  history(id: string, permanenceTitle: string): Promise<HistoryRow[]> {
    return this.dataSource.query(
      `SELECT b.id, CASE WHEN b.slot_id IS NOT NULL THEN 'permanence' ELSE 'workshop' END AS kind,
              coalesce(sl.starts_at, w.starts_at) AS "startsAt", coalesce(w.title, $2) AS title,
              b.status, b.topics, b.attendance, b.attendee_name AS "attendeeName", d.advisor_id AS "deskAdvisorId",
              CASE WHEN f.booking_id IS NULL THEN NULL ELSE json_build_object(
                'note', f.note, 'orientations', f.orientations, 'followUpOn', to_char(f.follow_up_on, 'YYYY-MM-DD'),
                'followUpAdvisorId', f.follow_up_advisor_id, 'followUpAdvisorName', fa.name, 'followUpDoneAt', f.follow_up_done_at,
                'createdById', f.created_by, 'createdByName', cb.name, 'createdAt', f.created_at,
                'updatedById', f.updated_by, 'updatedByName', ub.name, 'updatedAt', f.updated_at) END AS "followUp"
       FROM bookings b LEFT JOIN slots sl ON sl.id = b.slot_id LEFT JOIN desks d ON d.id = sl.desk_id LEFT JOIN workshops w ON w.id = b.workshop_id
       LEFT JOIN booking_follow_ups f ON f.booking_id = b.id
       LEFT JOIN users fa ON fa.id = f.follow_up_advisor_id LEFT JOIN users cb ON cb.id = f.created_by LEFT JOIN users ub ON ub.id = f.updated_by
       WHERE b.organisation_id = $1 ORDER BY coalesce(sl.starts_at, w.starts_at) DESC`,
      [id, permanenceTitle],
    );
  }

  /** `now` is the injected Clock's: updated_at never takes PostgreSQL's clock. */
  async update(id: string, changes: Record<string, unknown>, now: Date, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const columns: Record<string, string> = {
      name: 'name',
      siret: 'siret',
      legalForm: 'legal_form',
      esusApproved: 'esus_approved',
      sector: 'sector',
      postcode: 'postcode',
      commune: 'commune',
      communeCode: 'commune_code',
    };
    const entries = Object.entries(changes).filter(([key, value]) => key in columns && value !== undefined);
    if (entries.length === 0) return;
    const assignments = entries.map(([key], i) => `${columns[key]} = $${i + 3}`).join(', ');
    await manager.query(`UPDATE organisations SET ${assignments}, updated_at = $2 WHERE id = $1`, [id, now, ...entries.map(([, value]) => value)]);
  }

  /** Moves everything of `from` (and of entries already merged into it) to `into`, and marks `from` merged. */
  async merge(from: string, into: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE bookings SET organisation_id = $2 WHERE organisation_id = $1`, [from, into]);
    await manager.query(`UPDATE organisations SET merged_into = $2, updated_at = $3 WHERE id = $1 OR merged_into = $1`, [from, into, now]);
  }
}
