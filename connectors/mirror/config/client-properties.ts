/**
 * Client properties for the clusters a mirror connector reaches itself, derived from the
 * connector config as MirrorMaker's MirrorConnectorConfig does, in rising precedence:
 *   1. `<side>.cluster.*`, except the `producer.` / `consumer.` / `admin.` sub-prefixes and the
 *      `<side>.cluster.alias` key (bootstrap, security and other settings every client of that
 *      cluster shares);
 *   2. `<side>.cluster.<role>.*` (ferry also honours this spelling, which dedicated-mode files
 *      produce from `A.consumer.*`);
 *   3. connector-level `<role>.*` (`consumer.*`, `producer.*`, `admin.*`; Connect's own
 *      `producer.override.*` / `consumer.override.*` are the worker's and are left out);
 *   4. `<side>.<role>.*` (`source.consumer.*`, `target.admin.*`, ...).
 * Consumers always get `enable.auto.commit=false` and `auto.offset.reset=earliest` unless set.
 */
import type { RawConfig } from '../../sdk/connector.js';
import type { ClientProperties } from '../../sdk/kafka-clusters.js';

export type ClusterSide = 'source' | 'target';
export type ClientRole = 'consumer' | 'producer' | 'admin';

const ROLES: readonly ClientRole[] = ['consumer', 'producer', 'admin'];

function withPrefix(raw: RawConfig, prefix: string, keep: (key: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || !key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (rest !== '' && keep(rest)) out[rest] = value;
  }
  return out;
}

export function clientProperties(raw: RawConfig, side: ClusterSide, role: ClientRole): ClientProperties {
  const props: Record<string, string> = {
    ...withPrefix(raw, `${side}.cluster.`, (k) => k !== 'alias' && !ROLES.some((r) => k.startsWith(`${r}.`))),
    ...withPrefix(raw, `${side}.cluster.${role}.`),
    ...withPrefix(raw, `${role}.`, (k) => !k.startsWith('override.')),
    ...withPrefix(raw, `${side}.${role}.`),
  };
  if (role === 'consumer') {
    props['enable.auto.commit'] = 'false';
    props['auto.offset.reset'] ??= 'earliest';
  }
  return Object.freeze(props);
}
