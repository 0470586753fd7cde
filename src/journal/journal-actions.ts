/**
 * Every action the journal records, with its French label for the journal page. A new staff action
 * adds its code here (`<subject>.<verb>`), then calls JournalService.record in its transaction.
 */
export const JOURNAL_ACTIONS = {
  'account.created': 'Compte créé',
  'account.updated': 'Compte modifié',
  'account.deactivated': 'Compte désactivé',
  'session.cancelled': 'Permanence annulée',
  'session.moved': 'Permanence déplacée',
  'session.added': 'Permanence exceptionnelle ajoutée',
  'session.staffed': 'Conseillers d’une permanence',
  'series.updated': 'Série de permanences modifiée',
  'booking.cancelled': 'Réservation annulée par l’équipe',
  'workshop.cancelled': 'Atelier annulé',
  'attendance.recorded': 'Présence notée',
  'attendance.corrected': 'Présence corrigée',
  'attestation.downloaded': 'Attestation de présence téléchargée',
  'follow_up.recorded': 'Suivi d’un rendez-vous noté',
  'follow_up.updated': 'Suivi d’un rendez-vous modifié',
  'follow_up.done': 'Relance faite',
  'follow_up.reopened': 'Relance à faire de nouveau',
  'organisation.corrected': 'Fiche de structure corrigée',
  'organisation.merged': 'Fiches de structure fusionnées',
  'personal_data.exported': 'Données personnelles exportées',
  'personal_data.erased': 'Données personnelles effacées',
  'settings.updated': 'Réglages modifiés',
  'list.added': 'Entrée de liste ajoutée',
  'list.updated': 'Entrée de liste modifiée',
} as const;

export type JournalAction = keyof typeof JOURNAL_ACTIONS;
export const JOURNAL_ACTION_CODES = Object.keys(JOURNAL_ACTIONS) as JournalAction[];
