import { inspect } from 'node:util';
import { Ajv } from 'ajv';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConfigError, boolean, choice, classField, defineConfig, double, int, list, long, password, short, string, validators,
  type ParsedConfig, type Password,
} from '../../../../connectors/sdk/config/config-spec.js';

const spec = defineConfig({
  'batch.size': int({ doc: 'Records per batch.', default: 100, validator: validators.between(1, 1000) }),
  'topic.prefix': string({ doc: 'Prefix of every topic.' }),
  'poll.interval.ms': long({ doc: 'Poll interval.', default: 5000 }),
  'ratio': double({ doc: 'A ratio.', default: 0.5 }),
  'retries': short({ doc: 'Retries.', default: 3 }),
  'enabled': boolean({ doc: 'On or off.', default: true }),
  'tables': list({ doc: 'Tables.', default: [] }),
  'db.password': password({ doc: 'Secret.', default: null }),
  'mode': choice({ doc: 'Mode.', values: ['bulk', 'incrementing'], caseInsensitive: true, default: 'bulk' }),
  'dialect.class': classField({ doc: 'Dialect.', default: null }),
});

describe('config spec parsing', () => {
  it('parses a raw map into a frozen object keyed by camelCase names, filling defaults', () => {
    const config = spec.parse({ 'topic.prefix': ' db- ', 'batch.size': '250', tables: 'a, b ,c' });
    expect(config).toEqual({
      batchSize: 250, topicPrefix: 'db-', pollIntervalMs: 5000, ratio: 0.5, retries: 3, enabled: true,
      tables: ['a', 'b', 'c'], dbPassword: null, mode: 'bulk', dialectClass: null,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tables)).toBe(true);
  });

  it('types the parsed config from the declaration', () => {
    type Parsed = ParsedConfig<typeof spec>;
    expectTypeOf<Parsed['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<Parsed['topicPrefix']>().toEqualTypeOf<string>();
    expectTypeOf<Parsed['tables']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Parsed['dbPassword']>().toEqualTypeOf<Password | null>();
    expectTypeOf<Parsed['mode']>().toEqualTypeOf<'bulk' | 'incrementing'>();
    expectTypeOf<Parsed['dialectClass']>().toEqualTypeOf<string | null>();
    expectTypeOf<Parsed>().not.toHaveProperty('batch.size');
    const config = spec.parse({ 'topic.prefix': 'p' });
    // @ts-expect-error dotted names are not properties of the parsed config
    void config['batch.size'];
  });

  it('accepts JSON numbers and booleans in place of strings', () => {
    const config = spec.parse({ 'topic.prefix': 'p', 'batch.size': 7, enabled: false, ratio: 2 });
    expect([config.batchSize, config.enabled, config.ratio]).toEqual([7, false, 2]);
  });

  it('reads booleans case-insensitively and spells choices as declared', () => {
    const config = spec.parse({ 'topic.prefix': 'p', enabled: ' FALSE ', mode: 'Incrementing' });
    expect(config.enabled).toBe(false);
    expect(config.mode).toBe('incrementing');
  });

  it('reports every bad key at once, each with its name', () => {
    let error: unknown;
    try {
      spec.parse({ 'batch.size': '0', 'poll.interval.ms': 'soon', enabled: 'yes', mode: 'stream', retries: '40000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toEqual([
      { name: 'batch.size', message: 'Invalid value 0 for configuration batch.size: Value must be at least 1' },
      { name: 'topic.prefix', message: 'Missing required configuration "topic.prefix" which has no default value.' },
      { name: 'poll.interval.ms', message: 'Invalid value soon for configuration poll.interval.ms: Not a number of type LONG' },
      { name: 'retries', message: 'Invalid value 40000 for configuration retries: Not a number of type SHORT' },
      { name: 'enabled', message: 'Invalid value yes for configuration enabled: Expected value to be either true or false' },
      { name: 'mode', message: 'Invalid value stream for configuration mode: String must be one of (case insensitive): bulk, incrementing' },
    ]);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    expect((error as ConfigError).message).toContain('contains the following 6 error(s)');
  });

  it('rejects integers outside the 32-bit range and non-integers', () => {
    const v = spec.validate({ 'topic.prefix': 'p', 'batch.size': '2147483648' });
    expect(v.issues.map((i) => i.message)).toEqual(['Invalid value 2147483648 for configuration batch.size: Not a number of type INT']);
    expect(spec.validate({ 'topic.prefix': 'p', 'batch.size': 1.5 }).isValid).toBe(false);
  });

  it('keeps unknown keys out of the parsed config and lists them without failing', () => {
    const raw = { 'topic.prefix': 'p', 'producer.override.acks': 'all', 'some.typo': '1' };
    expect(spec.parse(raw)).not.toHaveProperty('producerOverrideAcks');
    expect(spec.unknownKeys(raw)).toEqual(['producer.override.acks', 'some.typo']);
    const v = spec.validate(raw);
    expect(v.isValid).toBe(true);
    expect(v.unknownKeys).toEqual(['producer.override.acks', 'some.typo']);
  });

  it('rejects null values, declared or not', () => {
    const v = spec.validate({ 'topic.prefix': null, other: null });
    expect(v.issues).toEqual([
      { name: 'topic.prefix', message: 'Null value can not be supplied as the configuration value.' },
      { name: 'other', message: 'Null value can not be supplied as the configuration value.' },
    ]);
  });

  it('refuses a spec whose default breaks its own validator', () => {
    expect(() => defineConfig({ n: int({ doc: 'n', default: 0, validator: validators.atLeast(1) }) }))
      .toThrow('Invalid default for configuration n: Value must be at least 1');
    expect(() => defineConfig({ 'a.b': int({ doc: '', default: 1 }), 'a-b': int({ doc: '', default: 1 }) })).toThrow(/both map to property aB/);
  });

  it('turns a throwing custom validator into a field error', () => {
    const s = defineConfig({
      host: string({ doc: 'h', validator: (h) => { if (h.includes(' ')) throw new Error('no spaces'); } }),
    });
    expect(s.validate({ host: 'a b' }).issues).toEqual([{ name: 'host', message: 'Invalid value a b for configuration host: no spaces' }]);
  });

  it('stops a validator list at its first failure', () => {
    const s = defineConfig({
      code: string({ doc: 'c', validator: [validators.nonEmptyString(), validators.matches(/[A-Z]+/)] }),
    });
    expect(s.validate({ code: '' }).issues.map((i) => i.message)).toEqual(['Invalid value  for configuration code: String must be non-empty']);
    expect(s.validate({ code: 'ab' }).issues.map((i) => i.message)).toEqual(['Invalid value ab for configuration code: Value must match the pattern [A-Z]+']);
  });
});

describe('list keys', () => {
  const lists = defineConfig({
    items: list({ doc: 'i', default: [] }),
    names: list({ doc: 'n', default: [], omitEmpty: true }),
    unique: list({ doc: 'u', default: [], validator: validators.uniqueItems('Duplicate alias provided.') }),
  });

  it('splits on commas and trims around every element', () => {
    expect(lists.parse({ items: '  a ,b,   c d ' }).items).toEqual(['a', 'b', 'c d']);
  });

  it('reads an empty or blank value as an empty list', () => {
    expect(lists.parse({ items: '' }).items).toEqual([]);
    expect(lists.parse({ items: '   ' }).items).toEqual([]);
  });

  it('keeps empty elements as Kafka does unless the key omits them', () => {
    expect(lists.parse({ items: 'a,,b,' }).items).toEqual(['a', '', 'b', '']);
    expect(lists.parse({ names: 'a,,b,' }).names).toEqual(['a', 'b']);
  });

  it('shows list values the Java way in error messages', () => {
    expect(lists.validate({ unique: 'x,y,x' }).issues[0].message).toBe('Invalid value [x, y, x] for configuration unique: Duplicate alias provided.');
  });
});

describe('passwords', () => {
  const secret = defineConfig({ 'db.password': password({ doc: 'p' }), user: string({ doc: 'u' }) });

  it('hides the value in JSON, strings and inspection but reveals it on request', () => {
    const config = secret.parse({ 'db.password': 's3cret', user: 'me' });
    expect(config.dbPassword.reveal()).toBe('s3cret');
    expect(JSON.stringify(config)).toBe('{"dbPassword":"[hidden]","user":"me"}');
    expect(`${config.dbPassword}`).toBe('[hidden]');
    expect(inspect(config)).not.toContain('s3cret');
  });

  it('renders as [hidden] in validate results and never leaks through errors', () => {
    const infos = secret.toConfigInfos('p', { 'db.password': 's3cret' });
    expect(JSON.stringify(infos)).not.toContain('s3cret');
    expect(infos.configs[0].value?.value).toBe('[hidden]');
  });

  it('reveals passwords when a parsed config is serialized back to a config map', () => {
    const config = secret.parse({ 'db.password': 's3cret', user: 'me' });
    expect(secret.serialize(config)).toEqual({ 'db.password': 's3cret', user: 'me' });
  });
});

describe('composition', () => {
  const common = defineConfig({
    name: string({ doc: 'n', group: 'Common' }),
    'tasks.max': int({ doc: 't', default: 1, group: 'Common' }),
  });

  it('extends a spec, continuing group orders and combining types', () => {
    const extended = common.extend({ file: string({ doc: 'f', default: null, group: 'Common' }) });
    expect(extended.describe().map((k) => [k.name, k.order])).toEqual([['name', 1], ['tasks.max', 2], ['file', 3]]);
    const config = extended.parse({ name: 'c' });
    expectTypeOf(config.file).toEqualTypeOf<string | null>();
    expect(config).toEqual({ name: 'c', tasksMax: 1, file: null });
  });

  it('refuses to merge a key twice unless told which definition wins', () => {
    const plugin = defineConfig({ 'tasks.max': int({ doc: 'plugin', default: 4 }) });
    expect(() => common.merge(plugin)).toThrow('Configuration tasks.max is defined more than once');
    expect(common.merge(plugin, { onConflict: 'override' }).parse({ name: 'x' }).tasksMax).toBe(4);
    expect(common.merge(plugin, { onConflict: 'keep' }).parse({ name: 'x' }).tasksMax).toBe(1);
    expect(common.merge(plugin, { onConflict: 'override' }).names).toEqual(['name', 'tasks.max']);
  });

  it('embeds a spec under a prefix and group, keeping its cross-field rules', () => {
    const mask = defineConfig({
      fields: list({ doc: 'f', default: [] }),
      replacement: string({ doc: 'r', default: null }),
    }, {
      validateCrossField: (v) => (v.fields?.length === 0 && v.replacement !== null ? [{ name: 'replacement', message: 'needs fields' }] : []),
    });
    const embedded = mask.embed('transforms.m.', { group: 'Transforms: m' });
    expect(embedded.describe().map((k) => [k.name, k.group, k.order])).toEqual([
      ['transforms.m.fields', 'Transforms: m', 1], ['transforms.m.replacement', 'Transforms: m', 2],
    ]);
    expect(embedded.validate({ 'transforms.m.replacement': 'x' }).issues).toEqual([{ name: 'transforms.m.replacement', message: 'needs fields' }]);
    expect(embedded.parse({ 'transforms.m.fields': 'a' }).transformsMFields).toEqual(['a']);
  });

  it('passes cross-field rules only the keys that parsed cleanly, plus the raw map', () => {
    const seen: unknown[] = [];
    const s = defineConfig({ a: int({ doc: 'a' }), b: int({ doc: 'b', default: 2 }) }, {
      validateCrossField: (v, raw) => { seen.push(v, raw.a); },
    });
    s.validate({ a: 'x' });
    expect(seen).toEqual([{ b: 2 }, 'x']);
  });
});

describe('recommenders and dependents', () => {
  const s = defineConfig({
    'mode': choice({ doc: 'm', values: ['timestamp', 'bulk'], default: 'bulk', dependents: ['timestamp.column'] }),
    'timestamp.column': string({
      doc: 't', default: null,
      recommender: {
        validValues: () => ['updated_at', 'created_at'],
        visible: (_name, values) => values['mode'] === 'timestamp',
      },
    }),
  });

  it('reports recommended values and visibility computed from the other values', () => {
    const hidden = s.validate({}).values.find((v) => v.name === 'timestamp.column');
    expect(hidden).toMatchObject({ recommendedValues: ['updated_at', 'created_at'], visible: false });
    const shown = s.toConfigInfos('x', { mode: 'timestamp' }).configs[1];
    expect(shown.value).toEqual({ name: 'timestamp.column', value: null, recommended_values: ['updated_at', 'created_at'], errors: [], visible: true });
    expect(shown.definition?.dependents).toEqual([]);
    expect(s.describe()[0].dependents).toEqual(['timestamp.column']);
  });
});

describe('describe, JSON Schema and Markdown', () => {
  it('renders defaults as Kafka strings: lists joined, doubles Java-style, longs exact', () => {
    const s = defineConfig({
      l: list({ doc: '', default: ['a', 'b'] }),
      d: double({ doc: '', default: 1 }),
      big: long({ doc: '', default: 2 ** 63 }),
      n: string({ doc: '', default: null }),
      p: password({ doc: '', default: 'x' }),
      r: int({ doc: '' }),
    });
    expect(s.describe().map((k) => [k.default_value, k.required])).toEqual([
      ['a,b', false], ['1.0', false], ['9223372036854775807', false], [null, false], ['[hidden]', false], [null, true],
    ]);
  });

  it('spells doubles as Java does', () => {
    const s = defineConfig({
      a: double({ doc: '', default: 1e7 }), b: double({ doc: '', default: 0.0001 }), c: double({ doc: '', default: 2.5 }),
    });
    expect(s.describe().map((k) => k.default_value)).toEqual(['1.0E7', '1.0E-4', '2.5']);
  });

  it('gives keys without a group the order -1 and their name as display name', () => {
    const [key] = defineConfig({ 'x.y': int({ doc: 'd', default: 1 }) }).describe();
    expect(key).toMatchObject({ group: null, order: -1, width: 'NONE', display_name: 'x.y', importance: 'MEDIUM' });
  });

  it('emits a JSON Schema that strict ajv compiles and that accepts string or typed values', () => {
    const ajv = new Ajv({ strict: true });
    const check = ajv.compile(spec.toJsonSchema({ title: 'Example' }));
    expect(check({ 'topic.prefix': 'p', 'batch.size': '10', enabled: 'TRUE', mode: 'bulk' })).toBe(true);
    expect(check({ 'topic.prefix': 'p', 'batch.size': 10, enabled: true, extra: 'kept' })).toBe(true);
    expect(check({ 'batch.size': 10 })).toBe(false);
    expect(check({ 'topic.prefix': 'p', 'batch.size': 0 })).toBe(false);
    expect(check({ 'topic.prefix': 'p', 'batch.size': 'ten' })).toBe(false);
    const props = spec.toJsonSchema().properties as Record<string, Record<string, unknown>>;
    expect(props['db.password']).toMatchObject({ type: 'string', writeOnly: true });
    expect(props['tables'].default).toBe('');
  });

  it('documents every key in Markdown, grouped, with type, default and valid values', () => {
    const s = defineConfig({
      b: int({ doc: 'Second.', default: 5, validator: validators.atLeast(1), group: 'Main', orderInGroup: 2 }),
      a: string({ doc: 'First.', group: 'Main', orderInGroup: 1 }),
      z: boolean({ doc: 'Loose.', default: false }),
    });
    expect(s.toMarkdown({ title: 'Example' })).toBe([
      '## Example', '',
      '### Main', '',
      '#### `a`', '', 'First.', '', '| | |', '|---|---|', '| Type | string |', '| Default | required |', '| Importance | medium |', '',
      '#### `b`', '', 'Second.', '', '| | |', '|---|---|', '| Type | int |', '| Default | `5` |', '| Valid values | [1,...] |',
      '| Importance | medium |', '',
      '### Other', '',
      '#### `z`', '', 'Loose.', '', '| | |', '|---|---|', '| Type | boolean |', '| Default | `false` |', '| Importance | medium |', '',
    ].join('\n'));
  });
});
