import { loadConfig } from '../config/app-config';
import { SatisfactionLinks } from './satisfaction-links';

const BOOKING = '7f3c2a10-1111-4222-8333-944455556666';
const OTHER = '7f3c2a10-1111-4222-8333-944455556667';

function links(secret = 'a'.repeat(40)) {
  return new SatisfactionLinks(loadConfig({ JWT_SECRET: secret, PUBLIC_URL: 'https://rdv.cress.test', DATA_DIR: '/tmp/rvess-satisfaction-spec' }));
}

describe(SatisfactionLinks.name, () => {
  it('tells which generation a token is for, so a used one is told from a forged one', () => {
    const signer = links();
    const tokens = [0, 1, 2].map((generation) => signer.answerToken(BOOKING, generation));
    expect(new Set(tokens).size).toBe(3);
    expect(tokens.map((token) => signer.answerGeneration(BOOKING, token, 2))).toEqual([0, 1, 2]);
    // A token of a generation not reached yet is nothing.
    expect(signer.answerGeneration(BOOKING, tokens[2], 1)).toBeNull();
  });

  it('refuses another booking’s token, a tampered or malformed one, and one signed under another secret', () => {
    const signer = links();
    const token = signer.answerToken(BOOKING, 0);
    expect(signer.answerGeneration(OTHER, token, 5)).toBeNull();
    expect(signer.answerGeneration(BOOKING, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), 5)).toBeNull();
    for (const malformed of ['', 'x', `${token}=`, token.slice(1), `${token.slice(1)}!`]) expect(signer.answerGeneration(BOOKING, malformed, 5)).toBeNull();
    expect(signer.answerGeneration(BOOKING, links('b'.repeat(40)).answerToken(BOOKING, 0), 5)).toBeNull();
  });

  it('keeps the opt-out token apart from the answer tokens', () => {
    const signer = links();
    expect(signer.optOutMatches(BOOKING, signer.optOutToken(BOOKING))).toBe(true);
    expect(signer.optOutMatches(BOOKING, signer.answerToken(BOOKING, 0))).toBe(false);
    expect(signer.optOutMatches(OTHER, signer.optOutToken(BOOKING))).toBe(false);
    expect(signer.answerGeneration(BOOKING, signer.optOutToken(BOOKING), 5)).toBeNull();
  });

  it('writes the e-mail’s addresses on the public address, the score only as a preselection', () => {
    const signer = links();
    expect(signer.answerUrl(BOOKING, 0, 4)).toBe(`https://rdv.cress.test/avis/${BOOKING}?note=4&jeton=${signer.answerToken(BOOKING, 0)}`);
    expect(signer.answerUrl(BOOKING, 3)).toBe(`https://rdv.cress.test/avis/${BOOKING}?jeton=${signer.answerToken(BOOKING, 3)}`);
    expect(signer.optOutUrl(BOOKING)).toBe(`https://rdv.cress.test/avis/${BOOKING}/ne-plus-recevoir?jeton=${signer.optOutToken(BOOKING)}`);
  });
});
