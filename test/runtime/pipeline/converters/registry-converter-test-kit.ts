/**
 * What the Schema Registry converter tests share: ferry's registry on the bundled broker (started
 * before the file's tests, closed after), converters configured against it, fresh topic names,
 * registry reads, the hex of a wire prefix, a struct's field values by name, and an order record.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { isThenable, type Converter } from '../../../../connectors/sdk/converter.js';
import type { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDecimal, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { startSchemaRegistry } from '../../../../registry/start-schema-registry.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';

export interface RegistryForTests {
  /** The registry's base URL (valid inside tests). */
  readonly url: () => string;
  readonly get: (path: string) => Promise<unknown>;
  /** A new converter of class `cls` configured against the registry. */
  readonly converter: <C extends Converter>(cls: new () => C, configs?: Record<string, string>, isKey?: boolean) => C;
}

/** Starts a broker and a registry for the calling test file. */
export function useRegistry(): RegistryForTests {
  let broker: TestBroker | undefined;
  let registry: Awaited<ReturnType<typeof startSchemaRegistry>> | undefined;
  beforeAll(async () => {
    broker = await startTestBroker();
    registry = await startSchemaRegistry({ bootstrapServers: broker.bootstrap, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await registry?.close();
    await broker?.close();
  });
  return {
    url: () => registry!.url,
    get: async (path) => (await fetch(`${registry!.url}${path}`)).json(),
    converter: (cls, configs = {}, isKey = false) => {
      const c = new cls();
      c.configure({ 'schema.registry.url': registry!.url, ...configs }, isKey);
      return c;
    },
  };
}

let seq = 0;

/** A topic name not used before in this process. */
export const freshTopic = (prefix: string): string => `${prefix}-${++seq}`;

/** The 5-byte wire prefix of schema id `id`, as hex. */
export const prefixHex = (id: number): string => `00${id.toString(16).padStart(8, '0')}`;

/** A struct's field values by name (defaults applied). */
export function structFields(value: unknown): Record<string, unknown> {
  const s = value as Struct;
  return Object.fromEntries(s.schema.fields.map((f) => [f.name, s.get(f)]));
}

export const ORDER = SchemaBuilder.struct().name('io.x.Order')
  .field('id', Schema.INT64_SCHEMA)
  .field('note', Schema.OPTIONAL_STRING_SCHEMA)
  .field('amount', LogicalDecimal.schema(2))
  .field('at', LogicalTimestamp.SCHEMA)
  .build();

export function order(id: number | bigint, note: string | null = 'hi'): Struct {
  return new Struct(ORDER).put('id', id).put('note', note).put('amount', new Decimal(1999n, 2)).put('at', new Date(1_700_000_000_000));
}

/**
 * Checks that a converter answers with a Promise while it asks the registry and synchronously once
 * the schema and id are cached, writing (one writer) and reading (one reader) order records;
 * returns the value of order 2 as read back synchronously.
 */
export async function expectSynchronousWhenWarm(newConverter: () => Converter, topic: string): Promise<unknown> {
  const writer = newConverter();
  const reader = newConverter();
  const first = writer.fromConnectData(topic, [], ORDER, order(1));
  expect(isThenable(first)).toBe(true);
  const firstBytes = (await first)!;
  const second = writer.fromConnectData(topic, [], ORDER, order(2));
  expect(isThenable(second)).toBe(false);
  expect(isThenable(reader.toConnectData(topic, [], firstBytes))).toBe(true);
  await reader.toConnectData(topic, [], firstBytes);
  const again = reader.toConnectData(topic, [], second as Buffer);
  expect(isThenable(again)).toBe(false);
  expect(structFields((again as SchemaAndValue).value)['id']).toEqual(structFields(order(2))['id']);
  return (again as SchemaAndValue).value;
}
