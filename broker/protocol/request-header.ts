/**
 * Request and response headers (broker notes §1.2, §1.3).
 *
 * Request header v1 is key, version, correlation id and a classic nullable client id; v2 adds
 * a tag section and is used exactly when the API version is flexible. Response headers carry
 * a tag section for flexible versions, except ApiVersions, whose response header never does.
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
}

export const API_VERSIONS_KEY = 18;

/** Reads key, version and correlation id: the part every header version shares. */
export function readHeaderPrefix(r: Reader): Omit<RequestHeader, 'clientId'> {
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32() };
}

export function readHeaderRest(r: Reader, flexible: boolean): string {
  const clientId = r.nullableString() ?? '';
  if (flexible) skipTags(r);
  return clientId;
}

export function writeRequestHeader(w: Writer, h: RequestHeader, flexible: boolean): void {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId).nullableString(h.clientId);
  if (flexible) w.uvarint(0);
}

export function writeResponseHeader(w: Writer, apiKey: number, correlationId: number, flexible: boolean): void {
  w.int32(correlationId);
  if (flexible && apiKey !== API_VERSIONS_KEY) w.uvarint(0);
}

export function readResponseHeader(r: Reader, apiKey: number, flexible: boolean): number {
  const correlationId = r.int32();
  if (flexible && apiKey !== API_VERSIONS_KEY) skipTags(r);
  return correlationId;
}

function skipTags(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.raw(r.uvarint());
  }
}
