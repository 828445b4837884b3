/**
 * Brokers running in this process that Kafka clients here reach without TCP. `ferry start`
 * registers its bundled broker under the addresses the worker is given (bootstrap and
 * advertised); a BrokerConnection to one of them asks the broker for an in-process connection
 * instead of dialling. Everything above the byte stream (ApiVersions, requests, timeouts, the
 * broker's handlers and limits) is the same as over TCP; TLS is never in-process.
 * Clients in other processes, and this process's connections to any other broker, use TCP.
 */
import type { ConnectionStream } from '../../../broker/protocol/connection-stream.js';
import type { ReadTarget } from '../../../broker/protocol/frame-assembler.js';

/** Opens an in-process connection whose answers are read into `target`; throws when the broker is closing. */
export type InProcessConnect = (target: ReadTarget) => ConnectionStream;

const brokers = new Map<string, InProcessConnect>();

const keyOf = (host: string, port: number): string => `${host.toLowerCase()}:${port}`;

/** Serves connections to these addresses in process until the returned function is called. */
export function registerInProcessBroker(addresses: readonly { host: string; port: number }[], connect: InProcessConnect): () => void {
  const keys = [...new Set(addresses.map((a) => keyOf(a.host, a.port)))];
  for (const key of keys) {
    if (brokers.has(key)) throw new Error(`an in-process broker is already registered at ${key}`);
  }
  for (const key of keys) brokers.set(key, connect);
  return () => {
    for (const key of keys) if (brokers.get(key) === connect) brokers.delete(key);
  };
}

/** The in-process broker at this address, if one is registered. */
export function inProcessBroker(host: string, port: number): InProcessConnect | undefined {
  return brokers.size === 0 ? undefined : brokers.get(keyOf(host, port));
}
