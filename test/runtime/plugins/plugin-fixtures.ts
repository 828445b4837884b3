/**
 * Tiny plugin packages written into a directory by the tests of plugin.path loading: plain ESM
 * .js files importing `ferry/sdk`, which the worker's resolve hook maps to its own SDK (no npm
 * install). The good package also carries a node_modules/ferry of its own whose `sdk` throws
 * when imported: loading it at all shows that the hook, not the package's copy, answered.
 *
 * acme-counter (connector com.acme.CounterSource, transform com.acme.Upper, predicate
 * com.acme.IsShort, converter com.acme.ShoutConverter): the source writes `count` records
 * `<prefix>-<n>` to `topic`, resuming after its stored offset, then idles until stopped; Upper
 * upper-cases string values; IsShort holds for string values under `max.length` characters;
 * Shout writes a string value followed by `!`.
 */
import fs from 'node:fs';
import path from 'node:path';

export const GOOD_PACKAGE = { folder: 'acme-counter', name: '@acme/counter', version: '2.3.4' } as const;
export const COUNTER_SOURCE = 'com.acme.CounterSource';
export const UPPER_TRANSFORM = 'com.acme.Upper';
export const SHOUT_CONVERTER = 'com.acme.ShoutConverter';
export const SHORT_PREDICATE = 'com.acme.IsShort';

function writePackage(dir: string, folder: string, manifest: Record<string, unknown>, files: Record<string, string>): string {
  const root = path.join(dir, folder);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), `${JSON.stringify({ type: 'module', ...manifest }, null, 2)}\n`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const COUNTER_MODULE = `
import { DataError, Schema, SchemaAndValue, defineConfig, definePlugins, int, string, validators } from 'ferry/sdk';

const counterSpec = defineConfig({
  topic: string({ doc: 'The topic the records go to.', importance: 'HIGH', validator: validators.nonEmptyString() }),
  count: int({ doc: 'How many records to write.', default: 5, validator: validators.atLeast(1) }),
  prefix: string({ doc: 'What each value starts with.', default: 'n' }),
});

class CounterConnector {
  start(config) { this.config = config; }
  taskConfigs() { return [this.config]; }
  stop() {}
}

class CounterTask {
  async start(config, context) {
    this.config = counterSpec.parse(config);
    const stored = await context.offsets.offsets([{ counter: this.config.prefix }]);
    const offset = [...stored.values()][0];
    this.next = offset ? Number(offset.n) + 1 : 0;
  }
  async poll(signal) {
    if (this.next >= this.config.count) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 500);
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
      return [];
    }
    const records = [];
    for (; this.next < this.config.count; this.next++) {
      records.push({
        topic: this.config.topic, kafkaPartition: null, keySchema: null, key: null,
        valueSchema: Schema.STRING_SCHEMA, value: this.config.prefix + '-' + this.next, timestamp: null, headers: [],
        sourcePartition: { counter: this.config.prefix }, sourceOffset: { n: this.next },
      });
    }
    return records;
  }
  stop() {}
}

class Upper {
  configure() {}
  apply(record) {
    if (typeof record.value !== 'string') throw new DataError('Upper takes string values only');
    return { ...record, value: record.value.toUpperCase() };
  }
}

class IsShort {
  configure(config) { this.max = Number(config['max.length'] ?? 4); }
  test(record) { return typeof record.value === 'string' && record.value.length < this.max; }
}

class ShoutConverter {
  static className = '${SHOUT_CONVERTER}';
  static version = '2.3.4';
  static configSpec = defineConfig({});
  configure() {}
  fromConnectData(_topic, _headers, _schema, value) {
    return value === null ? null : Buffer.from(String(value) + '!');
  }
  toConnectData(_topic, _headers, bytes) {
    return bytes === null ? SchemaAndValue.NULL : new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, bytes.toString().replace(/!$/, ''));
  }
}

export default definePlugins({
  sdkVersion: '1.0.0',
  connectors: [{
    className: '${COUNTER_SOURCE}', aliases: ['CounterSource'], kind: 'source', version: '2.3.4',
    taskClassName: 'com.acme.CounterTask', configSpec: counterSpec,
    createConnector: () => new CounterConnector(), createTask: () => new CounterTask(),
  }],
  transforms: [{
    className: '${UPPER_TRANSFORM}', aliases: ['AcmeUpper'], version: '2.3.4', configSpec: defineConfig({}),
    description: 'Upper-cases string values.', create: () => new Upper(),
  }],
  predicates: [{
    className: '${SHORT_PREDICATE}', aliases: ['AcmeIsShort'], version: '2.3.4',
    configSpec: defineConfig({ 'max.length': int({ doc: 'Values shorter than this hold.', default: 4 }) }),
    description: 'Holds for short string values.', create: () => new IsShort(),
  }],
  converters: [ShoutConverter],
});
`;

