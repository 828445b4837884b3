/**
 * What docker-compose.yml must get right that the compose-spec schema cannot see. Each check
 * returns one line per problem (empty: fine), so a test can show that the real file passes and
 * that a copy broken on purpose does not.
 *
 * Facts about the images the file uses (which programs a health check may call) come from the
 * images' Dockerfiles as summarised in shared/reference/deployment-and-ui.md A2.3, A3.1 and A4.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../connectors/sdk/config/config-spec.js';
import { distributedWorkerSpec } from '../../runtime/config/worker-config.js';
import {
  argvOf, clusterOfBootstrap, CONNECTORS_DIR, connectClusters, connectorFiles, dependenciesOf, environmentOf, healthcheckCommand,
  hostPath, hostPathOf, hostPort, internalAddress, isConnectorsApply, isFerryService, isFerryWorker, kafkaClusters,
  mountsOf, optionValue, parseImage, placeholders, portsOf, quorumVoters, REPO, restPortOf, workerProperties,
  type ComposeFile, type ComposeService, type ConnectorFile, type KafkaCluster,
} from './compose-model.js';

type Check = (compose: ComposeFile) => string[];

const services = (compose: ComposeFile) => Object.entries(compose.services);

// ---- structure --------------------------------------------------------------------------------

export const checkTopLevel: Check = (compose) => {
  const problems: string[] = [];
  if (compose.version !== undefined) problems.push('top-level `version` is obsolete: Compose ignores it and warns; remove it');
  if (typeof compose.name !== 'string' || compose.name === '') problems.push('top-level `name` is missing: the project name would depend on the folder name');
  return problems;
};

export const checkDependencies: Check = (compose) => {
  const problems: string[] = [];
  for (const [name, service] of services(compose)) {
    for (const dep of dependenciesOf(service)) {
      const target = compose.services[dep.service];
      if (dep.service === name) problems.push(`${name} depends on itself`);
      if (target === undefined) {
        problems.push(`${name} depends on ${dep.service}, which is no service`);
        continue;
      }
      if (dep.condition === 'service_healthy') {
        const command = healthcheckCommand(target.healthcheck);
        if (command === undefined || command.kind === 'NONE') {
          problems.push(`${name} waits for ${dep.service} to be healthy, but ${dep.service} has no enabled healthcheck in this file`);
        }
      }
      if (dep.condition === 'service_completed_successfully' && !['no', undefined].includes(target.restart)) {
        problems.push(`${name} waits for ${dep.service} to complete, but ${dep.service} restarts (${target.restart}), so it never completes`);
      }
      const profiles = target.profiles ?? [];
      if (profiles.length > 0 && !(service.profiles ?? []).some((p) => profiles.includes(p))) {
        problems.push(`${name} depends on ${dep.service}, which only runs with profiles ${profiles.join(', ')}`);
      }
    }
  }
  // Compose refuses dependency cycles.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name) || compose.services[name] === undefined) return;
    if (visiting.has(name)) {
      problems.push(`dependency cycle: ${[...trail, name].join(' -> ')}`);
      return;
    }
    visiting.add(name);
    for (const dep of dependenciesOf(compose.services[name])) visit(dep.service, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of Object.keys(compose.services)) visit(name, []);
  return problems;
};

export const checkVolumes: Check = (compose) => {
  const problems: string[] = [];
  const declared = new Set(Object.keys(compose.volumes ?? {}));
  const used = new Set<string>();
  for (const [name, service] of services(compose)) {
    for (const mount of mountsOf(service)) {
      if (mount.type === 'volume' && mount.source !== undefined) {
        used.add(mount.source);
        if (!declared.has(mount.source)) problems.push(`${name} mounts volume ${mount.source}, which is not declared under top-level volumes`);
      }
      if (mount.type === 'bind' && !fs.existsSync(hostPath(mount))) {
        problems.push(`${name} bind-mounts ${mount.source}, which does not exist in the repository`);
      }
    }
  }
  for (const volume of declared) if (!used.has(volume)) problems.push(`volume ${volume} is declared but no service mounts it`);
  return problems;
};

export const checkPorts: Check = (compose) => {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [name, service] of services(compose)) {
    for (const port of portsOf(service)) {
      if (port.published === undefined) continue;
      if (port.hostIp !== '127.0.0.1') problems.push(`${name} publishes ${port.published} on ${port.hostIp ?? 'every interface'}; bind it to 127.0.0.1`);
      const other = seen.get(String(port.published));
      if (other !== undefined) problems.push(`${name} and ${other} both publish host port ${port.published}`);
      seen.set(String(port.published), name);
    }
  }
  return problems;
};

const MOVING_TAGS = new Set(['latest', 'stable', 'edge', 'test', 'nightly', 'dev', 'beta', 'canary', 'lts', 'main', 'master']);

export const checkImages: Check = (compose) => {
  const problems: string[] = [];
  for (const [name, service] of services(compose)) {
    if (service.image !== undefined && service.build !== undefined) problems.push(`${name} has both image and build`);
    if (service.image === undefined) {
      if (service.build === undefined) problems.push(`${name} has neither image nor build`);
      continue;
    }
    const ref = parseImage(service.image);
    if (ref.digest !== undefined) continue;
    if (ref.tag === undefined) problems.push(`${name}: image ${service.image} has no tag (means latest)`);
    else if (MOVING_TAGS.has(ref.tag) || !/\d/.test(ref.tag)) problems.push(`${name}: image ${service.image} has a moving tag; pin a version`);
  }
  return problems;
};

/** Every string in the parsed file (keys of x- sections and environment values included). */
function strings(value: unknown, where: string, out: { where: string; text: string }[] = []): { where: string; text: string }[] {
  if (typeof value === 'string') out.push({ where, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${where}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) strings(v, where === '' ? k : `${where}.${k}`, out);
  }
  return out;
}

