/**
 * `ferry topics` from the build, as a child process, against a bundled broker started here;
 * what it reports is checked against kcat (librdkafka) for the same topics: metadata (kcat -L),
 * offsets (kcat -Q), records kcat wrote read back by `ferry topics consume`, and records
 * `ferry topics produce` wrote read back by kcat.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatReadJson, headerPairs } from '../helpers/kcat.js';
import { runProcess, jsonLines, type ProcessResult } from '../helpers/run-process.js';
import { CLI, startTestBroker, type TestBroker } from '../helpers/test-broker.js';

let broker: TestBroker;

function ferry(args: string[], input?: string): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, ...args], { timeoutMs: 30_000, ...(input === undefined ? {} : { input }) });
}

/** `ferry topics <args> --bootstrap-server <the test's broker>`. */
function topics(args: string[], input?: string): Promise<ProcessResult> {
  return ferry(['topics', ...args, '--bootstrap-server', broker.bootstrap], input);
}

async function kcat(args: string[], input?: string): Promise<string> {
  const result = await runProcess('kcat', ['-b', broker.bootstrap, ...args], { timeoutMs: 30_000, ...(input === undefined ? {} : { input }) });
  if (result.code !== 0) throw new Error(`kcat ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

interface KcatMetadata {
  topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
}

async function kcatMetadata(): Promise<KcatMetadata> {
  return JSON.parse(await kcat(['-L', '-J'])) as KcatMetadata;
}

/** kcat -Q: the offset of `timestamp` (-2 earliest, -1 latest) in a partition. */
async function kcatOffset(topic: string, partition: number, timestamp: number): Promise<number> {
  const text = await kcat(['-Q', '-t', `${topic}:${partition}:${timestamp}`]);
  const match = /offset (-?\d+)/.exec(text);
  if (!match) throw new Error(`kcat -Q printed ${text}`);
  return Number(match[1]);
}

/** Keyed records with headers written by kcat to one partition: `lines` are key:value. */
async function kcatProduceKeyed(topic: string, partition: number, lines: string[], headers: string[] = []): Promise<void> {
  await kcat(['-P', '-t', topic, '-p', String(partition), '-K', ':', ...headers.flatMap((h) => ['-H', h])], lines.map((l) => `${l}\n`).join(''));
}

/** A user error: the exit code, one line on stderr starting with the command, no stack trace. */
function expectOneLineError(result: ProcessResult, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(pattern);
  if (code === 1) expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.close();
});

describe('create, list, describe and delete', () => {
  it('creates a topic with partitions and configs that kcat then sees', async () => {
    const created = await topics(['create', 'orders', '--partitions', '3', '--config', 'cleanup.policy=compact', '--config', 'retention.ms=86400000']);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic orders with 3 partitions.\n', stderr: '' });
    const meta = await kcatMetadata();
    const orders = meta.topics.find((t) => t.topic === 'orders');
    expect(orders?.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    const described = await topics(['describe', 'orders', '--json']);
    expect(described.code).toBe(0);
    expect(JSON.parse(described.stdout).configs).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '86400000' });
  });

  it('lists the topics kcat lists, internal ones only with --internal', async () => {
    await topics(['create', 'audit', '--partitions', '1']);
    const meta = await kcatMetadata();
    const listed = await topics(['list', '--json']);
    expect(listed.code).toBe(0);
    const parsed = JSON.parse(listed.stdout) as { name: string; partitions: number; replicationFactor: number; internal: boolean }[];
    const kcatTopics = meta.topics.filter((t) => !t.topic.startsWith('__'));
    expect(parsed.map((t) => t.name)).toEqual(kcatTopics.map((t) => t.topic).sort());
    for (const t of parsed) {
      const seen = kcatTopics.find((k) => k.topic === t.name)!;
      expect(t).toEqual({ name: t.name, partitions: seen.partitions.length, replicationFactor: seen.partitions[0]!.replicas.length, internal: false });
    }
    const withInternal = JSON.parse((await topics(['list', '--json', '--internal'])).stdout) as { name: string; internal: boolean }[];
    expect(withInternal).toContainEqual(expect.objectContaining({ name: '__consumer_offsets', internal: true }));

    const table = await topics(['list']);
    expect(table.stdout.split('\n')[0]).toBe('TOPIC   PARTITIONS  REPLICATION');
    expect(table.stdout).toMatch(/^audit\s+1\s+1$/m);
    expect(table.stdout).toMatch(/^orders\s+3\s+1$/m);
  });

  it('describes leaders, replicas, in-sync replicas and offsets as kcat reports them', async () => {
    await kcatProduceKeyed('orders', 1, ['a:1', 'b:2', 'c:3']);
    await kcatProduceKeyed('orders', 2, ['d:4']);
    const result = await topics(['describe', 'orders', '--json']);
    expect(result.code).toBe(0);
    const described = JSON.parse(result.stdout) as {
      name: string; replicationFactor: number;
      partitions: { partition: number; leader: number; replicas: number[]; isr: number[]; earliestOffset: number; latestOffset: number }[];
    };
    const kcatOrders = (await kcatMetadata()).topics.find((t) => t.topic === 'orders')!;
    expect(described.name).toBe('orders');
    expect(described.partitions).toHaveLength(3);
    for (const p of described.partitions) {
      const seen = kcatOrders.partitions.find((k) => k.partition === p.partition)!;
      expect(p.leader).toBe(seen.leader);
      expect(p.replicas).toEqual(seen.replicas.map((r) => r.id));
      expect(p.isr).toEqual(seen.isrs.map((r) => r.id));
      expect(p.earliestOffset).toBe(await kcatOffset('orders', p.partition, -2));
      expect(p.latestOffset).toBe(await kcatOffset('orders', p.partition, -1));
    }
    expect(described.partitions.map((p) => p.latestOffset)).toEqual([0, 3, 1]);

    const table = (await topics(['describe', 'orders'])).stdout;
    expect(table).toMatch(/^Topic:\s+orders$/m);
    expect(table).toMatch(/^PARTITION\s+LEADER\s+REPLICAS\s+ISR\s+EARLIEST\s+LATEST$/m);
    expect(table).toMatch(new RegExp(`^1\\s+${kcatOrders.partitions.find((p) => p.partition === 1)!.leader}\\s+\\d+\\s+\\d+\\s+0\\s+3$`, 'm'));
    expect(table).toMatch(/^cleanup\.policy\s+compact$/m);
  });

  it('lists every config, broker defaults included, with --all-configs', async () => {
    const all = JSON.parse((await topics(['describe', 'audit', '--json', '--all-configs'])).stdout) as { configs: Record<string, string | null> };
    expect(all.configs['cleanup.policy']).toBe('delete');
    expect(Object.keys(all.configs).length).toBeGreaterThan(5);
  });

  it('deletes a topic, which kcat then no longer lists; a second delete names the unknown topic', async () => {
    await topics(['create', 'doomed']);
    const deleted = await topics(['delete', 'doomed']);
    expect(deleted).toMatchObject({ code: 0, stdout: 'Deleted topic doomed.\n' });
    expect((await kcatMetadata()).topics.map((t) => t.topic)).not.toContain('doomed');
    expectOneLineError(await topics(['delete', 'doomed']), 1, /^ferry topics delete: unknown topic 'doomed'/);
  });

  it('names what is wrong with a topic it cannot create', async () => {
    expectOneLineError(await topics(['create', 'audit']), 1, /^ferry topics create: topic 'audit' already exists$/);
    expectOneLineError(await topics(['create', 'odd', '--config', 'cleanup.policy=sometimes']), 1,
      /^ferry topics create: cannot create topic 'odd': .*cleanup\.policy.* \(INVALID_CONFIG\)$/);
    expectOneLineError(await topics(['create', 'odd', '--config', 'cleanup.policy']), 2, /^ferry topics create: --config must be NAME=VALUE, got 'cleanup.policy'$/);
  });
});

describe('consume', () => {
  beforeAll(async () => {
    await topics(['create', 'events', '--partitions', '2']);
    await kcatProduceKeyed('events', 0, ['k0:zero', 'k2:two'], ['trace=abc', 'n=1']);
    await kcatProduceKeyed('events', 1, ['k1:one']);
  });

  it('prints what kcat wrote: partitions, offsets, keys, values, headers and timestamps (json)', async () => {
    const result = await topics(['consume', 'events', '--from-beginning', '--exit-at-end', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const printed = jsonLines<{ topic: string; partition: number; offset: number; timestamp: number; key: string; value: string; headers: { key: string; value: string }[] }>(result.stdout)
      .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    const fromKcat = await kcatReadJson(broker.bootstrap, 'events');
    expect(printed.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers.map((h) => [h.key, h.value]) })))
      .toEqual(fromKcat.map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, timestamp: m.ts, key: m.key, value: m.payload, headers: headerPairs(m) })));
    expect(printed).toHaveLength(3);
  });

  it('prints bytes that are not UTF-8 as base64 in JSON', async () => {
    await topics(['create', 'binary', '--partitions', '1']);
    const result = await runProcess('kcat', ['-b', broker.bootstrap, '-P', '-t', 'binary', '-K', ':'], { input: Buffer.from([0x6b, 0x3a, 0xff, 0xfe, 0x00, 0x0a]), timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    const consumed = await topics(['consume', 'binary', '--from-beginning', '--exit-at-end', '--json']);
    expect(JSON.parse(consumed.stdout)).toMatchObject({ key: 'k', value: { base64: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') } });
  });

  it('prints one tab-separated line per record in text format', async () => {
    const result = await topics(['consume', 'events', '--from-beginning', '--partition', '0', '--max', '1']);
    expect(result.code).toBe(0);
    const [first] = await kcatReadJson(broker.bootstrap, 'events');
    expect(result.stdout).toBe(`Partition:0\tOffset:0\tCreateTime:${new Date(first!.ts).toISOString()}\tKey:k0\tHeaders:trace:abc,n:1\tValue:zero\n`);
  });

  it('starts at --offset of --partition and stops after --max records', async () => {
    const result = await topics(['consume', 'events', '--partition', '0', '--offset', '1', '--max', '1', '--format', 'value']);
    expect(result).toMatchObject({ code: 0, stdout: 'two\n' });
  });

  it('prints nothing with --exit-at-end and no --from-beginning (it starts at the end)', async () => {
    const result = await topics(['consume', 'events', '--exit-at-end']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('reads as a group member with --group and commits what it printed', async () => {
    const first = await topics(['consume', 'events', '--group', 'readers', '--from-beginning', '--exit-at-end', '--format', 'value']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter(Boolean).sort()).toEqual(['one', 'two', 'zero']);
    await kcatProduceKeyed('events', 1, ['k3:three']);
    const second = await topics(['consume', 'events', '--group', 'readers', '--from-beginning', '--exit-at-end', '--format', 'value']);
    expect(second).toMatchObject({ code: 0, stdout: 'three\n' });
  });

  it('ends when the reader of its output goes away (piped into head)', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `record ${i}`).join('\n');
    await topics(['create', 'flood', '--partitions', '1']);
    expect((await topics(['produce', 'flood'], lines)).code).toBe(0);
    const pipeline = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} topics consume flood --from-beginning --bootstrap-server ${broker.bootstrap} | head -n 2; echo "consume exited with \${PIPESTATUS[0]}"`;
    const result = await runProcess('bash', ['-c', pipeline], { timeoutMs: 20_000 });
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([expect.stringMatching(/^Partition:0\tOffset:0\t.*\tValue:record 0$/), expect.stringMatching(/^Partition:0\tOffset:1\t.*\tValue:record 1$/), 'consume exited with 0']);
  });

  it('names a bad offset, an unknown partition and an unknown topic in one line', async () => {
    expectOneLineError(await topics(['consume', 'events', '--partition', '0', '--offset', '7']), 1,
      /^ferry topics consume: bad offset 7 for partition 0 of topic 'events': it holds offsets 0 to 1$/);
    expectOneLineError(await topics(['consume', 'events', '--partition', '5']), 1, /^ferry topics consume: unknown partition 5 of topic 'events'/);
    expectOneLineError(await topics(['consume', 'nosuch', '--max', '1']), 1, /^ferry topics consume: unknown topic 'nosuch'/);
    expectOneLineError(await topics(['consume', 'events', '--offset', '-1']), 2, /^ferry topics consume: --offset must be a whole number of at least 0/);
    expectOneLineError(await topics(['consume', 'events', '--offset', '1']), 2, /^ferry topics consume: --offset needs --partition: topic 'events' has 2 partitions$/);
  });
});

