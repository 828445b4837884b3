/**
 * `ferry/sdk` as a plugin author meets it: a project of its own, with ferry in its node_modules
 * (a symlink to this repository, as `npm install <path>` makes), compiled by TypeScript against
 * the declarations `npm run build` emits, then run by Node through package.json `exports`.
 * Reads the build (dist/): run `npm run build` first, as `npm test` does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo-root.js';
import { runProcess, type ProcessResult } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = repoRoot(import.meta.dirname);
const TSC = path.join(ROOT, 'node_modules/.bin/tsc');

/** A plugin written only against `ferry/sdk`: a source connector, a transform, a predicate and a converter. */
const PLUGIN_SOURCE = `
import {
  ConnectError, DataError, RetriableError, SDK_VERSION, Schema, SchemaBuilder, Struct, defineConfig, definePlugins, long,
  string, validators,
  type Connector, type ConnectorContext, type ConverterConfigs, type ParsedConfig, type RawConfig, type RecordHeaders,
  type RecordPredicate, type RecordTransform, type SchemaAndValue, type SourceRecord, type SourceTask,
  type SourceTaskContext, type ConnectRecord,
} from 'ferry/sdk';

export const tickSpec = defineConfig({
  'topic': string({ doc: 'Where ticks go.', importance: 'HIGH', validator: validators.nonEmptyString() }),
  'tick.interval.ms': long({ doc: 'Time between ticks.', default: 1000, importance: 'LOW', validator: validators.atLeast(1) }),
});
type TickConfig = ParsedConfig<typeof tickSpec>;

const interval: (c: TickConfig) => number = (c) => c.tickIntervalMs;
// @ts-expect-error a long parses to a number, not a string
const wrongType: (c: TickConfig) => string = (c) => c.tickIntervalMs;

const TICK = SchemaBuilder.struct().name('Tick').field('n', Schema.INT64_SCHEMA).build();

class TickConnector implements Connector {
  #config: RawConfig = {};
  start(config: RawConfig, _context: ConnectorContext): void { this.#config = config; }
  taskConfigs(maxTasks: number): RawConfig[] { return Array.from({ length: Math.min(maxTasks, 1) }, () => this.#config); }
  stop(): void {}
}

class TickTask implements SourceTask {
  #n = 0;
  #config: TickConfig | null = null;
  start(config: RawConfig, _context: SourceTaskContext): void { this.#config = tickSpec.parse(config); }
  async poll(_signal: AbortSignal): Promise<SourceRecord[]> {
    const config = this.#config!;
    this.#n += 1;
    return [{
      topic: config.topic, kafkaPartition: null, keySchema: null, key: null,
      valueSchema: TICK, value: new Struct(TICK).put('n', this.#n), timestamp: null, headers: [],
      sourcePartition: { ticker: 'main' }, sourceOffset: { n: this.#n },
    }];
  }
  stop(): void {}
}

class Uppercase implements RecordTransform {
  configure(_config: RawConfig): void {}
  apply<R extends ConnectRecord>(record: R): R | null {
    return typeof record.value === 'string' ? { ...record, value: record.value.toUpperCase() } : record;
  }
}

class IsEmpty implements RecordPredicate {
  configure(_config: RawConfig): void {}
  test(record: ConnectRecord): boolean { return record.value === '' ; }
}

class ShoutConverter {
  static readonly className = 'com.example.ShoutConverter';
  static readonly version = '2.1.0';
  static readonly configSpec = defineConfig({});
  configure(_configs: ConverterConfigs, _isKey: boolean): void {}
  fromConnectData(_topic: string, _headers: RecordHeaders, _schema: Schema | null, value: unknown): Buffer | null {
    return value === null ? null : Buffer.from(String(value).toUpperCase());
  }
  toConnectData(_topic: string, _headers: RecordHeaders, _bytes: Buffer | null): SchemaAndValue {
    throw new DataError('ShoutConverter only writes');
  }
}

const plugins = definePlugins({
  sdkVersion: '1.0.0',
  connectors: [{
    kind: 'source', className: 'com.example.TickSource', aliases: ['TickSource'], version: '2.1.0',
    taskClassName: 'com.example.TickTask', configSpec: tickSpec,
    createConnector: () => new TickConnector(), createTask: () => new TickTask(),
  }],
  transforms: [{
    className: 'com.example.Uppercase', aliases: [], version: '2.1.0', configSpec: defineConfig({}),
    description: 'Upper-cases string values.', create: () => new Uppercase(),
  }],
  predicates: [{
    className: 'com.example.IsEmpty', aliases: [], version: '2.1.0', configSpec: defineConfig({}),
    description: 'True for empty string values.', create: () => new IsEmpty(),
  }],
  converters: [ShoutConverter],
});
export default plugins;

// @ts-expect-error a misspelt list name is refused
definePlugins({ sdkVersion: '1.0.0', connector: [] });
// @ts-expect-error the SDK version is required
definePlugins({ connectors: [] });
// @ts-expect-error a converter without a version is not a plugin
definePlugins({ sdkVersion: '1.0.0', converters: [class { static readonly className = 'x'; static readonly configSpec = defineConfig({}); }] });

export const facts = {
  sdkVersion: SDK_VERSION,
  frozen: Object.isFrozen(plugins) && Object.isFrozen(plugins.connectors),
  errorsShareTheirBase: new RetriableError('again') instanceof ConnectError && new DataError('bad') instanceof ConnectError,
  interval: interval(tickSpec.parse({ topic: 't' })),
  wrongTypeIsStillAFunction: typeof wrongType,
};
`;

