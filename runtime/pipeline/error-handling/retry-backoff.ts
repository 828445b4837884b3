/**
 * The wait before each retry, as Kafka computes it: 300 ms before the first retry, doubling
 * before each next one; once the doubled wait would pass errors.retry.delay.max.ms, a random
 * wait below that cap instead (Kafka's jitter). The caller also clamps it to the retry deadline.
 */
import { sleep as abortableSleep } from '../../kafka/wire/retry.js';

export const RETRY_DELAY_MIN_MS = 300;

/** `retry` counts from 1 (the wait before the first retry). `random` returns [0, 1). */
export function retryDelayMs(retry: number, maxDelayMs: number, random: () => number = Math.random): number {
  const doubled = RETRY_DELAY_MIN_MS * 2 ** Math.min(retry - 1, 52);
  if (doubled <= maxDelayMs) return doubled;
  return Math.floor(random() * Math.max(0, maxDelayMs));
}

/** Waits `ms` milliseconds, returning early (without throwing) once `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<void>;

export const sleep: Sleep = abortableSleep;