describe('produce', () => {
  beforeAll(async () => {
    await topics(['create', 'lines', '--partitions', '1']);
  });

  it('writes one record per line, split at the key separator, with headers, that kcat reads back', async () => {
    const result = await topics(['produce', 'lines', '--key-separator', '=>', '--header', 'source=cli', '--header', 'v=2'], 'a=>first\nb=>second line\nc=>x=>y\n');
    expect(result).toMatchObject({ code: 0, stdout: 'Produced 3 records to lines (partition 0 offsets 0-2).\n', stderr: '' });
    const read = await kcatReadJson(broker.bootstrap, 'lines');
    expect(read.map((m) => [m.key, m.payload, headerPairs(m)])).toEqual([
      ['a', 'first', [['source', 'cli'], ['v', '2']]],
      ['b', 'second line', [['source', 'cli'], ['v', '2']]],
      ['c', 'x=>y', [['source', 'cli'], ['v', '2']]],
    ]);
  });

  it('writes keyless records without a separator and reports offsets as JSON', async () => {
    const result = await topics(['produce', 'lines', '--json'], 'plain\r\nlast without newline');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ topic: 'lines', records: 2, partitions: [{ partition: 0, records: 2, firstOffset: 3, lastOffset: 4 }] });
    const read = await kcatReadJson(broker.bootstrap, 'lines');
    expect(read.slice(3).map((m) => [m.key, m.payload])).toEqual([[null, 'plain'], [null, 'last without newline']]);
  });

  it('names the line without a key separator and the unknown topic', async () => {
    expectOneLineError(await topics(['produce', 'lines', '--key-separator', ':'], 'k:v\nnone here\n'), 1,
      /^ferry topics produce: line 2 has no key separator ':'; nothing after line 1 was sent$/);
    expectOneLineError(await topics(['produce', 'missing'], 'x\n'), 1, /^ferry topics produce: unknown topic 'missing'/);
  });
});