/**
 * `$` is Compose's interpolation: `$$` is a literal `$` (for the container's shell), and a host
 * variable must say what happens when it is unset (`${VAR:-default}` or `${VAR:?message}`).
 * A bare `$VAR` or `${VAR}` is read from the machine running compose, usually by mistake.
 */
export const checkDollars: Check = (compose) => {
  const problems: string[] = [];
  for (const { where, text } of strings(compose, '')) {
    const stripped = text.replace(/\$\$/g, '');
    for (const match of stripped.matchAll(/\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|.?)/g)) {
      if (/^\$\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*|:?\?[^}]*)\}$/.test(match[0])) continue;
      problems.push(`${where}: '${match[0]}' in '${text}' is interpolated by Compose from the host; write $$ for a literal $, or \${VAR:-default} / \${VAR:?message}`);
    }
  }
  return problems;
};

// ---- health checks ------------------------------------------------------------------------------

/** Programs each image has, for health checks and entrypoints (no curl/wget in apache/kafka, minio, node slim). */
function imagePrograms(service: ComposeService): ((program: string) => boolean) | undefined {
  const shells = ['sh', 'bash', '/bin/sh', '/bin/bash'];
  const oneOf = (...names: string[]) => (p: string) => [...names, ...shells].includes(p);
  if (isFerryService(service)) {
    const dockerfile = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
    const wrapper = /\/usr\/local\/bin\/ferry\b/.test(dockerfile) ? ['ferry', '/usr/local/bin/ferry'] : [];
    return oneOf('node', '/usr/local/bin/node', ...wrapper);
  }
  if (service.image === undefined) return undefined;
  switch (parseImage(service.image).repository) {
    case 'apache/kafka': return (p) => p.startsWith('/opt/kafka/bin/') || shells.includes(p);
    case 'mysql': return oneOf('mysql', 'mysqladmin');
    case 'minio/minio': return oneOf('mc', 'minio');
    case 'minio/mc': return oneOf('mc');
    case 'docker.elastic.co/elasticsearch/elasticsearch': return oneOf('curl');
    default: return undefined;
  }
}

export const checkHealthchecks: Check = (compose) => {
  const problems: string[] = [];
  for (const [name, service] of services(compose)) {
    const programs = imagePrograms(service);
    const command = healthcheckCommand(service.healthcheck);
    const entrypoint = argvOf(service.entrypoint);
    const used = [
      ...(command && command.kind !== 'NONE' ? [{ what: 'healthcheck', program: command.argv[0] ?? '' }] : []),
      ...(entrypoint.length > 0 ? [{ what: 'entrypoint', program: entrypoint[0]! }] : []),
    ];
    for (const { what, program } of used) {
      if (programs === undefined) problems.push(`${name}: no facts about the programs in ${service.image ?? 'its image'}; add them to compose-checks.ts`);
      else if (!programs(program)) problems.push(`${name}: ${what} runs '${program}', which the image does not have`);
    }
  }
  return problems;
};

// ---- Kafka --------------------------------------------------------------------------------------

const RF_ENV = /^KAFKA_.*(REPLICATION_FACTOR|MIN_ISR|MIN_INSYNC_REPLICAS)$/;

