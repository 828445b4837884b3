/**
 * Users and bearer tokens the REST API accepts. Secrets are kept only as SHA-256 digests, and a
 * check compares the presented secret with every entry using timingSafeEqual, never stopping at
 * the first match or mismatch: how long a check takes does not tell which user exists or how
 * much of a secret was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

interface UserEntry {
  readonly user: string;
  readonly userDigest: Buffer;
  readonly passwordDigest: Buffer;
}

/** Basic-auth users: name and password. */
export class BasicCredentials {
  readonly #entries: readonly UserEntry[];

  constructor(users: Iterable<readonly [user: string, password: string]>) {
    this.#entries = [...users].map(([user, password]) => ({ user, userDigest: digest(user), passwordDigest: digest(password) }));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The user name when `user` and `password` match an entry. */
  verify(user: string, password: string): string | undefined {
    const userDigest = digest(user);
    const passwordDigest = digest(password);
    let found: string | undefined;
    for (const entry of this.#entries) {
      const match = Number(timingSafeEqual(entry.userDigest, userDigest)) & Number(timingSafeEqual(entry.passwordDigest, passwordDigest));
      if (match === 1 && found === undefined) found = entry.user;
    }
    return found;
  }
}

interface TokenEntry {
  readonly name: string;
  readonly digest: Buffer;
}

/** Bearer tokens, each with a name that identifies its holder in logs. */
export class BearerTokens {
  readonly #entries: readonly TokenEntry[];

  constructor(tokens: Iterable<readonly [name: string, token: string]>) {
    this.#entries = [...tokens].map(([name, token]) => ({ name, digest: digest(token) }));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The token's name when `token` is one of the accepted tokens. */
  verify(token: string): string | undefined {
    const presented = digest(token);
    let found: string | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, presented) && found === undefined) found = entry.name;
    }
    return found;
  }
}