describe('usage and reachability', () => {
  it('names the address of a broker that does not answer', async () => {
    const port = await unusedPort();
    const result = await ferry(['topics', 'list', '--bootstrap-server', `127.0.0.1:${port}`]);
    expectOneLineError(result, 1, new RegExp(`^ferry topics list: cannot reach a Kafka broker at 127\\.0\\.0\\.1:${port} \\(connection refused\\)`));
  });

  it('takes the cluster from FERRY_BOOTSTRAP_SERVER when --bootstrap-server is not given', async () => {
    const result = await runProcess(process.execPath, [CLI, 'topics', 'list', '--json'], { env: { ...process.env, FERRY_BOOTSTRAP_SERVER: broker.bootstrap }, timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { name: string }[]).map((t) => t.name)).toContain('orders');
  });

  it('names a client properties file it cannot read', async () => {
    expectOneLineError(await topics(['list', '--command-config', '/nonexistent/client.properties']), 1,
      /^ferry topics list: cannot read --command-config \/nonexistent\/client\.properties: /);
  });

  it('answers --help with the options and their defaults', async () => {
    const result = await ferry(['topics', 'consume', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: ferry topics consume/);
    expect(result.stdout).toContain('--bootstrap-server HOST:PORT');
    expect(result.stdout).toContain('127.0.0.1:9092');
    expect(result.stdout).toContain('--from-beginning');
  });

  it('rejects an unknown flag in one line naming it', async () => {
    const result = await ferry(['topics', 'list', '--colour']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("ferry topics list: unknown option '--colour'");
  });
});
