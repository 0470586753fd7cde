import { legalFormLabel, topicLabel } from './booking-options';

describe('booking option labels', () => {
  it('gives a topic its wording, and a code no longer listed as itself', () => {
    expect(topicLabel('legal_status')).toBe('Évolution des statuts');
    expect(topicLabel('retired_topic')).toBe('retired_topic');
  });

  it('gives a legal form its wording, null when none was given', () => {
    expect(legalFormLabel('association')).toBe('Association');
    expect(legalFormLabel(null)).toBeNull();
    expect(legalFormLabel(undefined)).toBeNull();
    expect(legalFormLabel('retired_form')).toBe('retired_form');
  });
});
