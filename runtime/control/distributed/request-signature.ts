/**
 * Signatures on the requests Kafka Connect workers send each other (KIP-507): `POST
 * /connectors/{c}/tasks` and `PUT /connectors/{c}/fence` carry
 *   X-Connect-Authorization                base64 of the MAC of the exact request body bytes
 *   X-Connect-Request-Signature-Algorithm  the MAC's Java name, e.g. HmacSHA256
 * keyed with the cluster's session key (session-keys.ts). A bodyless request (fence) is signed
 * over zero bytes.
 *
 * Algorithm names are the JVM's: lookup is case-insensitive, as Java's provider lookup is, but
 * the name is kept as the request spelled it, so `inter.worker.verification.algorithms` (an
 * exact-match list, as in Java) decides what is accepted. A name unknown here is what Java calls
 * an algorithm that is "not available".
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../../errors.js';
import type { SessionKey } from '../../stores/topic/config-records.js';

export const SIGNATURE_HEADER = 'X-Connect-Authorization';
export const SIGNATURE_ALGORITHM_HEADER = 'X-Connect-Request-Signature-Algorithm';

interface HmacAlgorithm {
  /** The JVM's canonical name. */
  readonly name: string;
  /** node:crypto's digest name. */
  readonly digest: string;
  /** What the JVM's KeyGenerator of that name generates without inter.worker.key.size. */
  readonly defaultKeyBits: number;
}

const HMAC_ALGORITHMS: readonly HmacAlgorithm[] = [
  { name: 'HmacMD5', digest: 'md5', defaultKeyBits: 512 },
  { name: 'HmacSHA1', digest: 'sha1', defaultKeyBits: 512 },
  { name: 'HmacSHA224', digest: 'sha224', defaultKeyBits: 224 },
  { name: 'HmacSHA256', digest: 'sha256', defaultKeyBits: 256 },
  { name: 'HmacSHA384', digest: 'sha384', defaultKeyBits: 384 },
  { name: 'HmacSHA512', digest: 'sha512', defaultKeyBits: 512 },
  { name: 'HmacSHA512/224', digest: 'sha512-224', defaultKeyBits: 224 },
  { name: 'HmacSHA512/256', digest: 'sha512-256', defaultKeyBits: 256 },
  { name: 'HmacSHA3-224', digest: 'sha3-224', defaultKeyBits: 224 },
  { name: 'HmacSHA3-256', digest: 'sha3-256', defaultKeyBits: 256 },
  { name: 'HmacSHA3-384', digest: 'sha3-384', defaultKeyBits: 384 },
  { name: 'HmacSHA3-512', digest: 'sha3-512', defaultKeyBits: 512 },
];

const BY_LOWER_NAME = new Map(HMAC_ALGORITHMS.map((a) => [a.name.toLowerCase(), a]));
/** Smallest key the JVM's HMAC key generators accept. */
const MIN_KEY_BITS = 40;

export const SUPPORTED_MAC_ALGORITHMS: readonly string[] = HMAC_ALGORITHMS.map((a) => a.name);

function hmacAlgorithm(name: string): HmacAlgorithm | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

/** Why `algorithm` cannot sign or verify requests, or undefined when it can (config validation). */
export function macAlgorithmProblem(algorithm: string): string | undefined {
  if (hmacAlgorithm(algorithm)) return undefined;
  return `the algorithm is not supported by this worker; the supported algorithms are: ${SUPPORTED_MAC_ALGORITHMS.join(', ')}`;
}

/** Why the leader could not generate keys with this algorithm and size, or undefined (config validation). */
export function keyGenerationProblem(algorithm: string, keyBits: number | null): string | undefined {
  const problem = macAlgorithmProblem(algorithm);
  if (problem) return problem;
  if (keyBits !== null && keyBits < MIN_KEY_BITS) {
    return `Unable to create key generator with algorithm ${algorithm} and key size ${keyBits}: Key length must be at least ${MIN_KEY_BITS} bits`;
  }
  return undefined;
}

/** The key length in bytes keys of this configuration have. */
export function sessionKeyBytes(algorithm: string, keyBits: number | null): number {
  const found = hmacAlgorithm(algorithm);
  if (!found) throw new Error(`Unknown key generation algorithm ${algorithm}`);
  return Math.ceil((keyBits ?? found.defaultKeyBits) / 8);
}

/** A fresh random session key, as the leader distributes it. */
export function generateSessionKey(algorithm: string, keyBits: number | null, now: number): SessionKey {
  const found = hmacAlgorithm(algorithm);
  if (!found) throw new Error(`Unknown key generation algorithm ${algorithm}`);
  return { key: randomBytes(sessionKeyBytes(algorithm, keyBits)), algorithm: found.name, creationTimestamp: now };
}

/** What a request carried: the algorithm as spelled in its header, the decoded signature, the body it covers. */
export interface InternalRequestSignature {
  readonly algorithm: string;
  readonly signature: Buffer;
  readonly body: Buffer;
}

/** Checks a request's signature against the current session key (SessionKeys implements it). */
export interface InternalRequestVerifier {
  /** Whether requests must be signed now (the group runs `sessioned`). */
  readonly signaturesRequired: boolean;
  /** Throws a RuntimeError carrying Kafka Connect's status and message when the request must be refused. */
  verify(signature: InternalRequestSignature | null): void;
}

function mac(algorithm: string, key: Buffer, body: Buffer): Buffer {
  const found = hmacAlgorithm(algorithm);
  if (!found) throw new Error(`Algorithm ${algorithm} not available`);
  return createHmac(found.digest, key).update(body).digest();
}

/** The two headers that sign `body` with `key`. */
export function signatureHeaders(key: Buffer, algorithm: string, body: Buffer): Record<string, string> {
  return {
    [SIGNATURE_HEADER]: mac(algorithm, key, body).toString('base64'),
    [SIGNATURE_ALGORITHM_HEADER]: algorithm,
  };
}

export function isValidSignature(signature: InternalRequestSignature, key: Buffer): boolean {
  const expected = mac(signature.algorithm, key, signature.body);
  return expected.length === signature.signature.length && timingSafeEqual(expected, signature.signature);
}

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/**
 * The signature a request carries, null when either header is missing (an unsigned request).
 * An algorithm unknown here or a signature that is not base64 is a 400, as in Kafka Connect,
 * whether or not the cluster verifies signatures.
 */
export function readRequestSignature(headers: Headers, body: Buffer): InternalRequestSignature | null {
  const algorithm = header(headers, SIGNATURE_ALGORITHM_HEADER);
  const encoded = header(headers, SIGNATURE_HEADER);
  if (algorithm === undefined || encoded === undefined) return null;
  if (!hmacAlgorithm(algorithm)) throw new BadRequestError(`Algorithm ${algorithm} not available`);
  return { algorithm, signature: decodeBase64Strictly(encoded), body };
}

/** Java's basic Base64 decoder: the standard alphabet only, with padding where needed. */
function decodeBase64Strictly(text: string): Buffer {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) throw new BadRequestError(`Illegal base64 character ${bad[0].charCodeAt(0).toString(16)}`);
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/.test(text)) {
    throw new BadRequestError('Input byte array has wrong 4-byte ending unit');
  }
  return Buffer.from(text, 'base64');
}
