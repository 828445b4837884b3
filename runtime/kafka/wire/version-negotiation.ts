/**
 * Picks the request version for an API: the highest version inside both the broker's
 * advertised range (ApiVersions) and the range the codec declares.
 */
import type { ApiDefinition, Fields } from '../../../broker/protocol/schema.js';
import { UnsupportedApiError } from './kafka-error.js';

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** Broker ranges by API key, as advertised in an ApiVersions response. */
export type BrokerApiVersions = ReadonlyMap<number, VersionRange>;

export function negotiateVersion(api: ApiDefinition<Fields, Fields>, broker: BrokerApiVersions): number {
  const advertised = broker.get(api.key);
  if (!advertised) throw new UnsupportedApiError(`the broker does not serve ${api.name} (key ${api.key})`);
  const high = Math.min(advertised.max, api.maxVersion);
  const low = Math.max(advertised.min, api.minVersion);
  if (high < low) {
    throw new UnsupportedApiError(
      `no common version of ${api.name}: the broker serves ${advertised.min}–${advertised.max}, this client ${api.minVersion}–${api.maxVersion}`,
    );
  }
  return high;
}