export const checkKafka: Check = (compose) => {
  const problems: string[] = [];
  const clusters = kafkaClusters(compose);
  const ids = new Map<string, string>();
  for (const cluster of clusters) {
    const label = cluster.services.join('+');
    const clusterIds = new Set(cluster.nodes.map((n) => n.clusterId));
    if (clusterIds.size !== 1) problems.push(`${label}: the nodes of one quorum must share one CLUSTER_ID, found ${[...clusterIds].join(', ')}`);
    for (const id of clusterIds) {
      if (!/^[A-Za-z0-9_-]{22}$/.test(id)) problems.push(`${label}: CLUSTER_ID '${id}' is not a base64 UUID (kafka-storage.sh random-uuid)`);
      const other = ids.get(id);
      if (other !== undefined && other !== label) problems.push(`${label} and ${other} share CLUSTER_ID ${id}; each cluster needs its own`);
      ids.set(id, label);
    }
    const nodeIds = cluster.nodes.map((n) => n.nodeId);
    if (new Set(nodeIds).size !== nodeIds.length) problems.push(`${label}: KAFKA_NODE_ID values repeat`);
    for (const node of cluster.nodes) {
      const hostname = compose.services[node.service]!.hostname ?? node.service;
      for (const voter of quorumVoters(node.env)) {
        const voterNode = cluster.nodes.find((n) => n.service === voter.host);
        if (voterNode === undefined) problems.push(`${node.service}: quorum voter ${voter.host} is no Kafka service`);
        else {
          if (voterNode.nodeId !== voter.id) problems.push(`${node.service}: quorum voter ${voter.id}@${voter.host} but ${voter.host} has KAFKA_NODE_ID ${voterNode.nodeId}`);
          const controller = voterNode.env['KAFKA_CONTROLLER_LISTENER_NAMES']?.split(',')[0] ?? 'CONTROLLER';
          if (voterNode.listenerPorts.get(controller) !== voter.port) problems.push(`${node.service}: quorum voter ${voter.host}:${voter.port} is not ${voter.host}'s ${controller} listener`);
        }
      }
      if (!node.roles.includes('broker')) {
        if (node.env['KAFKA_ADVERTISED_LISTENERS'] !== undefined) problems.push(`${node.service}: a controller-only node must not set KAFKA_ADVERTISED_LISTENERS`);
        continue;
      }
      const protocols = new Set((node.env['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP'] ?? '').split(',').map((e) => e.split(':')[0]!.trim()));
      for (const listener of node.listenerPorts.keys()) {
        if (!protocols.has(listener) && !['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(listener)) {
          problems.push(`${node.service}: listener ${listener} has no entry in KAFKA_LISTENER_SECURITY_PROTOCOL_MAP`);
        }
      }
      const internal = internalAddress(node);
      if (internal === undefined) problems.push(`${node.service}: the inter-broker listener is not advertised`);
      else {
        const { host, port } = hostPort(internal);
        const listener = node.env['KAFKA_INTER_BROKER_LISTENER_NAME'] ?? 'PLAINTEXT';
        if (host !== hostname) problems.push(`${node.service}: ${listener} is advertised as ${host}, not the service name ${hostname}, so other containers cannot reach it`);
        if (node.listenerPorts.get(listener) !== port) problems.push(`${node.service}: ${listener} is advertised on port ${port} but listens on ${node.listenerPorts.get(listener)}`);
      }
      for (const [listener, address] of node.advertised) {
        const { host, port } = hostPort(address);
        if (!['localhost', '127.0.0.1'].includes(host)) continue;
        const bound = node.listenerPorts.get(listener);
        const published = portsOf(compose.services[node.service]!).some((p) => p.published === port && p.target === bound);
        if (!published) problems.push(`${node.service}: ${listener} is advertised as ${address} for the host, but no port publishes ${port} to its listener port ${bound}`);
      }
      const logDirs = (node.env['KAFKA_LOG_DIRS'] ?? node.env['KAFKA_LOG_DIR'] ?? '').split(',').filter(Boolean);
      if (logDirs.length === 0) problems.push(`${node.service}: KAFKA_LOG_DIRS is unset, so the data stays in the container (/tmp)`);
      for (const dir of logDirs) {
        const onVolume = mountsOf(compose.services[node.service]!).some((m) => m.type === 'volume' && m.source !== undefined && (dir === m.target || dir.startsWith(`${m.target}/`)));
        if (!onVolume) problems.push(`${node.service}: log dir ${dir} is not on a named volume`);
      }
    }
    for (const node of cluster.nodes) {
      for (const [key, value] of Object.entries(node.env)) {
        if (RF_ENV.test(key) && Number(value) > cluster.brokers) problems.push(`${node.service}: ${key}=${value} but the cluster has ${cluster.brokers} broker(s)`);
      }
    }
  }
  return problems;
};

// ---- ferry workers ------------------------------------------------------------------------------

/** Property prefixes the worker reads beyond its declared keys (cli/worker/start-worker.ts). */
export function workerPropertyPrefixes(): string[] {
  const source = fs.readFileSync(path.join(REPO, 'cli/worker/start-worker.ts'), 'utf8');
  const list = /const KNOWN_PREFIXES = \[([\s\S]*?)\];/.exec(source);
  if (!list) throw new Error('cli/worker/start-worker.ts no longer has KNOWN_PREFIXES; update compose-checks.ts');
  return [...list[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** Two lookups of one cluster are different objects; the quorum's services identify it. */
function sameCluster(a: KafkaCluster | undefined, b: KafkaCluster | undefined): boolean {
  return a !== undefined && b !== undefined && a.services.join() === b.services.join();
}

/** The Kafka cluster a worker's bootstrap.servers names. */
function workerKafka(compose: ComposeFile, service: ComposeService): KafkaCluster | undefined {
  return clusterOfBootstrap(kafkaClusters(compose), workerProperties(environmentOf(service))['bootstrap.servers'] ?? '');
}

export const checkFerryWorkers: Check = (compose) => {
  const problems: string[] = [];
  const prefixes = workerPropertyPrefixes();
  for (const [name, service] of services(compose)) {
    if (!isFerryWorker(service)) continue;
    const env = environmentOf(service);
    const properties = workerProperties(env);
    for (const key of distributedWorkerSpec.unknownKeys(properties)) {
      if (!prefixes.some((p) => key.startsWith(p))) problems.push(`${name}: ${key} (from the environment) is no worker property ferry knows; the worker would ignore it`);
    }
    try {
      distributedWorkerSpec.parse(properties);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const message of err.messages) problems.push(`${name}: ${message}`);
    }
    if (properties['bootstrap.servers'] === undefined) problems.push(`${name}: CONNECT_BOOTSTRAP_SERVERS is not set`);
    const hostname = service.hostname ?? name;
    if (properties['rest.advertised.host.name'] !== hostname) {
      problems.push(`${name}: CONNECT_REST_ADVERTISED_HOST_NAME is ${properties['rest.advertised.host.name'] ?? 'unset'}, not ${hostname}; other workers forward requests to that name`);
    }
    const kafka = workerKafka(compose, service);
    if (kafka === undefined) {
      problems.push(`${name}: bootstrap.servers ${properties['bootstrap.servers']} is not the in-network listener of one Kafka cluster in this file`);
    } else {
      for (const key of ['config.storage.replication.factor', 'offset.storage.replication.factor', 'status.storage.replication.factor']) {
        const rf = Number(properties[key] ?? distributedWorkerSpec.fields[key as keyof typeof distributedWorkerSpec.fields].defaultValue);
        if (rf > kafka.brokers) problems.push(`${name}: ${key} is ${rf} but ${kafka.services.join('+')} has ${kafka.brokers} broker(s); the worker could not create its topic`);
      }
      for (const node of kafka.services) {
        if (!dependenciesOf(service).some((d) => d.service === node && d.condition === 'service_healthy')) {
          problems.push(`${name}: does not wait for its Kafka ${node} to be healthy`);
        }
      }
    }
    const restPort = restPortOf(properties);
    for (const port of portsOf(service)) {
      if (port.target !== restPort) problems.push(`${name}: publishes container port ${port.target}, but the REST API listens on ${restPort}`);
    }
    const health = healthcheckCommand(service.healthcheck);
    const argv = health?.argv ?? [];
    if (!(argv.includes('health') && (argv[0] === 'ferry' || argv.some((a) => a.endsWith('/dist/cli/ferry.js'))))) {
      problems.push(`${name}: the healthcheck does not run \`ferry health\``);
    }
    const url = optionValue(argv, '--url');
    if (url !== undefined && new URL(url).port !== String(restPort)) problems.push(`${name}: the healthcheck asks ${url}, not the REST port ${restPort}`);
  }
  for (const cluster of connectClusters(compose)) {
    const [first, ...rest] = cluster.workers;
    const envOf = (worker: string) => {
      const env = environmentOf(compose.services[worker]!);
      delete env['CONNECT_REST_ADVERTISED_HOST_NAME'];
      return env;
    };
    for (const other of rest) {
      const a = envOf(first!);
      const b = envOf(other);
      const differing = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
      if (differing.length > 0) problems.push(`group ${cluster.groupId}: ${other}'s environment differs from ${first}'s in ${differing.join(', ')}; every worker may run every task`);
    }
  }
  const clusters = connectClusters(compose);
  for (const [i, a] of clusters.entries()) {
    for (const b of clusters.slice(i + 1)) {
      const kafkaA = workerKafka(compose, compose.services[a.workers[0]!]!);
      const kafkaB = workerKafka(compose, compose.services[b.workers[0]!]!);
      if (!sameCluster(kafkaA, kafkaB)) continue;
      const propsA = workerProperties(environmentOf(compose.services[a.workers[0]!]!));
      const propsB = workerProperties(environmentOf(compose.services[b.workers[0]!]!));
      for (const key of ['config.storage.topic', 'offset.storage.topic', 'status.storage.topic']) {
        if (propsA[key] === propsB[key]) problems.push(`groups ${a.groupId} and ${b.groupId} share ${key}=${propsA[key]} on one Kafka cluster; they would overwrite each other's state`);
      }
    }
  }
  return problems;
};

// ---- connectors and the systems they use ------------------------------------------------------

/**
 * Whether `from` starts only once `target` is healthy: directly, or through services it waits
 * for to be healthy or to have completed (which themselves waited for `target`).
 */
export function waitsForHealthy(compose: ComposeFile, from: string, target: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  return dependenciesOf(compose.services[from] ?? {}).some((d) => (d.service === target && d.condition === 'service_healthy')
    || (['service_healthy', 'service_completed_successfully'].includes(d.condition) && waitsForHealthy(compose, d.service, target, seen)));
}


/** Worker services of the Connect cluster `worker` belongs to. */
function clusterWorkers(compose: ComposeFile, worker: string): string[] {
  return connectClusters(compose).find((c) => c.workers.includes(worker))?.workers ?? [];
}

export interface AppliedFolder {
  /** The one-shot service. */
  readonly service: string;
  /** The worker its --url names. */
  readonly worker: string;
  /** Host folders mounted into the one-shot (the one it applies first). */
  readonly applies: string;
  readonly mounted: string[];
}

/** The `ferry connectors apply` one-shots: which worker, which folder. */
export function appliedFolders(compose: ComposeFile): AppliedFolder[] {
  const out: AppliedFolder[] = [];
  for (const [name, service] of services(compose)) {
    if (!isConnectorsApply(service)) continue;
    const argv = argvOf(service.command);
    const url = optionValue(argv, '--url') ?? '';
    const target = optionValue(argv, '-f', '--file') ?? '';
    out.push({
      service: name,
      worker: URL.canParse(url) ? new URL(url).hostname : url,
      applies: hostPathOf(service, target) ?? '',
      mounted: mountsOf(service).filter((m) => m.type === 'bind').map(hostPath),
    });
  }
  return out;
}

export const checkConnectorsApply: Check = (compose) => {
  const problems: string[] = [];
  for (const [name, service] of services(compose)) {
    if (!isConnectorsApply(service)) continue;
    const argv = argvOf(service.command);
    const url = optionValue(argv, '--url');
    const target = optionValue(argv, '-f', '--file');
    if (service.restart !== 'no') problems.push(`${name}: a one-shot needs restart "no" (it is ${service.restart ?? 'unset'})`);
    if (url === undefined || !URL.canParse(url)) {
      problems.push(`${name}: no --url naming a worker`);
      continue;
    }
    const worker = new URL(url).hostname;
    const workerService = compose.services[worker];
    if (workerService === undefined || !isFerryWorker(workerService)) {
      problems.push(`${name}: --url ${url} names no ferry worker`);
      continue;
    }
    const restPort = restPortOf(workerProperties(environmentOf(workerService)));
    if (new URL(url).port !== String(restPort)) problems.push(`${name}: --url ${url} is not ${worker}'s REST port ${restPort}`);
    for (const member of clusterWorkers(compose, worker)) {
      if (!dependenciesOf(service).some((d) => d.service === member && d.condition === 'service_healthy')) {
        problems.push(`${name}: does not wait for ${member} (a worker of ${worker}'s cluster) to be healthy`);
      }
    }
    const folder = target === undefined ? undefined : hostPathOf(service, target);
    if (folder === undefined) problems.push(`${name}: -f ${target ?? '(missing)'} is not inside a bind mount`);
    else if (!fs.existsSync(folder)) problems.push(`${name}: -f ${target} is ${path.relative(REPO, folder)} on the host, which does not exist`);
  }
  return problems;
};

interface FileCluster {
  readonly file: ConnectorFile;
  readonly oneShot: string;
  readonly workers: string[];
  /** Whether the one-shot's own command applies it (not only mounts it for use by hand). */
  readonly appliedByDefault: boolean;
}

/** Which Connect cluster runs each connector file: the one whose apply one-shot mounts it. */
export function fileClusters(compose: ComposeFile, files: readonly ConnectorFile[]): { placed: FileCluster[]; problems: string[] } {
  const problems: string[] = [];
  const placed: FileCluster[] = [];
  const folders = appliedFolders(compose);
  for (const file of files) {
    const full = path.join(REPO, file.file);
    const inside = (dir: string) => full === dir || full.startsWith(`${dir}${path.sep}`);
    const holders = folders.filter((f) => f.mounted.some(inside));
    const clusters = new Set(holders.map((h) => clusterWorkers(compose, h.worker).join(',')));
    if (holders.length === 0) problems.push(`${file.file}: no connectors apply service mounts it, so no cluster runs it`);
    else if (clusters.size > 1) problems.push(`${file.file}: mounted for more than one Connect cluster (${holders.map((h) => h.service).join(', ')})`);
    else {
      const holder = holders.find((h) => inside(h.applies)) ?? holders[0]!;
      placed.push({ file, oneShot: holder.service, workers: clusterWorkers(compose, holder.worker), appliedByDefault: inside(holder.applies) });
    }
  }
  return { placed, problems };
}

/** Compose services a connector config addresses, and how: `host` for URLs and host names, `kafka` for bootstrap lists. */
function addressedServices(file: ConnectorFile): { key: string; service: string; port: number | undefined }[] {
  const out: { key: string; service: string; port: number | undefined }[] = [];
  for (const [key, value] of Object.entries(file.config)) {
    if (/(^|\.)(url|urls)$/.test(key)) {
      for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
        const url = new URL(item);
        out.push({ key, service: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) });
      }
    } else if (key === 'database.hostname') {
      out.push({ key, service: value, port: Number(file.config['database.port'] ?? 3306) });
    }
  }
  return out;
}

export function checkConnectorFiles(compose: ComposeFile, files: readonly ConnectorFile[] = connectorFiles()): string[] {
  const { placed, problems } = fileClusters(compose, files);
  const kafka = kafkaClusters(compose);
  for (const { file, oneShot, workers, appliedByDefault } of placed) {
    const where = `${file.file} (run by ${workers.join(', ')})`;
    const workerEnvs = workers.map((w) => environmentOf(compose.services[w]!));
    const workerKafkaCluster = workerKafka(compose, compose.services[workers[0]!]!);
    const reached: KafkaCluster[] = workerKafkaCluster ? [workerKafkaCluster] : [];
    for (const [key, value] of Object.entries(file.config)) {
      for (const placeholder of placeholders(value)) {
        for (const [i, env] of workerEnvs.entries()) {
          const properties = workerProperties(env);
          const providers = (properties['config.providers'] ?? '').split(',').map((s) => s.trim());
          const providerClass = properties[`config.providers.${placeholder.provider}.class`];
          if (!providers.includes(placeholder.provider) || providerClass === undefined) {
            problems.push(`${where}: ${key} uses config provider '${placeholder.provider}', which ${workers[i]} does not declare`);
          } else if (providerClass === 'org.apache.kafka.common.config.provider.EnvVarConfigProvider' && (env[placeholder.key] ?? '') === '') {
            problems.push(`${where}: ${key} needs \${env:${placeholder.key}}, which ${workers[i]}'s environment does not set`);
          }
        }
      }
      if (/bootstrap\.servers$/.test(key)) {
        const named = clusterOfBootstrap(kafka, value);
        if (named === undefined) problems.push(`${where}: ${key}=${value} is not the in-network listener of a Kafka cluster in this file`);
        else {
          reached.push(named);
          // Only a Mirror source reads another cluster; everything else a connector writes goes to the worker's Kafka.
          if (key !== 'source.cluster.bootstrap.servers' && !sameCluster(named, workerKafkaCluster)) {
            problems.push(`${where}: ${key}=${value} is not the Kafka cluster its workers use (${workerKafkaCluster?.services.join('+')})`);
          }
        }
      }
    }
    for (const [key, value] of Object.entries(file.config)) {
      if (!/replication\.factor$/.test(key)) continue;
      for (const cluster of reached) {
        if (Number(value) > cluster.brokers) problems.push(`${where}: ${key}=${value} but ${cluster.services.join('+')} has ${cluster.brokers} broker(s)`);
      }
    }
    for (const address of addressedServices(file)) {
      const target = compose.services[address.service];
      if (target === undefined) {
        problems.push(`${where}: ${address.key} names host ${address.service}, which is no service`);
        continue;
      }
      const ports = portsOf(target).map((p) => p.target);
      if (address.port !== undefined && !ports.includes(address.port)) {
        problems.push(`${where}: ${address.key} uses port ${address.port}, which ${address.service} does not serve (${ports.join(', ') || 'no ports'})`);
      }
      if (appliedByDefault && !waitsForHealthy(compose, oneShot, address.service)) {
        problems.push(`${where}: ${oneShot} applies it without waiting for ${address.service} to be healthy`);
      }
    }
    if (appliedByDefault) {
      for (const cluster of reached) {
        if (sameCluster(cluster, workerKafkaCluster)) continue;
        for (const node of cluster.services) {
          if (!waitsForHealthy(compose, oneShot, node)) {
            problems.push(`${where}: ${oneShot} applies it without waiting for ${node}, which it reads from`);
          }
        }
      }
    }
  }
  for (const dir of fs.readdirSync(CONNECTORS_DIR)) {
    if (!files.some((f) => f.file.startsWith(`deploy/connectors/${dir}/`))) problems.push(`deploy/connectors/${dir} holds no connector file`);
  }
  return problems;
}

/** Resolves `${env:X}` placeholders with an environment. */
export function resolveEnv(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{env:([^}]*)\}/g, (_m, key: string) => env[key] ?? '');
}

