import { describe, expect, it } from 'vitest';
import { MirrorMakerConfigError, parseMirrorMakerConfig, type HerderPlan } from '../../../../connectors/mirror/dedicated/mirror-maker-config.js';
import { parseProperties } from '../../../../runtime/config/properties-file.js';

/** The dedicated-mode example of connectors.md §6.1, as a user writes it. */
const EXAMPLE = `
clusters = A, B
A.bootstrap.servers = a1:9092
B.bootstrap.servers = b1:9092
A->B.enabled = true
A->B.topics = .*
B->A.enabled = false
replication.factor = 3
checkpoints.topic.replication.factor = 3
heartbeats.topic.replication.factor = 3
offset-syncs.topic.replication.factor = 3
offset.storage.replication.factor = 3
status.storage.replication.factor = 3
config.storage.replication.factor = 3
`;

const BYTES = 'org.apache.kafka.connect.converters.ByteArrayConverter';

function parse(text: string) {
  return parseMirrorMakerConfig(parseProperties(text));
}

function herder(text: string, name: string): HerderPlan {
  const found = parse(text).herders.find((h) => h.name === name);
  if (!found) throw new Error(`no herder ${name}`);
  return found;
}

function connector(plan: HerderPlan, name: string): Record<string, string> {
  const found = plan.connectors.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} in ${plan.name}`);
  return found.config;
}

describe('the §6.1 example file', () => {
  const config = parse(EXAMPLE);

  it('runs the enabled flow and a heartbeat-only herder for the disabled one', () => {
    expect(config.clusters).toEqual(['A', 'B']);
    expect(config.herders.map((h) => [h.name, h.connectors.map((c) => c.name)])).toEqual([
      ['A->B', ['MirrorSourceConnector', 'MirrorCheckpointConnector', 'MirrorHeartbeatConnector']],
      ['B->A', ['MirrorHeartbeatConnector']],
    ]);
    expect(config.unusedKeys).toEqual([]);
  });

  it('gives the A->B worker the target cluster, MirrorMaker defaults and the storage replication factors', () => {
    expect(herder(EXAMPLE, 'A->B').workerProperties).toEqual({
      'bootstrap.servers': 'b1:9092',
      'group.id': 'A-mm2',
      'client.id': 'A->B',
      'offset.storage.topic': 'mm2-offsets.A.internal',
      'status.storage.topic': 'mm2-status.A.internal',
      'config.storage.topic': 'mm2-configs.A.internal',
      'offset.storage.replication.factor': '3',
      'status.storage.replication.factor': '3',
      'config.storage.replication.factor': '3',
      'key.converter': BYTES,
      'value.converter': BYTES,
      'header.converter': BYTES,
    });
    const back = herder(EXAMPLE, 'B->A').workerProperties;
    expect(back).toMatchObject({ 'bootstrap.servers': 'a1:9092', 'group.id': 'B-mm2', 'offset.storage.topic': 'mm2-offsets.B.internal' });
  });

  it('gives each connector its Java class, the aliases, both clusters and the top-level connector properties', () => {
    const plan = herder(EXAMPLE, 'A->B');
    const source = connector(plan, 'MirrorSourceConnector');
    expect(source).toEqual({
      name: 'MirrorSourceConnector',
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
      'source.cluster.alias': 'A',
      'target.cluster.alias': 'B',
      'source.cluster.bootstrap.servers': 'a1:9092',
      'target.cluster.bootstrap.servers': 'b1:9092',
      topics: '.*',
      'replication.factor': '3',
      'checkpoints.topic.replication.factor': '3',
      'heartbeats.topic.replication.factor': '3',
      'offset-syncs.topic.replication.factor': '3',
    });
    expect(connector(plan, 'MirrorCheckpointConnector')['connector.class']).toBe('org.apache.kafka.connect.mirror.MirrorCheckpointConnector');
    expect(connector(plan, 'MirrorHeartbeatConnector')['connector.class']).toBe('org.apache.kafka.connect.mirror.MirrorHeartbeatConnector');
    const heartbeat = connector(herder(EXAMPLE, 'B->A'), 'MirrorHeartbeatConnector');
    expect(heartbeat).toMatchObject({ 'source.cluster.alias': 'B', 'target.cluster.alias': 'A', 'target.cluster.bootstrap.servers': 'a1:9092' });
    expect(heartbeat).not.toHaveProperty('enabled');
  });
});

describe('precedence', () => {
  const FILE = `
