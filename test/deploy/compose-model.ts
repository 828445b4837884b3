/**
 * docker-compose.yml as the deployment tests read it: parsed the way Compose parses it (YAML
 * merge keys resolved), with each service's short syntaxes (environment lists, `HOST:PORT`
 * ports, `SRC:DST:ro` volumes, list-form depends_on, healthcheck tests) turned into one shape,
 * and the clusters the file describes: Kafka clusters (nodes of one KRaft quorum) and ferry
 * Connect clusters (workers of one group.id).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { workerSettingsFromEnv } from '../../cli/worker/worker-env.js';
import { repoRoot } from '../helpers/repo-root.js';

/** Found by package.json, so the pipeline benchmark can run this module compiled under dist/. */
export const REPO = repoRoot(import.meta.dirname);
export const COMPOSE_FILE = path.join(REPO, 'docker-compose.yml');

export type EnvValue = string | number | boolean | null;

export interface ComposeHealthcheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string; protocol?: string })[];
  volumes?: (string | { type: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: string[] | Record<string, { condition: string; required?: boolean }>;
  healthcheck?: ComposeHealthcheck;
  restart?: string;
  profiles?: string[];
  hostname?: string;
  [key: string]: unknown;
}

export interface ComposeFile {
  name?: string;
  version?: unknown;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
  [key: string]: unknown;
}

export function readComposeText(): string {
  return fs.readFileSync(COMPOSE_FILE, 'utf8');
}

/** Parsed as Compose does: YAML 1.2 with `<<` merge keys. */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

export function loadCompose(): ComposeFile {
  return parseCompose(readComposeText());
}

/** A deep copy to break on purpose in tests of the checks. */
export function cloneCompose(compose: ComposeFile): ComposeFile {
  return structuredClone(compose);
}

/** The environment as the container gets it (before Compose's `${...}` interpolation). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

export interface Dependency {
  readonly service: string;
  readonly condition: string;
}

export function dependenciesOf(service: ComposeService): Dependency[] {
  const raw = service.depends_on ?? [];
  if (Array.isArray(raw)) return raw.map((name) => ({ service: name, condition: 'service_started' }));
  return Object.entries(raw).map(([name, spec]) => ({ service: name, condition: spec.condition }));
}

export interface PortMapping {
  readonly hostIp: string | undefined;
  readonly published: number | undefined;
  readonly target: number;
}

/** `[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]` or the long form; port ranges are not used here and throw. */
export function portsOf(service: ComposeService): PortMapping[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { hostIp: port.host_ip, published: port.published === undefined ? undefined : Number(port.published), target: port.target };
    }
    const text = String(port).replace(/\/(tcp|udp)$/, '');
    if (text.includes('-')) throw new Error(`port range '${text}' is not supported by these tests`);
    const parts = text.split(':');
    const target = Number(parts.pop());
    const published = parts.length > 0 ? Number(parts.pop()) : undefined;
    const hostIp = parts.length > 0 ? parts.join(':') : undefined;
    return { hostIp, published, target };
  });
}

export interface Mount {
  readonly type: 'bind' | 'volume' | 'tmpfs' | string;
  /** Host path (bind, as written) or volume name; undefined for an anonymous volume. */
  readonly source: string | undefined;
  readonly target: string;
  readonly readOnly: boolean;
}

export function mountsOf(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'object') {
      return { type: volume.type, source: volume.source, target: volume.target, readOnly: volume.read_only === true };
    }
    const parts = volume.split(':');
    if (parts.length === 1) return { type: 'volume', source: undefined, target: parts[0]!, readOnly: false };
    const [source, target, mode] = parts as [string, string, string | undefined];
    const bind = /^[./~]/.test(source);
    return { type: bind ? 'bind' : 'volume', source, target, readOnly: (mode ?? '').split(',').includes('ro') };
  });
}

/** A bind mount's host path, resolved as Compose does: relative to the compose file's folder. */
export function hostPath(mount: Mount): string {
  return path.resolve(path.dirname(COMPOSE_FILE), mount.source!);
}

/** Where a container path comes from on the host, through the service's bind mounts (undefined when not mounted). */
export function hostPathOf(service: ComposeService, containerPath: string): string | undefined {
  for (const mount of mountsOf(service)) {
    if (mount.type !== 'bind') continue;
    const rel = path.posix.relative(mount.target, containerPath);
    if (rel === '' || (!rel.startsWith('..') && !path.posix.isAbsolute(rel))) return path.join(hostPath(mount), rel);
  }
  return undefined;
}

