import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface FeedSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  location: string;
  status: 'scheduled' | 'cancelled';
  statusReason: string | null;
  updatedAt: Date;
}

export interface FeedWorkshop {
  id: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  location: string;
  capacity: number;
  confirmed: number;
  waitlisted: number;
  status: 'scheduled' | 'cancelled';
  updatedAt: Date;
}

export interface FeedSlot {
  id: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  location: string;
  sessionStatus: 'scheduled' | 'cancelled';
  sessionUpdatedAt: Date;
  bookingId: string | null;
  bookingUpdatedAt: Date | null;
  bookingSequence: number | null;
  attendeeName: string | null;
  organisationName: string | null;
  topics: string[] | null;
}

/** What a feed shows, and a cheap fingerprint of it to answer conditional requests without building it. */
@Injectable()
export class FeedsRepository {
  constructor(private readonly dataSource: DataSource) {}

  sessions(from: Date, to: Date): Promise<FeedSession[]> {
    return this.dataSource.query(
      `SELECT id, starts_at AS "startsAt", ends_at AS "endsAt", time_zone AS "timeZone", location, status,
              status_reason AS "statusReason", updated_at AS "updatedAt"
       FROM permanence_sessions WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id`,
      [from, to],
    );
  }

  workshops(from: Date, to: Date): Promise<FeedWorkshop[]> {
    return this.dataSource.query(
      `SELECT id, title, description, starts_at AS "startsAt", ends_at AS "endsAt", time_zone AS "timeZone", location,
              capacity, confirmed, waitlisted, status, updated_at AS "updatedAt"
       FROM workshops WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id`,
      [from, to],
    );
  }

  /** An advisor's desk slots with the confirmed booking on each, if any. */
  advisorSlots(advisorId: string, from: Date, to: Date): Promise<FeedSlot[]> {
    return this.dataSource.query(
      `SELECT sl.id, sl.starts_at AS "startsAt", sl.ends_at AS "endsAt", s.time_zone AS "timeZone", s.location,
              s.status AS "sessionStatus", s.updated_at AS "sessionUpdatedAt",
              b.id AS "bookingId", b.updated_at AS "bookingUpdatedAt", b.sequence AS "bookingSequence",
              b.attendee_name AS "attendeeName", b.organisation_name AS "organisationName", b.topics
       FROM desks d JOIN slots sl ON sl.desk_id = d.id JOIN permanence_sessions s ON s.id = sl.session_id
       LEFT JOIN bookings b ON b.slot_id = sl.id AND b.status = 'confirmed'
       WHERE d.advisor_id = $1 AND sl.starts_at >= $2 AND sl.starts_at < $3
       ORDER BY sl.starts_at, sl.id`,
      [advisorId, from, to],
    );
  }

  /**
   * A fingerprint of the rows the public feed is built from: every row's id and row version (`xmin`,
   * new on every update), so it moves whenever the feed's content can have changed.
   */
  async publicVersion(from: Date, to: Date): Promise<string> {
    const [row] = await this.dataSource.query<Array<{ version: string }>>(
      `SELECT md5(coalesce((SELECT string_agg(id::text || ':' || xmin::text, ',' ORDER BY id) FROM permanence_sessions WHERE starts_at >= $1 AND starts_at < $2), '')
              || '|' || coalesce((SELECT string_agg(id::text || ':' || xmin::text, ',' ORDER BY id) FROM workshops WHERE starts_at >= $1 AND starts_at < $2), '')) AS version`,
      [from, to],
    );
    return row.version;
  }

  /** The active advisor or admin whose current feed token hashes to `hash`. */
  async feedOwner(hash: Buffer): Promise<{ id: string; name: string } | null> {
    const [row] = await this.dataSource.query<Array<{ id: string; name: string }>>(
      `SELECT id, name FROM users WHERE feed_token_hash = $1 AND active AND role IN ('advisor', 'admin')`,
      [hash],
    );
    return row ?? null;
  }

  async feedVersion(userId: string): Promise<{ version: number; hash: Buffer | null } | null> {
    const [row] = await this.dataSource.query<Array<{ version: number; hash: Buffer | null }>>(
      `SELECT feed_token_version AS version, feed_token_hash AS hash FROM users WHERE id = $1`,
      [userId],
    );
    return row ?? null;
  }

  async setFeedToken(userId: string, version: number, hash: Buffer): Promise<void> {
    await this.dataSource.query(`UPDATE users SET feed_token_version = $2, feed_token_hash = $3 WHERE id = $1`, [userId, version, hash]);
  }
}