clusters = east, west, south
east.bootstrap.servers = e:9092
west.bootstrap.servers = w:9092
south.bootstrap.servers = s:9092
east->west.enabled = true
east->south.enabled = true
topics = orders.*
tasks.max = 4
sync.group.offsets.enabled = true
east->west.topics = payments
east->west.tasks.max = 8
east->west.offset.flush.interval.ms = 5000
east->west.group.id = custom-group
east->west.value.converter = org.apache.kafka.connect.json.JsonConverter
emit.heartbeats.interval.seconds = 5
offset.storage.partitions = 5
key.converter = org.apache.kafka.connect.storage.StringConverter
`;

  it('a per-flow property overrides the top-level one for that flow only', () => {
    const west = connector(herder(FILE, 'east->west'), 'MirrorSourceConnector');
    const south = connector(herder(FILE, 'east->south'), 'MirrorSourceConnector');
    expect(west).toMatchObject({ topics: 'payments', 'tasks.max': '8', 'sync.group.offsets.enabled': 'true' });
    expect(south).toMatchObject({ topics: 'orders.*', 'tasks.max': '4', 'sync.group.offsets.enabled': 'true' });
  });

  it('per-flow worker settings configure that herder and stay out of its connectors', () => {
    const plan = herder(FILE, 'east->west');
    expect(plan.workerProperties).toMatchObject({
      'group.id': 'custom-group',
      'offset.flush.interval.ms': '5000',
      'offset.storage.partitions': '5',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    expect(plan.workerProperties).not.toHaveProperty('tasks.max');
    expect(plan.workerProperties).not.toHaveProperty('topics');
    const source = connector(plan, 'MirrorSourceConnector');
    expect(source).not.toHaveProperty('group.id');
    expect(source).not.toHaveProperty('offset.flush.interval.ms');
    expect(source['value.converter']).toBe('org.apache.kafka.connect.json.JsonConverter');
    const south = herder(FILE, 'east->south').workerProperties;
    expect(south['group.id']).toBe('east-mm2');
    expect(south).not.toHaveProperty('offset.flush.interval.ms');
  });

  it('a flow cannot rename its connectors or change their classes', () => {
    const file = `${FILE}\neast->west.name = other\neast->west.connector.class = Foo\n`;
    const source = connector(herder(file, 'east->west'), 'MirrorSourceConnector');
    expect(source).toMatchObject({ name: 'MirrorSourceConnector', 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector' });
  });

  it('a cluster setting wins over the top-level one, a role setting over both for its role', () => {
    const file = `
clusters = A, B
A.bootstrap.servers = a:9092
B.bootstrap.servers = b:9092
A->B.enabled = true
request.timeout.ms = 1000
B.request.timeout.ms = 2000
B.producer.request.timeout.ms = 3000
`;
    const worker = herder(file, 'A->B').workerProperties;
    expect(worker).toMatchObject({
      'request.timeout.ms': '2000', 'consumer.request.timeout.ms': '2000', 'admin.request.timeout.ms': '2000', 'producer.request.timeout.ms': '3000',
    });
    const source = connector(herder(file, 'A->B'), 'MirrorSourceConnector');
    expect(source).toMatchObject({
      'source.cluster.request.timeout.ms': '1000', 'target.cluster.request.timeout.ms': '2000', 'target.producer.request.timeout.ms': '3000',
    });
  });

  it('names unused top-level keys, such as a shared bootstrap.servers', () => {
    const config = parse(`${EXAMPLE}\nbootstrap.servers = x:9092\ntopicz = typo\n`);
    expect(config.unusedKeys).toEqual(['bootstrap.servers', 'topicz']);
    expect(herder(EXAMPLE, 'A->B').workerProperties['bootstrap.servers']).toBe('b1:9092');
  });
});

describe('exactly-once (exactly-once.md §8)', () => {
  const FILE = `