/** What is not public API must not be reachable. */
const PRIVATE_SOURCE = `
// @ts-expect-error the runtime's helpers are not exported by ferry/sdk
import { isThenable } from 'ferry/sdk';
// @ts-expect-error a package with exports refuses deep imports
import { builtinPlugins } from 'ferry/dist/runtime/plugins/builtin-plugins.js';
export const unused = [isThenable, builtinPlugins];
`;

const MAIN_SOURCE = `
import { createRequire } from 'node:module';
import plugins, { facts } from './plugin.js';
const ferryPackage = createRequire(import.meta.url)('ferry/package.json') as { name: string };
const tick = plugins.connectors![0]!.createTask();
tick.start({ topic: 'ticks' }, {} as never);
const [record] = await (tick as { poll(s: AbortSignal): Promise<{ value: unknown }[]> }).poll(new AbortController().signal);
console.log(JSON.stringify({
  ...facts,
  packageName: ferryPackage.name,
  connector: plugins.connectors![0]!.className,
  converter: plugins.converters![0]!.className,
  converterVersion: plugins.converters![0]!.version,
  firstTick: String(record!.value),
}));
`;

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

describe('ferry/sdk from a project of its own', () => {
  let project: string;
  let compiled: ProcessResult;

  beforeAll(async () => {
    for (const built of ['dist/connectors/sdk/index.js', 'dist/connectors/sdk/index.d.ts']) {
      if (!fs.existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
    }
    project = tempDir('ferry-sdk-consumer-');
    write(project, 'package.json', JSON.stringify({ name: 'tick-plugin', version: '2.1.0', type: 'module', private: true }));
    write(project, 'tsconfig.json', JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'],
        outDir: 'dist', rootDir: 'src', noUnusedLocals: false,
      },
      include: ['src'],
    }));
    write(project, 'src/plugin.ts', PLUGIN_SOURCE);
    write(project, 'src/private.ts', PRIVATE_SOURCE);
    write(project, 'src/main.ts', MAIN_SOURCE);
    fs.mkdirSync(path.join(project, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(project, 'node_modules/ferry'), 'dir');
    fs.symlinkSync(path.join(ROOT, 'node_modules/@types'), path.join(project, 'node_modules/@types'), 'dir');
    compiled = await runProcess(TSC, ['-p', path.join(project, 'tsconfig.json')], { timeoutMs: 120_000 });
  }, 150_000);

  it('compiles against the published declarations, refusing what is misspelt, mistyped or not public', () => {
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    expect(fs.existsSync(path.join(project, 'dist/plugin.js'))).toBe(true);
  });

  it('runs under Node with ferry/sdk and ferry/package.json resolved through the package exports', async () => {
    const run = await runProcess(process.execPath, [path.join(project, 'dist/main.js')]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      sdkVersion: '1.1.0',
      frozen: true,
      errorsShareTheirBase: true,
      interval: 1000,
      wrongTypeIsStillAFunction: 'function',
      packageName: 'ferry',
      connector: 'com.example.TickSource',
      converter: 'com.example.ShoutConverter',
      converterVersion: '2.1.0',
      firstTick: 'Struct{n=1}',
    });
  });
});