// ---- MySQL, MinIO, Elasticsearch ----------------------------------------------------------------

export interface SqlUser {
  readonly user: string;
  readonly password: string;
  readonly grants: string;
}

/** Users the init scripts create with a password, and what they are granted. */
export function sqlUsers(sql: string): SqlUser[] {
  return [...sql.matchAll(/CREATE USER (?:IF NOT EXISTS )?'([^']+)'@'[^']*' IDENTIFIED BY '([^']*)'/gi)].map((m) => {
    const grants = [...sql.matchAll(new RegExp(`GRANT (.*?) ON \\S+ TO '${m[1]}'`, 'gi'))].map((g) => g[1]!).join(', ');
    return { user: m[1]!, password: m[2]!, grants };
  });
}

const CDC_FLAGS = ['--server-id', '--log-bin', '--binlog-format=ROW', '--binlog-row-image=FULL', '--binlog-row-metadata=FULL', '--gtid-mode=ON', '--enforce-gtid-consistency=ON'];

export const checkMysql: Check = (compose) => {
  const problems: string[] = [];
  for (const [name, service] of services(compose)) {
    if (service.image === undefined || parseImage(service.image).repository !== 'mysql') continue;
    const argv = argvOf(service.command);
    for (const flag of CDC_FLAGS) {
      if (!argv.some((a) => a === flag || a.startsWith(`${flag}=`))) problems.push(`${name}: command lacks ${flag}, which CDC needs`);
    }
    if (argv.some((a) => /default[-_]authentication[-_]plugin/.test(a))) problems.push(`${name}: default_authentication_plugin no longer exists in MySQL 8.4; the server would not start`);
    const initDir = hostPathOf(service, '/docker-entrypoint-initdb.d');
    if (initDir === undefined) {
      problems.push(`${name}: nothing is mounted at /docker-entrypoint-initdb.d, so no CDC user is created`);
      continue;
    }
    const sql = fs.readdirSync(initDir).filter((f) => f.endsWith('.sql')).sort().map((f) => fs.readFileSync(path.join(initDir, f), 'utf8')).join('\n');
    const users = sqlUsers(sql);
    const health = healthcheckCommand(service.healthcheck);
    const hc = health?.argv ?? [];
    const arg = (short: string, long: string) => {
      const joined = hc.find((a) => a.startsWith(short) && a.length > short.length);
      if (joined !== undefined) return joined.slice(short.length);
      return optionValue(hc, short, long) ?? hc.find((a) => a.startsWith(`${long}=`))?.slice(long.length + 1);
    };
    const user = arg('-u', '--user');
    const password = arg('-p', '--password');
    const host = arg('-h', '--host');
    const sqlUser = users.find((u) => u.user === user);
    if (sqlUser === undefined) problems.push(`${name}: the healthcheck logs in as ${user ?? '(nobody)'}, whom the init SQL does not create`);
    else if (sqlUser.password !== password) problems.push(`${name}: the healthcheck's password for ${user} is not the one the init SQL sets`);
    if (host === undefined || host === 'localhost') problems.push(`${name}: the healthcheck must connect over TCP (-h127.0.0.1): the socket answers during the image's init phase`);
    const query = optionValue(hc, '-e', '--execute') ?? '';
    const table = /FROM\s+([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)/i.exec(query);
    if (table === null) problems.push(`${name}: the healthcheck query reads no table of the init SQL, so it can pass before the init finished`);
    else if (!new RegExp(`CREATE DATABASE (IF NOT EXISTS )?${table[1]}\\b`, 'i').test(sql) || !new RegExp(`CREATE TABLE (IF NOT EXISTS )?${table[2]}\\b`, 'i').test(sql)) {
      problems.push(`${name}: the healthcheck reads ${table[1]}.${table[2]}, which the init SQL does not create`);
    }
    // The CDC connectors must log in as a user with the grants Debezium documents.
    const { placed } = fileClusters(compose, connectorFiles());
    for (const { file, workers } of placed) {
      if (file.config['database.hostname'] !== name) continue;
      const env = environmentOf(compose.services[workers[0]!]!);
      const cdcUser = users.find((u) => u.user === file.config['database.user']);
      if (cdcUser === undefined) problems.push(`${file.file}: database.user ${file.config['database.user']} is not created by the init SQL`);
      else {
        if (resolveEnv(file.config['database.password'] ?? '', env) !== cdcUser.password) problems.push(`${file.file}: database.password does not resolve to ${cdcUser.user}'s password with ${workers[0]}'s environment`);
        for (const grant of ['SELECT', 'RELOAD', 'SHOW DATABASES', 'REPLICATION SLAVE', 'REPLICATION CLIENT']) {
          if (!cdcUser.grants.toUpperCase().includes(grant)) problems.push(`${file.file}: ${cdcUser.user} lacks ${grant}`);
        }
      }
    }
  }
  return problems;
};

export const checkObjectStore: Check = (compose) => {
  const problems: string[] = [];
  for (const [name, service] of services(compose)) {
    if (service.image === undefined || parseImage(service.image).repository !== 'minio/minio') continue;
    const env = environmentOf(service);
    const rootUser = env['MINIO_ROOT_USER'];
    const rootPassword = env['MINIO_ROOT_PASSWORD'];
    if (!rootUser || !rootPassword || rootUser.length < 3 || rootPassword.length < 8) problems.push(`${name}: MINIO_ROOT_USER (3+ chars) and MINIO_ROOT_PASSWORD (8+ chars) must be set`);
    // Buckets the mc one-shots create on this server.
    const buckets = new Set<string>();
    for (const [initName, init] of services(compose)) {
      if (init.image === undefined || parseImage(init.image).repository !== 'minio/mc') continue;
      const initEnv = environmentOf(init);
      const argv = [...argvOf(init.entrypoint), ...argvOf(init.command)];
      for (const [key, value] of Object.entries(initEnv)) {
        const alias = /^MC_HOST_(.+)$/.exec(key)?.[1];
        if (alias === undefined) continue;
        const url = new URL(value);
        if (url.hostname !== name) continue;
        if (decodeURIComponent(url.username) !== rootUser || decodeURIComponent(url.password) !== rootPassword) problems.push(`${initName}: ${key} does not carry ${name}'s root credentials`);
        if (!portsOf(service).some((p) => p.target === Number(url.port || 80))) problems.push(`${initName}: ${key} uses port ${url.port}, which ${name} does not serve`);
        for (const arg of argv) if (arg.startsWith(`${alias}/`)) buckets.add(arg.slice(alias.length + 1));
        if (!argv.includes('--ignore-existing') && !argv.includes('-p')) problems.push(`${initName}: mc mb without --ignore-existing fails on the second start`);
        if (!dependenciesOf(init).some((d) => d.service === name && d.condition === 'service_healthy')) problems.push(`${initName}: does not wait for ${name} to be healthy`);
      }
    }
    const { placed } = fileClusters(compose, connectorFiles());
    for (const { file, oneShot, workers, appliedByDefault } of placed) {
      const store = file.config['store.url'];
      if (store === undefined || new URL(store).hostname !== name) continue;
      const env = environmentOf(compose.services[workers[0]!]!);
      if (resolveEnv(file.config['aws.access.key.id'] ?? '', env) !== rootUser || resolveEnv(file.config['aws.secret.access.key'] ?? '', env) !== rootPassword) {
        problems.push(`${file.file}: the AWS keys do not resolve to ${name}'s credentials with ${workers[0]}'s environment`);
      }
      const bucket = file.config['s3.bucket.name'] ?? '';
      if (!buckets.has(bucket)) problems.push(`${file.file}: bucket ${bucket} is not created by any mc one-shot`);
      if (appliedByDefault) {
        const creators = services(compose).filter(([, s]) => s.image !== undefined && parseImage(s.image).repository === 'minio/mc').map(([n]) => n);
        if (!dependenciesOf(compose.services[oneShot]!).some((d) => creators.includes(d.service) && d.condition === 'service_completed_successfully')) {
          problems.push(`${file.file}: ${oneShot} applies it before the bucket is created`);
        }
      }
    }
  }
  return problems;
};

export const checkElasticsearch: Check = (compose) => {
  const problems: string[] = [];
  for (const [name, service] of services(compose)) {
    if (service.image === undefined || !parseImage(service.image).repository.endsWith('/elasticsearch')) continue;
    const env = environmentOf(service);
    if (env['discovery.type'] !== 'single-node') problems.push(`${name}: a one-node cluster needs discovery.type=single-node`);
    const { placed } = fileClusters(compose, connectorFiles());
    for (const { file } of placed) {
      const url = file.config['connection.url'];
      if (url === undefined || new URL(url).hostname !== name) continue;
      const secured = env['xpack.security.enabled'] !== 'false';
      if (secured && (new URL(url).protocol !== 'https:' || file.config['connection.password'] === undefined)) {
        problems.push(`${file.file}: ${name} has security on (TLS and login), but the connector uses ${url} without a password`);
      }
    }
    const health = healthcheckCommand(service.healthcheck)?.argv.join(' ') ?? '';
    if (/wait_for_status=green/.test(health)) problems.push(`${name}: a single node never turns green (replicas cannot be placed); wait for yellow`);
  }
  return problems;
};

/** Every check, by name. */
export const COMPOSE_CHECKS: Readonly<Record<string, Check>> = {
  checkTopLevel, checkDependencies, checkVolumes, checkPorts, checkImages, checkDollars, checkHealthchecks,
  checkKafka, checkFerryWorkers, checkConnectorsApply, checkConnectorFiles: (c) => checkConnectorFiles(c),
  checkMysql, checkObjectStore, checkElasticsearch,
};