clusters = A, B, C
A.bootstrap.servers = a:9092
B.bootstrap.servers = b:9092
C.bootstrap.servers = c:9092
A->B.enabled = true
A->C.enabled = true
B.exactly.once.source.support = enabled
A.consumer.isolation.level = read_committed
transaction.boundary = interval
transaction.boundary.interval.ms = 2000
dedicated.mode.enable.internal.rest = true
`;

  it('<target>.exactly.once.source.support enables the herders writing to that target, with MirrorMaker\'s names', () => {
    const plan = herder(FILE, 'A->B');
    expect(plan.workerProperties).toMatchObject({ 'exactly.once.source.support': 'enabled', 'group.id': 'A-mm2', 'offset.storage.topic': 'mm2-offsets.A.internal' });
    // Task transactional ids are {group.id}-{connector}-{task}: A-mm2-MirrorSourceConnector-0, ...
    expect(plan.connectors.map((c) => c.name)).toContain('MirrorSourceConnector');
    expect(herder(FILE, 'A->C').workerProperties).not.toHaveProperty('exactly.once.source.support');
    expect(herder(FILE, 'B->A').workerProperties).not.toHaveProperty('exactly.once.source.support');
    // It is the herder's setting: no client of the connectors gets it.
    const source = connector(plan, 'MirrorSourceConnector');
    expect(Object.keys(source).filter((k) => k.includes('exactly.once.source.support'))).toEqual([]);
    expect(source).toMatchObject({ 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '2000' });
    expect(parse(FILE).unusedKeys).toEqual([]);
    expect(parse(FILE).internalRestEnabled).toBe(true);
  });

  it('<source>.consumer.isolation.level=read_committed reaches the source consumer of that source\'s flows only', () => {
    expect(connector(herder(FILE, 'A->B'), 'MirrorSourceConnector')['source.consumer.isolation.level']).toBe('read_committed');
    expect(connector(herder(FILE, 'A->C'), 'MirrorSourceConnector')['source.consumer.isolation.level']).toBe('read_committed');
    expect(connector(herder(FILE, 'B->A'), 'MirrorHeartbeatConnector')).not.toHaveProperty('source.consumer.isolation.level');
  });

  it('a top-level exactly.once.source.support enables every herder; a cluster or flow setting wins over it', () => {
    const file = `${FILE}\nexactly.once.source.support = enabled\nB.exactly.once.source.support = preparing\nA->C.exactly.once.source.support = disabled\n`;
    expect(herder(file, 'A->B').workerProperties['exactly.once.source.support']).toBe('preparing');
    expect(herder(file, 'A->C').workerProperties['exactly.once.source.support']).toBe('disabled');
    expect(herder(file, 'B->A').workerProperties['exactly.once.source.support']).toBe('enabled');
    expect(herder(file, 'C->A').workerProperties['exactly.once.source.support']).toBe('enabled');
    expect(connector(herder(file, 'A->B'), 'MirrorSourceConnector')).not.toHaveProperty('exactly.once.source.support');
    expect(parse(file).unusedKeys).toEqual([]);
  });
});

describe('heartbeat-only herders', () => {
  const BASE = `
clusters = A, B, C
A.bootstrap.servers = a:9092
B.bootstrap.servers = b:9092
C.bootstrap.servers = c:9092
A->B.enabled = true
`;

  it('every other ordered pair gets a herder with only the heartbeat connector', () => {
    const herders = parse(BASE).herders;
    expect(herders.map((h) => h.name)).toEqual(['A->B', 'A->C', 'B->A', 'B->C', 'C->A', 'C->B']);
    for (const h of herders.filter((x) => x.name !== 'A->B')) {
      expect(h.replicationEnabled).toBe(false);
      expect(h.connectors.map((c) => c.name)).toEqual(['MirrorHeartbeatConnector']);
    }
  });

  it('emit.heartbeats.enabled=false leaves only enabled flows, without their heartbeat connector', () => {
    const herders = parse(`${BASE}emit.heartbeats.enabled = false\n`).herders;
    expect(herders.map((h) => [h.name, h.connectors.map((c) => c.name)])).toEqual([
      ['A->B', ['MirrorSourceConnector', 'MirrorCheckpointConnector']],
    ]);
  });

  it('a per-pair emit.heartbeats.enabled overrides the global one either way', () => {
    const off = parse(`${BASE}emit.heartbeats.enabled = false\nC->A.emit.heartbeats.enabled = true\n`).herders;
    expect(off.map((h) => h.name)).toEqual(['A->B', 'C->A']);
    const on = parse(`${BASE}B->A.emit.heartbeats.enabled = false\n`).herders;
    expect(on.map((h) => h.name)).not.toContain('B->A');
    expect(on).toHaveLength(5);
  });
});

describe('security settings', () => {
  const FILE = `
