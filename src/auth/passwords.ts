import { hash, verify } from '@node-rs/argon2';

// Argon2id with the library's defaults (OWASP-level memory and time cost).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A hash of a random password, verified when the e-mail is unknown so that a login takes as long
// whether or not the account exists.
const decoy = hash(`decoy-${Math.random()}-${Date.now()}`);

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (hashed === null) {
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(hashed, password).catch(() => false);
}
