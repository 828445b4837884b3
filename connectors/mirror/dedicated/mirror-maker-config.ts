/**
 * MirrorMaker 2's dedicated-mode file (`connect-mirror-maker.properties`, reference
 * connectors.md §6.1) translated into herders: one Connect worker per `source->target` pair
 * that replicates or emits heartbeats, running against the target cluster, with the
 * connector configs it must hold. Pure: reads a property map, touches nothing.
 *
 * Keys are read in three kinds: `<alias>.<key>` (a cluster in `clusters`; the longest alias
 * wins), `<src>-><tgt>.<key>` (a flow), and the rest (top level).
 *
 * Precedence, later wins:
 * - a cluster's client settings: top-level shared client settings (security.protocol, ssl.*,
 *   sasl.*, ...) < `<alias>.<key>`; role settings (`<alias>.producer.*` etc.) on top for that role;
 * - a herder's worker: top-level passthrough families (offset/config/status.storage.*,
 *   converters, task*, worker*, replication.policy*, config.providers*) < the target
 *   cluster's settings (un-prefixed, and copied under producer./consumer./admin. because
 *   Connect's task clients do not inherit the worker's un-prefixed settings) < per-flow worker
 *   settings (`A->B.group.id`, `A->B.offset.flush.interval.ms`, converters, ...); then
 *   MirrorMaker's defaults fill what is still missing;
 * - a connector: top-level connector properties < `source.cluster.*` / `target.cluster.*` and
 *   `source.<role>.*` / `target.<role>.*` from the two clusters < name, class and aliases <
 *   per-flow `<src>-><tgt>.<prop>` (except `enabled`, `name`, `connector.class` and
 *   worker-only settings).
 *
 * Invariants: every herder's connectors are a subset of the three Mirror connectors, under
 * their simple class names; a flow that is not enabled has only MirrorHeartbeatConnector;
 * herders come in `clusters` order (source, then target).
 */
import type { RawConfig } from '../../sdk/connector.js';
import {
  CLIENT_ROLES, DEDICATED_MODE_KEYS, isClusterWorkerSetting, isConnectorKey, isConverterKey, isSharedClientKey, isWorkerOnlyKey, isWorkerPassthroughKey,
  type ClientRole,
} from './property-names.js';

export const MIRROR_CONNECTOR_CLASSES = {
  MirrorSourceConnector: 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
  MirrorCheckpointConnector: 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
  MirrorHeartbeatConnector: 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
} as const;

export type MirrorConnectorName = keyof typeof MIRROR_CONNECTOR_CLASSES;

const BYTE_ARRAY_CONVERTER = 'org.apache.kafka.connect.converters.ByteArrayConverter';

/** The file cannot be run as it is; the message names the key and says what to change. */
export class MirrorMakerConfigError extends Error {
  override readonly name = 'MirrorMakerConfigError';
}

export interface Flow {
  readonly source: string;
  readonly target: string;
}

export function flowName(flow: Flow): string {
  return `${flow.source}->${flow.target}`;
}

export interface ConnectorPlan {
  readonly name: MirrorConnectorName;
  readonly config: Record<string, string>;
}

export interface HerderPlan extends Flow {
  /** `source->target` */
  readonly name: string;
  /** `<src>-><tgt>.enabled`: topics and checkpoints are replicated. */
  readonly replicationEnabled: boolean;
  readonly heartbeatsEnabled: boolean;
  /** Distributed worker properties, running against the target cluster. */
  readonly workerProperties: Record<string, string>;
  readonly connectors: readonly ConnectorPlan[];
}

/** One cluster's client settings: `base` for every client, `roles` on top for one kind. */
export interface ClusterSettings {
  readonly base: Readonly<Record<string, string>>;
  readonly roles: Readonly<Record<ClientRole, Readonly<Record<string, string>>>>;
}

export class MirrorMakerConfig {
  readonly herders: readonly HerderPlan[];

  /** @internal use parseMirrorMakerConfig */
  constructor(
    readonly clusters: readonly string[],
    private readonly topLevel: Readonly<Record<string, string>>,
    private readonly clusterKeys: ReadonlyMap<string, Readonly<Record<string, string>>>,
    private readonly flowKeys: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ) {
    const herders: HerderPlan[] = [];
    for (const source of clusters) {
      for (const target of clusters) {
        if (source === target) continue;
        const herder = this.herder({ source, target });
        if (herder) herders.push(herder);
      }
    }
    this.herders = herders;
  }

  /** Top-level keys that dedicated mode passes nowhere (a typo, or a setting that belongs under a cluster or flow prefix). */
  get unusedKeys(): string[] {
    return Object.keys(this.topLevel).filter((key) => !DEDICATED_MODE_KEYS.has(key) && !isSharedClientKey(key)
      && !isConnectorKey(key) && !isWorkerPassthroughKey(key));
  }