export interface HealthcheckCommand {
  readonly kind: 'CMD' | 'CMD-SHELL' | 'NONE';
  /** CMD: the argv; CMD-SHELL: the shell text split at whitespace (enough to find the program). */
  readonly argv: string[];
}

export function healthcheckCommand(healthcheck: ComposeHealthcheck | undefined): HealthcheckCommand | undefined {
  if (healthcheck === undefined || healthcheck.disable === true || healthcheck.test === undefined) return undefined;
  const { test } = healthcheck;
  if (typeof test === 'string') return { kind: 'CMD-SHELL', argv: test.trim().split(/\s+/) };
  const [kind, ...rest] = test;
  if (kind === 'NONE') return { kind: 'NONE', argv: [] };
  if (kind === 'CMD-SHELL') return { kind: 'CMD-SHELL', argv: rest.join(' ').trim().split(/\s+/) };
  if (kind === 'CMD') return { kind: 'CMD', argv: rest };
  throw new Error(`healthcheck test must start with CMD, CMD-SHELL or NONE, not '${kind}'`);
}

/** `command:` as arguments (a string is split at whitespace, as Compose does for simple commands). */
export function argvOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.trim().split(/\s+/);
}

/** The value after `flag` in argv (`--url U`), or undefined. */
export function optionValue(argv: readonly string[], ...flags: string[]): string | undefined {
  const at = argv.findIndex((a) => flags.includes(a));
  return at < 0 ? undefined : argv[at + 1];
}

export interface ImageRef {
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function parseImage(image: string): ImageRef {
  const [nameAndTag, digest] = image.split('@') as [string, string | undefined];
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  if (colon > slash) return { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
  return { repository: nameAndTag, tag: undefined, digest };
}

/** `host:port` of a bootstrap list or address. */
export function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

// ---- Kafka ------------------------------------------------------------------------------------

export interface KafkaNode {
  readonly service: string;
  readonly nodeId: number;
  readonly roles: string[];
  readonly clusterId: string;
  readonly env: Record<string, string>;
  /** Listener name → `host:port` as advertised. */
  readonly advertised: Map<string, string>;
  /** Listener name → bound port. */
  readonly listenerPorts: Map<string, number>;
}

export interface KafkaCluster {
  /** The services of one KRaft quorum (KAFKA_CONTROLLER_QUORUM_VOTERS), sorted. */
  readonly services: string[];
  readonly nodes: KafkaNode[];
  readonly brokers: number;
}

export function isKafkaService(service: ComposeService): boolean {
  return service.image !== undefined && parseImage(service.image).repository === 'apache/kafka';
}

/** `NAME://host:port,...` → name → host:port. */
function listenerMap(value: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9_]+):\/\/(.*)$/.exec(entry);
    if (match) out.set(match[1]!, match[2]!);
  }
  return out;
}

export function kafkaNode(name: string, service: ComposeService): KafkaNode {
  const env = environmentOf(service);
  const listenerPorts = new Map([...listenerMap(env['KAFKA_LISTENERS'])].map(([k, v]) => [k, hostPort(v).port]));
  return {
    service: name,
    nodeId: Number(env['KAFKA_NODE_ID']),
    roles: (env['KAFKA_PROCESS_ROLES'] ?? '').split(',').map((r) => r.trim()).filter(Boolean),
    clusterId: env['CLUSTER_ID'] ?? '',
    env,
    advertised: listenerMap(env['KAFKA_ADVERTISED_LISTENERS']),
    listenerPorts,
  };
}

/** The quorum voters' services (`id@host:port,...` → hosts). */
export function quorumVoters(env: Record<string, string>): { id: number; host: string; port: number }[] {
  return (env['KAFKA_CONTROLLER_QUORUM_VOTERS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((voter) => {
    const [id, address] = voter.split('@') as [string, string];
    return { id: Number(id), ...hostPort(address) };
  });
}

/** Kafka nodes grouped by the quorum they vote in. */
export function kafkaClusters(compose: ComposeFile): KafkaCluster[] {
  const byQuorum = new Map<string, KafkaNode[]>();
  for (const [name, service] of Object.entries(compose.services)) {
    if (!isKafkaService(service)) continue;
    const node = kafkaNode(name, service);
    const key = quorumVoters(node.env).map((v) => v.host).sort().join(',');
    byQuorum.set(key, [...(byQuorum.get(key) ?? []), node]);
  }
  return [...byQuorum.values()].map((nodes) => ({
    services: nodes.map((n) => n.service).sort(),
    nodes,
    brokers: nodes.filter((n) => n.roles.includes('broker')).length,
  }));
}