/** The good package: a connector, a transform and a converter, version 2.3.4. */
export function writeGoodPackage(dir: string): string {
  return writePackage(dir, GOOD_PACKAGE.folder, { name: GOOD_PACKAGE.name, version: GOOD_PACKAGE.version, main: 'lib/index.js' }, {
    'lib/index.js': COUNTER_MODULE,
    'node_modules/ferry/package.json': JSON.stringify({ name: 'ferry', version: '0.0.1', type: 'module', exports: { './sdk': './sdk.js' } }),
    'node_modules/ferry/sdk.js': 'throw new Error("the package\'s own copy of ferry/sdk was loaded instead of the worker\'s");\n',
  });
}

/** A package whose main module exports no plugin package. */
export function writeNotAPlugin(dir: string): string {
  return writePackage(dir, 'left-pad', { name: 'left-pad', version: '1.3.0' }, { 'index.js': 'export default function leftPad(s) { return s; }\n' });
}

/** A package whose connector has no createTask. */
export function writeWrongShape(dir: string): string {
  return writePackage(dir, 'broken-shape', { name: 'broken-shape', version: '0.1.0' }, {
    'index.js': `import { defineConfig } from 'ferry/sdk';
export const plugins = { sdkVersion: '1.0.0', connectors: [{
  className: 'com.acme.Broken', aliases: [], kind: 'source', version: '0.1.0', taskClassName: 'com.acme.BrokenTask',
  configSpec: defineConfig({}), createConnector: () => ({}),
}] };
`,
  });
}

/** A package built against SDK 2.x. */
export function writeFutureSdk(dir: string): string {
  return writePackage(dir, 'future-sdk', { name: 'future-sdk', version: '5.0.0' }, {
    'index.js': `import { defineConfig } from 'ferry/sdk';
export default { sdkVersion: '2.0.0', transforms: [{
  className: 'com.acme.Future', aliases: [], version: '5.0.0', configSpec: defineConfig({}), description: 'x', create: () => ({}),
}] };
`,
  });
}

/** A package whose connector takes FileStreamSource, the bundled FileStreamSourceConnector's alias. */
export function writeClashWithBundled(dir: string): string {
  return writePackage(dir, 'clash-bundled', { name: 'clash-bundled', version: '1.0.0' }, {
    'index.js': `import { defineConfig } from 'ferry/sdk';
export default { sdkVersion: '1.0.0', connectors: [{
  className: 'com.acme.FileSource', aliases: ['FileStreamSource'], kind: 'source', version: '1.0.0', taskClassName: 'com.acme.FileTask',
  configSpec: defineConfig({}), createConnector: () => ({}), createTask: () => ({}),
}] };
`,
  });
}

/** A package (loaded after acme-counter: its folder sorts later) that declares acme-counter's transform again. */
export function writeClashWithPackage(dir: string): string {
  return writePackage(dir, 'acme-counter-copy', { name: 'acme-counter-copy', version: '1.0.0' }, {
    'index.js': `import { defineConfig } from 'ferry/sdk';
export default { sdkVersion: '1.0.0', transforms: [{
  className: '${UPPER_TRANSFORM}', aliases: [], version: '1.0.0', configSpec: defineConfig({}), description: 'x', create: () => ({}),
}] };
`,
  });
}

/** A package whose main module throws when imported. */
export function writeThrowsOnImport(dir: string): string {
  return writePackage(dir, 'throws-on-import', { name: 'throws-on-import', version: '1.0.0' }, {
    'index.js': `import 'ferry/sdk';\nthrow new Error('cannot reach the license server');\n`,
  });
}

/** Every package above in `dir`, keyed by folder name: the expected refusal reasons. */
export function writeAllPackages(dir: string): void {
  writeGoodPackage(dir);
  writeNotAPlugin(dir);
  writeWrongShape(dir);
  writeFutureSdk(dir);
  writeClashWithBundled(dir);
  writeClashWithPackage(dir);
  writeThrowsOnImport(dir);
}

export const EXPECTED_REFUSALS: Readonly<Record<string, string>> = {
  'left-pad': 'not a plugin: its default export is a function, not a plugin package object',
  'broken-shape': 'not a plugin: connectors[0] (com.acme.Broken): createTask is not a function',
  'future-sdk': 'SDK major version mismatch: built for SDK 2.0.0, this worker\'s SDK is 1.1.0',
  'clash-bundled': 'alias FileStreamSource of source connector com.acme.FileSource clashes with the bundled source connector '
    + 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  'acme-counter-copy': `class name ${UPPER_TRANSFORM} clashes with the transform ${UPPER_TRANSFORM} of package ${GOOD_PACKAGE.name}`,
  'throws-on-import': 'importing its main module index.js failed: cannot reach the license server',
};
