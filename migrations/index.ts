import { InitialSchema1764240000000 } from './1764240000000-initial-schema';
import { Workshops1764300000000 } from './1764300000000-workshops';
import { MailDelivery1764360000000 } from './1764360000000-mail-delivery';
import { CalendarFeeds1764420000000 } from './1764420000000-calendar-feeds';
import { Attendance1764480000000 } from './1764480000000-attendance';
import { Organisations1764540000000 } from './1764540000000-organisations';
import { RateLimits1764600000000 } from './1764600000000-rate-limits';
import { PersonalData1764660000000 } from './1764660000000-personal-data';
import { PublicFeedChanges1764720000000 } from './1764720000000-public-feed-changes';
import { IdempotencyKeys1764780000000 } from './1764780000000-idempotency-keys';
import { Accounts1764800000000 } from './1764800000000-accounts';
import { SettingsLists1764810000000 } from './1764810000000-settings-lists';
import { ConsentGivenTo1764820000000 } from './1764820000000-consent-given-to';
import { StaffJournal1764830000000 } from './1764830000000-staff-journal';
import { FollowUpSatisfactionCommunes1764840000000 } from './1764840000000-follow-up-satisfaction-communes';
import { FollowUpsDueIndex1764841000000 } from './1764841000000-follow-ups-due-index';
import { SatisfactionRequests1764850000000 } from './1764850000000-satisfaction-requests';
import { AttendanceCertificates1764860000000 } from './1764860000000-attendance-certificates';
import { RegisterCommune1764870000000 } from './1764870000000-register-commune';

/** Every migration, in order. Listed explicitly so the same list serves the built service and the tests. */
export const MIGRATIONS = [
  InitialSchema1764240000000,
  Workshops1764300000000,
  MailDelivery1764360000000,
  CalendarFeeds1764420000000,
  Attendance1764480000000,
  Organisations1764540000000,
  RateLimits1764600000000,
  PersonalData1764660000000,
  PublicFeedChanges1764720000000,
  IdempotencyKeys1764780000000,
  Accounts1764800000000,
  SettingsLists1764810000000,
  ConsentGivenTo1764820000000,
  StaffJournal1764830000000,
  FollowUpSatisfactionCommunes1764840000000,
  FollowUpsDueIndex1764841000000,
  SatisfactionRequests1764850000000,
  AttendanceCertificates1764860000000,
  RegisterCommune1764870000000,
];