clusters = primary, backup
primary.bootstrap.servers = p1:9093,p2:9093
backup.bootstrap.servers = b1:9093
primary.security.protocol = SASL_SSL
primary.sasl.mechanism = SCRAM-SHA-512
primary.sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="p";
backup.security.protocol = SSL
backup.ssl.truststore.location = /etc/kafka/backup.jks
backup.admin.request.timeout.ms = 90000
ssl.endpoint.identification.algorithm = https
primary->backup.enabled = true
`;

  it('the herder worker talks to the target with its security, also for task producers, consumers and admins', () => {
    const worker = herder(FILE, 'primary->backup').workerProperties;
    for (const prefix of ['', 'producer.', 'consumer.', 'admin.']) {
      expect(worker).toMatchObject({
        [`${prefix}security.protocol`]: 'SSL',
        [`${prefix}ssl.truststore.location`]: '/etc/kafka/backup.jks',
        [`${prefix}ssl.endpoint.identification.algorithm`]: 'https',
      });
      expect(worker).not.toHaveProperty(`${prefix}sasl.jaas.config`);
    }
    expect(worker['admin.request.timeout.ms']).toBe('90000');
    expect(worker['bootstrap.servers']).toBe('b1:9093');
  });

  it('connectors get the source cluster\'s SASL settings as source.cluster.* and the target\'s as target.cluster.*', () => {
    const source = connector(herder(FILE, 'primary->backup'), 'MirrorSourceConnector');
    expect(source).toMatchObject({
      'source.cluster.bootstrap.servers': 'p1:9093,p2:9093',
      'source.cluster.security.protocol': 'SASL_SSL',
      'source.cluster.sasl.mechanism': 'SCRAM-SHA-512',
      'source.cluster.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="p";',
      'source.cluster.ssl.endpoint.identification.algorithm': 'https',
      'target.cluster.security.protocol': 'SSL',
      'target.cluster.ssl.truststore.location': '/etc/kafka/backup.jks',
      'target.admin.request.timeout.ms': '90000',
    });
    expect(source).not.toHaveProperty('target.cluster.sasl.jaas.config');
  });

  it('source.consumer.* comes from <source>.consumer.*', () => {
    const source = connector(herder(`${FILE}primary.consumer.fetch.max.bytes = 1048576\n`, 'primary->backup'), 'MirrorSourceConnector');
    expect(source['source.consumer.fetch.max.bytes']).toBe('1048576');
    expect(source).not.toHaveProperty('source.cluster.consumer.fetch.max.bytes');
  });
});

describe('mistakes are named', () => {
  const cases: [string, string, RegExp][] = [
    ['no clusters', 'A.bootstrap.servers = a:1\n', /^clusters is not set/],
    ['empty clusters', 'clusters = ,\n', /^clusters is not set/],
    ['a cluster without bootstrap.servers', 'clusters = A, B\nA.bootstrap.servers = a:1\n', /^cluster 'B' has no bootstrap\.servers: set B\.bootstrap\.servers$/],
    ['a flow to an unknown cluster', 'clusters = A, B\nA.bootstrap.servers = a:1\nB.bootstrap.servers = b:1\nA->C.enabled = true\n',
      /^'A->C\.enabled' names cluster 'C', which is not in clusters \(A, B\)$/],
    ['a flow from an unknown cluster', 'clusters = A, B\nA.bootstrap.servers = a:1\nB.bootstrap.servers = b:1\nX->B.topics = t\n',
      /^'X->B\.topics' names cluster 'X'/],
    ['a flow to itself', 'clusters = A, B\nA.bootstrap.servers = a:1\nB.bootstrap.servers = b:1\nA->A.enabled = true\n', /to itself/],
    ['a bad boolean', 'clusters = A, B\nA.bootstrap.servers = a:1\nB.bootstrap.servers = b:1\nA->B.enabled = yes\n',
      /^A->B\.enabled must be true or false, got 'yes'$/],
    ['a duplicate alias', 'clusters = A, A\nA.bootstrap.servers = a:1\n', /listed twice/],
  ];
  it.each(cases)('%s', (_what, text, message) => {
    expect(() => parse(text)).toThrow(MirrorMakerConfigError);
    expect(() => parse(text)).toThrow(message);
  });
});

it('aliases containing dots take their own keys (longest alias first)', () => {
  const config = parse(`
clusters = us, us.east
us.bootstrap.servers = us:9092
us.east.bootstrap.servers = east:9092
us.east->us.enabled = true
`);
  expect(config.herders.map((h) => h.name)).toEqual(['us->us.east', 'us.east->us']);
  const plan = config.herders[1]!;
  expect(plan.replicationEnabled).toBe(true);
  expect(connector(plan, 'MirrorSourceConnector')['source.cluster.bootstrap.servers']).toBe('east:9092');
});
