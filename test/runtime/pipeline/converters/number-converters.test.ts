import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from '../../../../runtime/pipeline/converters/number-converters.js';

describe('number converters', () => {
  it('write Kafka\'s big-endian serde bytes', () => {
    expect(new ShortConverter().fromConnectData('t', [], null, -2)?.toString('hex')).toBe('fffe');
    expect(new IntegerConverter().fromConnectData('t', [], null, 258)?.toString('hex')).toBe('00000102');
    expect(new LongConverter().fromConnectData('t', [], null, 2n ** 62n)?.toString('hex')).toBe('4000000000000000');
    expect(new FloatConverter().fromConnectData('t', [], null, 1.5)?.toString('hex')).toBe('3fc00000');
    expect(new DoubleConverter().fromConnectData('t', [], null, 1.5)?.toString('hex')).toBe('3ff8000000000000');
    expect(new BooleanConverter().fromConnectData('t', [], null, true)?.toString('hex')).toBe('01');
  });

  it('read values with the optional schema of their type', () => {
    const int = new IntegerConverter().toConnectData('t', [], Buffer.from('fffffffe', 'hex'));
    expect([int.schema, int.value]).toEqual([Schema.OPTIONAL_INT32_SCHEMA, -2]);
    expect(new LongConverter().toConnectData('t', [], Buffer.from('7fffffffffffffff', 'hex')).value).toBe(2n ** 63n - 1n);
    expect(new LongConverter().toConnectData('t', [], Buffer.from('0000000000000005', 'hex')).value).toBe(5);
    expect(new BooleanConverter().toConnectData('t', [], Buffer.from([0])).value).toBe(false);
    const nothing = new DoubleConverter().toConnectData('t', [], null);
    expect([nothing.schema, nothing.value]).toEqual([Schema.OPTIONAL_FLOAT64_SCHEMA, null]);
  });

  it('reject values of the wrong type and bytes of the wrong width', () => {
    expect(() => new IntegerConverter().fromConnectData('t', [], null, 2 ** 31)).toThrow('Failed to serialize to int (was number 2147483648)');
    expect(() => new IntegerConverter().toConnectData('t', [], Buffer.alloc(3))).toThrow(
      'Failed to deserialize int: Size of data received by IntegerDeserializer is not 4',
    );
    expect(() => new BooleanConverter().fromConnectData('t', [], Schema.INT8_SCHEMA, true)).toThrow('Invalid schema type for BooleanConverter: INT8');
    expect(() => new BooleanConverter().toConnectData('t', [], Buffer.from([2]))).toThrow(/Unexpected byte received by BooleanDeserializer: 2/);
  });
});
