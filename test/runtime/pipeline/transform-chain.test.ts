import { describe, expect, it } from 'vitest';
import type { ConnectRecord, SinkRecord } from '../../../connectors/sdk/connect-record.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError, RetriableError } from '../../../connectors/sdk/errors.js';
import type { TransformPlugin } from '../../../connectors/sdk/transform.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import { enrichConnectorSpec, sinkConnectorSpec } from '../../../runtime/config/connector-config.js';
import {
  buildTransformChain, predicateSpecFor, TransformationError, transformSpecFor,
} from '../../../runtime/pipeline/transform-chain.js';
import { builtinTransforms } from '../../../runtime/pipeline/transforms/builtin-transforms.js';
import { configIssues, sinkRecord } from './transforms/transform-fixtures.js';

describe('building a transform chain from connector config', () => {
  it('runs transforms in the listed order, by class name or short name', () => {
    const chain = buildTransformChain<SinkRecord>({
      name: 'sink', transforms: 'route, wrap',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': '(.*)-raw', 'transforms.route.replacement': '$1',
      'transforms.wrap.type': 'HoistField$Value', 'transforms.wrap.field': 'line',
    });
    expect(chain.stages.map((s) => [s.alias, s.plugin.className])).toEqual([
      ['route', 'org.apache.kafka.connect.transforms.RegexRouter'],
      ['wrap', 'org.apache.kafka.connect.transforms.HoistField$Value'],
    ]);
    const out = chain.apply(sinkRecord({ topic: 'logs-raw', value: 'hello' }))!;
    expect([out.topic, out.value, out.kafkaOffset]).toEqual(['logs', new Map([['line', 'hello']]), 42]);
  });

  it('is empty and passes records through when no transforms are configured', () => {
    const chain = buildTransformChain({ name: 'x' });
    const record = sinkRecord();
    expect(chain.isEmpty).toBe(true);
    expect(chain.apply(record)).toBe(record);
  });

  it('drops records with Filter only where the predicate matches', () => {
    const chain = buildTransformChain({
      transforms: 'dropTombstones,tag',
      'transforms.dropTombstones.type': 'Filter',
      'transforms.dropTombstones.predicate': 'isTombstone',
      'transforms.tag.type': 'InsertHeader', 'transforms.tag.header': 'seen', 'transforms.tag.value.literal': 'true',
      predicates: 'isTombstone',
      'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    });
    expect(chain.apply(sinkRecord({ key: 'k', value: null }))).toBeNull();
    const kept = chain.apply(sinkRecord({ value: 'v' }))!;
    expect(kept.headers).toEqual([{ key: 'seen', schema: Schema.BOOLEAN_SCHEMA, value: true }]);
  });

  it('inverts the predicate with negate', () => {
    const chain = buildTransformChain({
      transforms: 'keepOrders',
      'transforms.keepOrders.type': 'Filter',
      'transforms.keepOrders.predicate': 'isOrders',
      'transforms.keepOrders.negate': 'true',
      predicates: 'isOrders',
      'predicates.isOrders.type': 'TopicNameMatches',
      'predicates.isOrders.pattern': 'orders.*',
    });
    expect(chain.apply(sinkRecord({ topic: 'payments' }))).toBeNull();
    expect(chain.apply(sinkRecord({ topic: 'orders-eu' }))!.topic).toBe('orders-eu');
  });

  it('applies a conditional transform only to matching records', () => {
    const schema = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).build();
    const chain = buildTransformChain({
      transforms: 'stamp',
      'transforms.stamp.type': 'InsertField$Value', 'transforms.stamp.topic.field': 'source',
      'transforms.stamp.predicate': 'traced',
      predicates: 'traced', 'predicates.traced.type': 'HasHeaderKey', 'predicates.traced.name': 'trace',
    });
    const traced = chain.apply(sinkRecord({ valueSchema: schema, value: new Struct(schema).put('id', 1), headers: [{ key: 'trace', schema: null, value: null }] }))!;
    expect((traced.value as Struct).get('source')).toBe('orders');
    const plain = sinkRecord({ valueSchema: schema, value: new Struct(schema).put('id', 1) });
    expect(chain.apply(plain)).toBe(plain);
  });

  it('reports an unknown class and a missing type on the type key', () => {
    expect(configIssues(() => buildTransformChain({ transforms: 'a,b', 'transforms.a.type': 'com.acme.Nope' }))).toEqual([
      { name: 'transforms.a.type', message: 'Invalid value com.acme.Nope for configuration transforms.a.type: Class com.acme.Nope could not be found.' },
      { name: 'transforms.b.type', message: 'Missing required configuration "transforms.b.type" which has no default value.' },
    ]);
  });

  it('reports each transform\'s own config errors under its full key', () => {
    const issues = configIssues(() => buildTransformChain({
      transforms: 'cast,mask',
      'transforms.cast.type': 'Cast$Value', 'transforms.cast.spec': 'a:uuid',
      'transforms.mask.type': 'MaskField$Value',
    }));
    expect(issues).toEqual([
      { name: 'transforms.cast.spec', message: 'Invalid value [a:uuid] for configuration transforms.cast.spec: Invalid type found in casting spec: uuid' },
      { name: 'transforms.mask.fields', message: 'Missing required configuration "transforms.mask.fields" which has no default value.' },
    ]);
  });

  it('reports cross-key errors a transform finds under its full key', () => {
    expect(configIssues(() => buildTransformChain({ transforms: 'ins', 'transforms.ins.type': 'InsertField$Value' }))).toEqual([
      { name: 'transforms.ins.topic.field', message: 'No field insertion configured' },
    ]);
  });

  it('reports predicates that are not configured, negate without predicate, and bad predicate configs', () => {
    const issues = configIssues(() => buildTransformChain({
      transforms: 'f,g',
      'transforms.f.type': 'Filter', 'transforms.f.predicate': 'missing',
      'transforms.g.type': 'Filter', 'transforms.g.negate': 'true',
      predicates: 'p', 'predicates.p.type': 'TopicNameMatches',
    }));
    expect(issues).toEqual([
      { name: 'predicates.p.pattern', message: 'Missing required configuration "predicates.p.pattern" which has no default value.' },
      { name: 'transforms.f.predicate', message: "Predicate 'missing' is not one of the configured predicates (predicates=p)" },
      {
        name: 'transforms.g.type',
        message: "Config 'transforms.g.negate' was provided but there is no config 'transforms.g.predicate' defining a predicate to be negated.",
      },
    ]);
  });

  it('rejects duplicate aliases', () => {
    expect(configIssues(() => buildTransformChain({ transforms: 'a,a', 'transforms.a.type': 'Filter' }))[0]).toEqual({
      name: 'transforms', message: 'Invalid value [a, a] for configuration transforms: Duplicate alias provided.',
    });
  });

  it('passes only the alias\'s own keys to the transform', () => {
    const seen: Record<string, string>[] = [];
    const spy: TransformPlugin = {
      className: 'com.acme.Spy', aliases: [], version: '1', description: 'spy', configSpec: defineConfig({}),
      create<R extends ConnectRecord>() {
        return { configure: (c: Record<string, string>) => void seen.push({ ...c }), apply: (r: R) => r };
      },
    };
    buildTransformChain({
      transforms: 's', 'transforms.s.type': 'com.acme.Spy', 'transforms.s.predicate': 'p', 'transforms.s.negate': 'false',
      'transforms.s.x': '1', 'transforms.s.y.z': 2, 'transforms.t.x': 'other',
      predicates: 'p', 'predicates.p.type': 'RecordIsTombstone',
    }, { transforms: new Map([['com.acme.Spy', spy]]) });
    expect(seen).toEqual([{ x: '1', 'y.z': '2' }]);
  });
});

describe('running a transform chain', () => {
  it('wraps a transform failure in a TransformationError naming the alias and class', () => {
    const chain = buildTransformChain({ transforms: 'extract', 'transforms.extract.type': 'ExtractField$Value', 'transforms.extract.field': 'id' });
    let error: unknown;
    try {
      chain.apply(sinkRecord({ value: 'not a map' }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TransformationError);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({
      alias: 'extract', className: 'org.apache.kafka.connect.transforms.ExtractField$Value',
      message: "Transform 'extract' (org.apache.kafka.connect.transforms.ExtractField$Value) failed: "
        + 'Only Map objects supported in absence of schema for [field extraction], found: string',
    });
  });

  it('lets retriable failures through unchanged and closes every stage', () => {
    let closed = 0;
    const flaky: TransformPlugin = {
      className: 'com.acme.Flaky', aliases: [], version: '1', description: 'flaky', configSpec: defineConfig({}),
      create() {
        return {
          configure() {},
          apply() {
            throw new RetriableError('try later');
          },
          close() {
            closed++;
          },
        };
      },
    };
    const chain = buildTransformChain({ transforms: 'a,b', 'transforms.a.type': 'Flaky', 'transforms.b.type': 'Flaky' }, {
      transforms: new Map([['Flaky', flaky]]),
    });
    expect(() => chain.apply(sinkRecord())).toThrow(RetriableError);
    chain.close();
    expect(closed).toBe(2);
  });
});

describe('transform and predicate specs for validation', () => {
  it('gives each plugin\'s spec, or the class-not-found message, in the shape enrichConnectorSpec takes', () => {
    expect(transformSpecFor('Cast$Value')).toBe(builtinTransforms.get('Cast$Value')!.configSpec);
    expect(transformSpecFor('com.acme.Nope')).toBe('Class com.acme.Nope could not be found.');
    expect(typeof predicateSpecFor('HasHeaderKey')).toBe('object');
    const spec = enrichConnectorSpec(sinkConnectorSpec, {
      transforms: 'c,x', 'transforms.c.type': 'Cast$Value', 'transforms.x.type': 'com.acme.Nope',
    }, { transformSpec: (name) => transformSpecFor(name), predicateSpec: (name) => predicateSpecFor(name) });
    const result = spec.validate({
      name: 'n', 'connector.class': 'X', topics: 't', transforms: 'c,x', 'transforms.c.type': 'Cast$Value', 'transforms.x.type': 'com.acme.Nope',
    });
    expect(result.issues).toEqual([
      { name: 'transforms.c.spec', message: 'Missing required configuration "transforms.c.spec" which has no default value.' },
      { name: 'transforms.x.type', message: 'Invalid value com.acme.Nope for configuration transforms.x.type: Class com.acme.Nope could not be found.' },
    ]);
    expect(spec.names).toContain('transforms.c.replace.null.with.default');
  });

  it('registers every built-in transform under its class name and short name', () => {
    const names = [...builtinTransforms.keys()];
    for (const base of ['InsertField', 'ReplaceField', 'MaskField', 'HoistField', 'ExtractField', 'SetSchemaMetadata', 'Flatten', 'Cast', 'TimestampConverter', 'HeaderFrom']) {
      for (const variant of ['$Key', '$Value']) {
        expect(names).toContain(`${base}${variant}`);
        expect(names).toContain(`org.apache.kafka.connect.transforms.${base}${variant}`);
      }
    }
    for (const single of ['ValueToKey', 'TimestampRouter', 'RegexRouter', 'Filter', 'InsertHeader', 'DropHeaders']) {
      expect(builtinTransforms.get(single)).toBe(builtinTransforms.get(`org.apache.kafka.connect.transforms.${single}`));
    }
    expect(new Set(builtinTransforms.values()).size).toBe(26);
  });
});