  /** `dedicated.mode.enable.internal.rest` (KIP-710), default false. */
  get internalRestEnabled(): boolean {
    return booleanSetting(this.topLevel['dedicated.mode.enable.internal.rest'], false, 'dedicated.mode.enable.internal.rest');
  }

  /** The top-level `listeners`, if set (per-flow `src->tgt.listeners` is in that herder's worker properties). */
  get listeners(): string | undefined {
    return this.topLevel.listeners;
  }

  /** The herder of a flow, or undefined when it neither replicates nor emits heartbeats. */
  herder(flow: Flow): HerderPlan | undefined {
    this.requireCluster(flow.source);
    this.requireCluster(flow.target);
    const replicationEnabled = this.replicationEnabled(flow);
    const heartbeatsEnabled = this.heartbeatsEnabled(flow);
    if (!replicationEnabled && !heartbeatsEnabled) return undefined;
    const names: MirrorConnectorName[] = replicationEnabled ? ['MirrorSourceConnector', 'MirrorCheckpointConnector'] : [];
    if (heartbeatsEnabled) names.push('MirrorHeartbeatConnector');
    return {
      ...flow,
      name: flowName(flow),
      replicationEnabled,
      heartbeatsEnabled,
      workerProperties: this.workerProperties(flow),
      connectors: names.map((name) => ({ name, config: this.connectorConfig(flow, name) })),
    };
  }

  replicationEnabled(flow: Flow): boolean {
    return booleanSetting(this.flowOverrides(flow).enabled, false, `${flowName(flow)}.enabled`);
  }

  heartbeatsEnabled(flow: Flow): boolean {
    const own = this.flowOverrides(flow)['emit.heartbeats.enabled'];
    return own !== undefined
      ? booleanSetting(own, true, `${flowName(flow)}.emit.heartbeats.enabled`)
      : booleanSetting(this.topLevel['emit.heartbeats.enabled'], true, 'emit.heartbeats.enabled');
  }

  clusterSettings(alias: string): ClusterSettings {
    const own = this.requireCluster(alias);
    const base: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.topLevel)) if (isSharedClientKey(key)) base[key] = value;
    const roles: Record<ClientRole, Record<string, string>> = { producer: {}, consumer: {}, admin: {} };
    for (const [key, value] of Object.entries(own)) {
      const role = CLIENT_ROLES.find((r) => key.startsWith(`${r}.`));
      if (role) roles[role][key.slice(role.length + 1)] = value;
      else base[key] = value;
    }
    return { base, roles };
  }

  /**
   * A cluster's settings as one flat map for a worker or a tool: un-prefixed settings, each
   * shared client setting also under `producer.`, `consumer.` and `admin.`, and the role
   * settings under their prefixes.
   */
  clientProperties(alias: string): Record<string, string> {
    const { base, roles } = this.clusterSettings(alias);
    const out: Record<string, string> = { ...base };
    for (const role of CLIENT_ROLES) {
      for (const [key, value] of Object.entries(base)) if (isSharedClientKey(key)) out[`${role}.${key}`] = value;
      for (const [key, value] of Object.entries(roles[role])) out[`${role}.${key}`] = value;
    }
    return out;
  }

  workerProperties(flow: Flow): Record<string, string> {
    const props: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.topLevel)) if (isWorkerPassthroughKey(key)) props[key] = value;
    Object.assign(props, this.clientProperties(flow.target));
    for (const [key, value] of Object.entries(this.flowOverrides(flow))) {
      if (isWorkerOnlyKey(key) || isWorkerPassthroughKey(key)) props[key] = value;
    }
    const defaults: Record<string, string> = {
      'group.id': `${flow.source}-mm2`,
      'offset.storage.topic': `mm2-offsets.${flow.source}.internal`,
      'status.storage.topic': `mm2-status.${flow.source}.internal`,
      'config.storage.topic': `mm2-configs.${flow.source}.internal`,
      'client.id': flowName(flow),
      'key.converter': BYTE_ARRAY_CONVERTER,
      'value.converter': BYTE_ARRAY_CONVERTER,
      'header.converter': BYTE_ARRAY_CONVERTER,
    };
    for (const [key, value] of Object.entries(defaults)) props[key] ??= value;
    return props;
  }

  /** A connector's config for a flow, whether or not the flow's herder would run it. */
  connectorConfig(flow: Flow, connector: MirrorConnectorName): Record<string, string> {
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.topLevel)) if (isConnectorKey(key)) config[key] = value;
    Object.assign(config, sideSettings('source', this.clusterSettings(flow.source)), sideSettings('target', this.clusterSettings(flow.target)));
    config.name = connector;
    config['connector.class'] = MIRROR_CONNECTOR_CLASSES[connector];
    config['source.cluster.alias'] = flow.source;
    config['target.cluster.alias'] = flow.target;
    for (const [key, value] of Object.entries(this.flowOverrides(flow))) {
      if (FLOW_KEYS_NOT_FOR_CONNECTORS.has(key) || (isWorkerOnlyKey(key) && !isConverterKey(key))) continue;
      config[key] = value;
    }
    return config;
  }

  private flowOverrides(flow: Flow): Readonly<Record<string, string>> {
    return this.flowKeys.get(flowName(flow)) ?? {};
  }

  private requireCluster(alias: string): Readonly<Record<string, string>> {
    const own = this.clusterKeys.get(alias);
    if (!own) throw new MirrorMakerConfigError(`cluster '${alias}' is not in clusters (${this.clusters.join(', ')})`);
    return own;
  }
}

