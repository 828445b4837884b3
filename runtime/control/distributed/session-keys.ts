/**
 * The cluster's session key (KIP-507), as Kafka Connect's DistributedHerder keeps it:
 * - the key is whatever the last `session-key` record on the config topic holds; every worker
 *   reads it from there (ConfigStore) and signs its internal requests with it;
 * - only the leader writes keys, and only while the group runs `sessioned`: a new key when there
 *   is none, when the current one is older than `inter.worker.key.ttl.ms` (counted from its
 *   creation-timestamp), or when its algorithm or length differ from this worker's
 *   `inter.worker.key.generation.algorithm` / `inter.worker.key.size`. check() runs after every
 *   assignment and, on the leader, again when the current key expires (a timer);
 * - verification (verify) applies only while the group runs `sessioned`, in Java's order:
 *   missing signature 400, algorithm not in inter.worker.verification.algorithms 400, no key
 *   read yet 503, wrong signature 403.
 * A ttl of 0 means keys are never rotated for age. check() calls do not overlap: one that
 * arrives while a key is being written waits for that write and checks again.
 */
import type { Logger } from 'pino';
import { BadRequestError, InternalRequestRefusedError } from '../../errors.js';
import type { ConfigStore } from '../../stores/config-store.js';
import type { SessionKey } from '../../stores/topic/config-records.js';
import {
  generateSessionKey, isValidSignature, sessionKeyBytes, signatureHeaders,
  type InternalRequestSignature, type InternalRequestVerifier,
} from './request-signature.js';

export interface SessionKeySettings {
  readonly keyGenerationAlgorithm: string;
  /** inter.worker.key.size; null: the algorithm's default. */
  readonly keySizeBits: number | null;
  readonly keyTtlMs: number;
  readonly signatureAlgorithm: string;
  readonly verificationAlgorithms: readonly string[];
}

export interface SessionKeysOptions {
  readonly configs: ConfigStore;
  readonly settings: SessionKeySettings;
  readonly isLeader: () => boolean;
  /** The group's current sub-protocol ('sessioned', 'compatible', ...); null before joining. */
  readonly protocol: () => string | null;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Wait before a leader tries again after a failed key write; 1000 ms when absent. */
  readonly retryMs?: number;
}

export const MISSING_SIGNATURE = 'Internal request missing required signature';
export const INVALID_SIGNATURE = 'Internal request contained invalid signature.';
export const NO_SESSION_KEY = 'This worker is still starting up and has not been able to read a session key from the config topic yet';

const MAX_TIMER_MS = 2 ** 31 - 1;

export class SessionKeys implements InternalRequestVerifier {
  readonly #options: SessionKeysOptions;
  readonly #now: () => number;
  readonly #unsubscribe: () => void;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: SessionKeysOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = options.configs.onChange((change) => {
      if (!change.sessionKeyChanged) return;
      options.logger.info('Session key updated');
      this.#scheduleRotation();
    });
  }

  /** Whether the group runs `sessioned`, so internal requests must be signed. */
  get validationEnabled(): boolean {
    return this.#options.protocol() === 'sessioned';
  }

  get signaturesRequired(): boolean {
    return this.validationEnabled;
  }

  current(): SessionKey | undefined {
    return this.#options.configs.snapshot().sessionKey;
  }

  /** Headers that sign `body` for another worker; none while no key has been read (as Java sends). */
  signatureHeaders(body: Buffer): Record<string, string> {
    const key = this.current();
    return key ? signatureHeaders(key.key, this.#options.settings.signatureAlgorithm, body) : {};
  }

  verify(signature: InternalRequestSignature | null): void {
    if (!this.validationEnabled) return;
    const accepted = this.#options.settings.verificationAlgorithms;
    if (signature === null) throw new BadRequestError(MISSING_SIGNATURE);
    if (!accepted.includes(signature.algorithm)) {
      throw new BadRequestError(`This worker does not support the '${signature.algorithm}' key signing algorithm used by other `
        + `workers. This worker is currently configured to use: [${accepted.join(', ')}]. Check that all workers' configuration `
        + 'files permit the same set of signature algorithms, and correct any misconfigured worker and restart it.');
    }
    const key = this.current();
    if (!key) throw new InternalRequestRefusedError(503, NO_SESSION_KEY);
    if (!isValidSignature(signature, key.key)) throw new InternalRequestRefusedError(403, INVALID_SIGNATURE);
  }

  /** The leader distributes a new key when needed (see the header); followers do nothing. Never throws. */
  check(): Promise<void> {
    if (this.#checking) {
      this.#again = true;
      return this.#checking;
    }
    this.#checking = this.#checkOnce().finally(() => {
      this.#checking = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.check();
      }
    });
    return this.#checking;
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe();
    clearTimeout(this.#timer);
  }

  async #checkOnce(): Promise<void> {
    if (this.#stopped || !this.validationEnabled || !this.#options.isLeader()) return;
    const reason = this.#rotationReason();
    if (reason === undefined) {
      this.#scheduleRotation();
      return;
    }
    const { settings, configs, logger } = this.#options;
    try {
      logger.debug({ reason }, 'distributing a new session key');
      await configs.putSessionKey(generateSessionKey(settings.keyGenerationAlgorithm, settings.keySizeBits, this.#now()));
    } catch (err) {
      logger.warn({ err }, 'Failed to write new session key to config topic; trying again');
      this.#arm(this.#options.retryMs ?? 1000);
      return;
    }
    this.#scheduleRotation();
  }

  #rotationReason(): string | undefined {
    const key = this.current();
    const { settings } = this.#options;
    if (!key) return 'no session key has been distributed yet';
    if (this.#expiresAt(key) <= this.#now()) return 'the session key expired';
    if (key.algorithm.toLowerCase() !== settings.keyGenerationAlgorithm.toLowerCase()
      || key.key.length !== sessionKeyBytes(settings.keyGenerationAlgorithm, settings.keySizeBits)) {
      return 'the session key\'s algorithm or size differs from this worker\'s configuration';
    }
    return undefined;
  }

  #expiresAt(key: SessionKey): number {
    const ttl = this.#options.settings.keyTtlMs;
    return ttl > 0 ? key.creationTimestamp + ttl : Number.POSITIVE_INFINITY;
  }

  /** On the leader of a sessioned group: a check when the current key expires. */
  #scheduleRotation(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || !this.validationEnabled || !this.#options.isLeader()) return;
    const key = this.current();
    if (!key) return;
    const expiresAt = this.#expiresAt(key);
    if (expiresAt === Number.POSITIVE_INFINITY) return;
    this.#arm(Math.max(0, expiresAt - this.#now()));
  }

  #arm(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.check();
    }, Math.min(delayMs, MAX_TIMER_MS));
    this.#timer.unref();
  }
}
