/**
 * The client side of SCRAM (RFC 5802, RFC 7677) as Kafka uses it for SCRAM-SHA-256/512:
 * no channel binding ("n,,"), no authzid, the password's UTF-8 bytes without SASLprep
 * (as the Java client does). One instance runs one exchange:
 * clientFirst() → clientFinal(serverFirst) → verifyServerFinal(serverFinal).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

const GS2_HEADER = 'n,,';

export class ScramClient {
  readonly #hash: 'sha256' | 'sha512';
  readonly #keyLength: number;
  readonly #clientNonce: string;
  readonly #clientFirstBare: string;
  #serverSignature: Buffer | undefined;

  constructor(mechanism: ScramMechanism, username: string, readonly password: string, clientNonce?: string) {
    this.#hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
    this.#keyLength = mechanism === 'SCRAM-SHA-256' ? 32 : 64;
    this.#clientNonce = clientNonce ?? randomBytes(24).toString('base64url');
    this.#clientFirstBare = `n=${escapeName(username)},r=${this.#clientNonce}`;
  }

  clientFirst(): string {
    return GS2_HEADER + this.#clientFirstBare;
  }

  clientFinal(serverFirst: string): string {
    const attrs = parseAttributes(serverFirst);
    if (attrs.has('e')) throw new Error(`SCRAM server error: ${attrs.get('e')}`);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (!nonce || !nonce.startsWith(this.#clientNonce) || nonce.length === this.#clientNonce.length) {
      throw new Error('SCRAM server nonce does not extend the client nonce');
    }
    if (salt === undefined || !Number.isInteger(iterations) || iterations <= 0) {
      throw new Error('SCRAM server-first message lacks a salt or an iteration count');
    }
    const salted = pbkdf2Sync(Buffer.from(this.password, 'utf8'), Buffer.from(salt, 'base64'), iterations, this.#keyLength, this.#hash);
    const clientKey = this.#hmac(salted, 'Client Key');
    const storedKey = createHash(this.#hash).update(clientKey).digest();
    const withoutProof = `c=${Buffer.from(GS2_HEADER).toString('base64')},r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${serverFirst},${withoutProof}`;
    const clientSignature = this.#hmac(storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
    this.#serverSignature = this.#hmac(this.#hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  verifyServerFinal(serverFinal: string): void {
    const attrs = parseAttributes(serverFinal);
    if (attrs.has('e')) throw new Error(`SCRAM authentication failed: ${attrs.get('e')}`);
    const verifier = Buffer.from(attrs.get('v') ?? '', 'base64');
    if (!this.#serverSignature) throw new Error('SCRAM server-final message before the client-final message');
    if (verifier.length !== this.#serverSignature.length || !timingSafeEqual(verifier, this.#serverSignature)) {
      throw new Error('SCRAM server signature does not match: the server does not know the password');
    }
  }

  #hmac(key: Buffer, data: string): Buffer {
    return createHmac(this.#hash, key).update(data, 'utf8').digest();
  }
}

function escapeName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseAttributes(message: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) attrs.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return attrs;
}