const FLOW_KEYS_NOT_FOR_CONNECTORS = new Set(['enabled', 'name', 'connector.class']);

/**
 * `source.cluster.*` and `source.<role>.*` (or target's) from one cluster's settings, less the
 * herder's own `<alias>.exactly.once.source.support`, which no Kafka client knows.
 */
function sideSettings(side: 'source' | 'target', cluster: ClusterSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(cluster.base)) if (!isClusterWorkerSetting(key)) out[`${side}.cluster.${key}`] = value;
  for (const role of CLIENT_ROLES) {
    for (const [key, value] of Object.entries(cluster.roles[role])) out[`${side}.${role}.${key}`] = value;
  }
  return out;
}

function booleanSetting(value: string | undefined, fallback: boolean, key: string): boolean {
  if (value === undefined) return fallback;
  const text = value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new MirrorMakerConfigError(`${key} must be true or false, got '${value}'`);
}

/** Parses and checks a dedicated-mode property map; throws MirrorMakerConfigError naming the first problem. */
export function parseMirrorMakerConfig(raw: RawConfig): MirrorMakerConfig {
  const clusters = parseClusters(raw.clusters);
  const byLength = [...clusters].sort((a, b) => b.length - a.length);
  const longestPrefix = (key: string) => byLength.find((alias) => key.startsWith(`${alias}.`));
  const topLevel: Record<string, string> = {};
  const clusterKeys = new Map<string, Record<string, string>>(clusters.map((alias) => [alias, {}]));
  const flowKeys = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(raw)) {
    const arrow = key.indexOf('->');
    const dot = key.indexOf('.');
    if (arrow > 0 && (dot < 0 || arrow < dot || clusters.some((alias) => key.startsWith(`${alias}->`)))) {
      const { flow, rest } = parseFlowKey(key, arrow, clusters, longestPrefix);
      const name = flowName(flow);
      if (!flowKeys.has(name)) flowKeys.set(name, {});
      flowKeys.get(name)![rest] = value;
      continue;
    }
    const alias = longestPrefix(key);
    if (alias !== undefined) clusterKeys.get(alias)![key.slice(alias.length + 1)] = value;
    else topLevel[key] = value;
  }
  for (const alias of clusters) {
    const bootstrap = clusterKeys.get(alias)!['bootstrap.servers'];
    if (bootstrap === undefined || bootstrap.trim() === '') {
      throw new MirrorMakerConfigError(`cluster '${alias}' has no bootstrap.servers: set ${alias}.bootstrap.servers`);
    }
  }
  return new MirrorMakerConfig(clusters, topLevel, clusterKeys, flowKeys);
}

function parseClusters(value: string | undefined): string[] {
  const aliases = (value ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  if (aliases.length === 0) throw new MirrorMakerConfigError("clusters is not set: list the cluster aliases, e.g. 'clusters = A, B'");
  const seen = new Set<string>();
  for (const alias of aliases) {
    if (/\s/.test(alias) || alias.includes('->')) throw new MirrorMakerConfigError(`cluster alias '${alias}' must not contain spaces or '->'`);
    if (seen.has(alias)) throw new MirrorMakerConfigError(`cluster '${alias}' is listed twice in clusters`);
    seen.add(alias);
  }
  return aliases;
}

function parseFlowKey(
  key: string, arrow: number, clusters: readonly string[], longestPrefix: (key: string) => string | undefined,
): { flow: Flow; rest: string } {
  const source = key.slice(0, arrow);
  const after = key.slice(arrow + 2);
  const target = longestPrefix(after);
  const known = clusters.join(', ');
  if (!clusters.includes(source)) {
    throw new MirrorMakerConfigError(`'${key}' names cluster '${source}', which is not in clusters (${known})`);
  }
  if (target === undefined) {
    const dot = after.indexOf('.');
    const named = dot < 0 ? after : after.slice(0, dot);
    throw new MirrorMakerConfigError(`'${key}' names cluster '${named}', which is not in clusters (${known})`);
  }
  if (target === source) throw new MirrorMakerConfigError(`'${key}': a flow from cluster '${source}' to itself is not possible`);
  return { flow: { source, target }, rest: after.slice(target.length + 1) };
}
