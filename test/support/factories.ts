import { randomBytes } from 'node:crypto';
import type { Client } from './http';
import { ADMIN } from './test-app';

/** A valid booking request for `slotId`; `overrides` replace top-level fields. */
export function bookingRequest(slotId: string, overrides: Record<string, unknown> = {}) {
  const n = randomBytes(4).toString('hex');
  return {
    slotId,
    attendee: { name: `Camille ${n}`, email: `camille.${n}@asso.test`, phone: '04 77 00 00 00' },
    organisation: { name: `Association ${n}`, siret: '732 829 320 00074', legalForm: 'association', postcode: '42000' },
    topics: ['legal_status', 'responsible_purchasing'],
    message: 'Nous envisageons de passer en SCIC.',
    consent: true,
    ...overrides,
  };
}

export interface ListedSession {
  id: string;
  date: string;
  startsAt: string;
  endsAt: string;
  status: string;
  statusReason?: string;
  originalDate?: string;
  location: string;
  slots: Array<{ id: string; startsAt: string; endsAt: string; capacity: number; available: number; advisor?: { id: string; name: string } }>;
}

export async function listSessions(api: Client, from?: string, to?: string): Promise<ListedSession[]> {
  const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const response = await api.get<ListedSession[]>(`/api/permanences?${query}`);
  if (response.status !== 200) throw new Error(`listing failed: ${response.status} ${response.text}`);
  return response.body;
}

/** The first scheduled session with at least one free slot. */
export async function firstOpenSession(api: Client, from?: string, to?: string): Promise<ListedSession> {
  const sessions = await listSessions(api, from, to);
  const open = sessions.find((session) => session.status === 'scheduled' && session.slots.some((slot) => slot.available > 0));
  if (!open) throw new Error('no open session in range');
  return open;
}

export async function adminToken(api: Client): Promise<string> {
  return login(api, ADMIN.email, ADMIN.password);
}

export async function login(api: Client, email: string, password: string): Promise<string> {
  const response = await api.post('/api/auth/login', { email, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  return response.body.accessToken;
}

export async function createStaff(api: Client, admin: string, role: 'admin' | 'advisor' | 'viewer', name = `Conseillère ${randomBytes(3).toString('hex')}`) {
  const email = `${randomBytes(5).toString('hex')}@cress.test`;
  const password = 'staff-password-123';
  const response = await api.post('/api/users', { email, name, role, password }, admin);
  if (response.status !== 201) throw new Error(`user creation failed: ${response.status} ${response.text}`);
  return { id: response.body.id as string, email, password, name };
}

export interface WorkshopView {
  id: string;
  title: string;
  capacity: number;
  available: number;
  waitlisted: number;
  status: 'open' | 'full' | 'closed' | 'cancelled';
  startsAt: string;
  endsAt: string;
  registrationClosesAt: string;
}

/** A workshop created by the admin; 09:00–12:30 Paris on `date` unless overridden. */
export async function createWorkshop(api: Client, admin: string, overrides: Record<string, unknown> = {}): Promise<WorkshopView> {
  const response = await api.post(
    '/api/workshops',
    {
      title: 'Les statuts de l’ESS : entreprises à mission, sociétés commerciales de l’ESS',
      description: 'Demi-journée de sensibilisation.',
      startsAt: '2027-03-18T09:00:00+01:00',
      endsAt: '2027-03-18T12:30:00+01:00',
      location: 'Maison de l’ESS, Saint-Étienne',
      capacity: 20,
      ...overrides,
    },
    admin,
  );
  if (response.status !== 201) throw new Error(`workshop creation failed: ${response.status} ${response.text}`);
  return response.body;
}

/** A valid registration for `workshopId`. */
export function registrationRequest(workshopId: string, overrides: Record<string, unknown> = {}) {
  const { slotId: _, ...request } = bookingRequest('unused', overrides);
  return { ...request, workshopId };
}