/** The in-network address clients should use: the inter-broker listener as advertised. */
export function internalAddress(node: KafkaNode): string | undefined {
  const listener = node.env['KAFKA_INTER_BROKER_LISTENER_NAME'] ?? 'PLAINTEXT';
  return node.advertised.get(listener);
}

/** The Kafka cluster a bootstrap list names, when every address is one of its nodes' in-network addresses. */
export function clusterOfBootstrap(clusters: readonly KafkaCluster[], bootstrap: string): KafkaCluster | undefined {
  const addresses = bootstrap.split(',').map((s) => s.trim()).filter(Boolean);
  return clusters.find((cluster) => addresses.length > 0
    && addresses.every((address) => cluster.nodes.some((node) => internalAddress(node) === address)));
}

// ---- ferry ------------------------------------------------------------------------------------

/** Services built from this repository's Dockerfile. */
export function isFerryService(service: ComposeService): boolean {
  if (service.build === undefined) return false;
  const context = typeof service.build === 'string' ? service.build : service.build.context ?? '.';
  return path.resolve(path.dirname(COMPOSE_FILE), context) === REPO;
}

/** A ferry service running the image's default command, `ferry worker`. */
export function isFerryWorker(service: ComposeService): boolean {
  const argv = argvOf(service.command);
  return isFerryService(service) && (argv.length === 0 || (argv[0] === 'worker' && argv.length === 1));
}

/** A ferry service running `ferry connectors apply`. */
export function isConnectorsApply(service: ComposeService): boolean {
  const argv = argvOf(service.command);
  return isFerryService(service) && argv[0] === 'connectors' && argv[1] === 'apply';
}

/** Worker properties from a service's environment, read by ferry's own env → properties rule. */
export function workerProperties(env: Record<string, string>): Record<string, string> {
  return { ...workerSettingsFromEnv(env, { shortNames: true }).properties };
}

export interface ConnectCluster {
  readonly groupId: string;
  /** Worker services, sorted. */
  readonly workers: string[];
}

/** ferry workers grouped by group.id. */
export function connectClusters(compose: ComposeFile): ConnectCluster[] {
  const byGroup = new Map<string, string[]>();
  for (const [name, service] of Object.entries(compose.services)) {
    if (!isFerryWorker(service)) continue;
    const groupId = workerProperties(environmentOf(service))['group.id'] ?? '';
    byGroup.set(groupId, [...(byGroup.get(groupId) ?? []), name]);
  }
  return [...byGroup].map(([groupId, workers]) => ({ groupId, workers: workers.sort() }));
}

/** The port a worker's REST API listens on inside its container (first listener; Kafka's default 8083). */
export function restPortOf(properties: Record<string, string>): number {
  const first = (properties['listeners'] ?? '').split(',')[0]?.trim();
  const match = first ? /:(\d+)\/?$/.exec(first) : null;
  return match ? Number(match[1]) : Number(properties['rest.port'] ?? 8083);
}

// ---- connector files ---------------------------------------------------------------------------

export const CONNECTORS_DIR = path.join(REPO, 'deploy/connectors');

export interface ConnectorFile {
  /** Path relative to the repository. */
  readonly file: string;
  readonly name: string;
  readonly config: Record<string, string>;
}

/** Every `*.json` under deploy/connectors, in either shape `connectors apply` reads. */
export function connectorFiles(dir = CONNECTORS_DIR): ConnectorFile[] {
  const out: ConnectorFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...connectorFiles(full));
    else if (entry.name.endsWith('.json')) {
      const parsed = JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
      const config = (typeof parsed['config'] === 'object' ? parsed['config'] : parsed) as Record<string, string>;
      out.push({ file: path.relative(REPO, full), name: String(parsed['name'] ?? config['name']), config: { ...config } });
    }
  }
  return out;
}

/** `${provider:[path:]key}` placeholders of Kafka's config providers in a value. */
export function placeholders(value: string): { provider: string; path: string | undefined; key: string }[] {
  return [...value.matchAll(/\$\{([A-Za-z0-9_.-]+):(?:([^:}]*):)?([^}]*)\}/g)].map((m) => ({ provider: m[1]!, path: m[2], key: m[3]! }));
}
