import { DomainError } from '../common/domain-error';

/** zxcvbn-ts, loaded once with its common and French dictionaries (several megabytes). */
let checker: Promise<(password: string, inputs: string[]) => number> | undefined;

async function load(): Promise<(password: string, inputs: string[]) => number> {
  const [{ ZxcvbnFactory }, common, fr] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-fr'),
  ]);
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...fr.dictionary },
    graphs: common.adjacencyGraphs,
  });
  return (password, inputs) => zxcvbn.check(password, inputs).score;
}

/**
 * A new password: the DTOs require 12 characters; this refuses one that is common or easy to guess
 * (zxcvbn score below 3: in its dictionaries of common passwords, names and words, a keyboard walk,
 * a repetition, or built from the account's own name or address).
 */
export async function checkStrength(password: string, field: string, personal: string[]): Promise<void> {
  const check = await (checker ??= load());
  const score = check(
    password,
    personal.flatMap((value) => [value, ...value.split(/[^\p{L}\p{N}]+/u)]).filter((value) => value.length > 2),
  );
  if (score < 3) {
    throw new DomainError('validation_failed', 'Mot de passe trop facile à deviner.', [
      {
        field,
        message: 'Ce mot de passe est trop courant ou trop facile à deviner : choisissez-en un autre, par exemple trois ou quatre mots sans rapport entre eux.',
      },
    ]);
  }
}
