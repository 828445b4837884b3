/**
 * plugin.path end to end, through a real `ferry start` from the build (run `npm run build`
 * first) given `--set plugin.path=DIR`, DIR holding the good package of plugin-fixtures.ts and
 * the broken ones: the worker logs one WARN line per refused package naming its folder and
 * reason and starts anyway; its REST API lists the good package's connector, transform,
 * predicate and converter with their versions and validates the connector's config per field; and
 * the user connector runs through the user transform, predicate and converter, its records read
 * back with kcat.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kcatRead } from '../../helpers/kcat.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { COUNTER_SOURCE, EXPECTED_REFUSALS, GOOD_PACKAGE, SHORT_PREDICATE, SHOUT_CONVERTER, UPPER_TRANSFORM, writeAllPackages } from './plugin-fixtures.js';

interface LogLine { level?: number; msg?: string; folder?: string; reason?: string }
interface PluginInfo { class: string; type: string; version?: string }
interface ConfigInfos {
  name: string;
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}

const WARN = 40;

let dir: string;
let ferry: FerryProcess;
let rest: ConnectRest;

beforeAll(async () => {
  dir = tempDir('ferry-plugin-e2e-');
  const pluginPath = path.join(dir, 'plugins');
  writeAllPackages(pluginPath);
  ferry = await startFerry({ dataDir: path.join(dir, 'data'), settings: { 'plugin.path': pluginPath } });
  rest = new ConnectRest(ferry.restUrl);
});

afterAll(async () => {
  expect(await ferry.stop()).toBe(0);
});

function logLines(): LogLine[] {
  return ferry.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

describe('ferry start with a plugin.path', () => {
  it('logs one WARN line per refused package, naming its folder and the reason, and one line for the package it loaded', () => {
    const lines = logLines();
    for (const [folder, reason] of Object.entries(EXPECTED_REFUSALS)) {
      const full = path.join(dir, 'plugins', folder);
      const refusals = lines.filter((l) => l.folder === full);
      expect(refusals, folder).toEqual([expect.objectContaining({ level: WARN, reason, msg: `plugin package ${full} refused: ${reason}` })]);
    }
    expect(lines.filter((l) => l.msg?.startsWith(`loaded plugin package ${GOOD_PACKAGE.name} ${GOOD_PACKAGE.version} from `))).toHaveLength(1);
  });

  it('lists the user connector with its version, and its transform and converter with connectorsOnly=false', async () => {
    const connectors = await rest.request<PluginInfo[]>('GET', '/connector-plugins');
    expect(connectors.status).toBe(200);
    expect(connectors.body).toContainEqual({ class: COUNTER_SOURCE, type: 'source', version: '2.3.4' });
    expect(connectors.body.map((p) => p.class)).toContain('org.apache.kafka.connect.file.FileStreamSourceConnector');
    expect(connectors.body.map((p) => p.class)).not.toContain(UPPER_TRANSFORM);

    const all = await rest.request<PluginInfo[]>('GET', '/connector-plugins?connectorsOnly=false');
    expect(all.body).toContainEqual({ class: UPPER_TRANSFORM, type: 'transformation', version: '2.3.4' });
    expect(all.body).toContainEqual({ class: SHOUT_CONVERTER, type: 'converter', version: '2.3.4' });
    expect(all.body).toContainEqual({ class: SHORT_PREDICATE, type: 'predicate', version: '2.3.4' });
    for (const refused of ['com.acme.Broken', 'com.acme.Future', 'com.acme.FileSource']) expect(all.body.map((p) => p.class)).not.toContain(refused);
  });

  it('validates the user connector\'s config per field with its config spec', async () => {
    const answer = await rest.request<ConfigInfos>('PUT', '/connector-plugins/CounterSource/config/validate', {
      'connector.class': 'CounterSource', name: 'counter', topic: '', count: '0',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.name).toBe('CounterSource');
    const errors = Object.fromEntries(answer.body.configs.map((c) => [c.value.name, c.value.errors]));
    expect(errors['topic']).toEqual([expect.stringContaining('must be non-empty')]);
    expect(errors['count']).toEqual([expect.stringContaining('at least 1')]);
    expect(errors['prefix']).toEqual([]);
    expect(answer.body.error_count).toBe(2);

    const good = await rest.request<ConfigInfos>('PUT', '/connector-plugins/CounterSource/config/validate', {
      'connector.class': 'CounterSource', name: 'counter', topic: 'counts', count: '3',
    });
    expect(good.body.error_count).toBe(0);
  });

  it('runs the user source connector through the user transform, predicate and converter: its records reach the topic', async () => {
    await rest.createConnector('acme-counter', {
      'connector.class': 'CounterSource', topic: 'acme-counts', count: '12', prefix: 'n',
      transforms: 'up', 'transforms.up.type': 'AcmeUpper', 'transforms.up.predicate': 'short',
      predicates: 'short', 'predicates.short.type': 'AcmeIsShort', 'predicates.short.max.length': '4',
      'value.converter': 'Shout',
    });
    const status = await rest.untilStates('acme-counter', { connector: 'RUNNING', tasks: ['RUNNING'] });
    expect(status.type).toBe('source');
    const values = await until(async () => {
      const text = await kcatRead(ferry.bootstrap, 'acme-counts', '%s\n').catch(() => '');
      const lines = text.split('\n').filter((l) => l !== '');
      return lines.length >= 12 ? lines : null;
    }, { timeoutMs: 30_000, what: 'twelve records on acme-counts' });
    // Upper-cased only where IsShort holds (under 4 characters); every value shouted by the converter.
    const expected = [...Array.from({ length: 10 }, (_, n) => `N-${n}!`), 'n-10!', 'n-11!'];
    expect([...values].sort()).toEqual(expected.sort());
  });
});
