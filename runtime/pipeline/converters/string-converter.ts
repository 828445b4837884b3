/**
 * org.apache.kafka.connect.storage.StringConverter: writes `value.toString()` (Java's rendering,
 * see displayString) in `converter.encoding`, and reads any bytes as an optional STRING. Null
 * bytes read as an optional STRING schema with a null value, as in Kafka.
 *
 * Supported encodings (Java names, case-insensitive): UTF-8, UTF-16 (big-endian with a byte
 * order mark when writing; the mark decides when reading), UTF-16BE, UTF-16LE, ISO-8859-1,
 * US-ASCII. Characters an encoding cannot hold are written as `?`, undecodable bytes read as
 * U+FFFD, as Java does.
 */
import type { ConverterConfigs, Converter, HeaderConverter, RecordHeaders } from '../../../connectors/sdk/converter.js';
import { displayString } from '../../../connectors/sdk/data/display-string.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { ConfigError } from '../../../connectors/sdk/config/config-error.js';
import { string } from '../../../connectors/sdk/config/config-field.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import { Utf8Slab } from './utf8-slab.js';

export const STRING_CONVERTER_CONFIG = defineConfig({
  'converter.encoding': string({
    doc: 'The name of the Java character set to use for encoding strings as byte arrays.',
    default: 'UTF-8',
    importance: 'HIGH',
    width: 'MEDIUM',
    displayName: 'Encoding',
  }),
});

export interface Charset {
  readonly name: string;
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function singleByte(name: string, max: number, decodeHigh: (byte: number) => string): Charset {
  return {
    name,
    encode: (text) => Buffer.from(Array.from(text, (c) => (c.codePointAt(0)! <= max ? c.codePointAt(0)! : 0x3f))),
    decode: (bytes) => Array.from(bytes, (b) => (b <= 0x7f ? String.fromCharCode(b) : decodeHigh(b))).join(''),
  };
}

function utf16(name: string, order: 'BE' | 'LE' | 'BOM'): Charset {
  return {
    name,
    encode: (text) => {
      const le = Buffer.from(text, 'utf16le');
      if (order === 'LE') return le;
      const be = le.swap16();
      return order === 'BOM' ? Buffer.concat([Buffer.from([0xfe, 0xff]), be]) : be;
    },
    decode: (bytes) => {
      let body = bytes;
      let littleEndian = order === 'LE';
      if (order === 'BOM' && bytes.length >= 2) {
        if (bytes[0] === 0xfe && bytes[1] === 0xff) body = bytes.subarray(2);
        else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
          body = bytes.subarray(2);
          littleEndian = true;
        }
      }
      return new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { ignoreBOM: true }).decode(body);
    },
  };
}

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
/** UTF-8 output Buffers are slices of a shared slab (as JsonConverter's), not Buffers of their own. */
const utf8Slab = new Utf8Slab();
/** What null bytes read as: immutable, so one instance serves every record (a null key on each record of a topic costs nothing). */
const NULL_STRING = new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, null);

const CHARSETS: ReadonlyMap<string, Charset> = (() => {
  const utf8: Charset = {
    name: 'UTF-8',
    encode: (text) => utf8Slab.encode(text.replace(LONE_SURROGATE, '?')),
    decode: (bytes) => utf8Decoder.decode(bytes),
  };
  const latin1 = singleByte('ISO-8859-1', 0xff, (b) => String.fromCharCode(b));
  const ascii = singleByte('US-ASCII', 0x7f, () => '\ufffd');
  const table: [string[], Charset][] = [
    [['utf-8', 'utf8', 'unicode-1-1-utf-8'], utf8],
    [['utf-16', 'utf16', 'unicode', 'unicodebig'], utf16('UTF-16', 'BOM')],
    [['utf-16be', 'utf_16be', 'x-utf-16be', 'iso-10646-ucs-2', 'unicodebigunmarked'], utf16('UTF-16BE', 'BE')],
    [['utf-16le', 'utf_16le', 'x-utf-16le', 'unicodelittleunmarked'], utf16('UTF-16LE', 'LE')],
    [['iso-8859-1', 'iso8859_1', 'iso_8859_1', 'iso8859-1', 'latin1', 'l1', 'iso-ir-100', 'cp819', 'ibm819', 'csisolatin1'], latin1],
    [['us-ascii', 'ascii', 'us', 'iso646-us', 'ascii7', 'default', 'cp367', 'ibm367', 'csascii'], ascii],
  ];
  return new Map(table.flatMap(([names, charset]) => names.map((n) => [n, charset] as const)));
})();

/** The charset Java knows by `name` (or an alias), or undefined when ferry does not support it. */
export function charsetFor(name: string): Charset | undefined {
  return CHARSETS.get(name.trim().toLowerCase());
}

export class StringConverter implements Converter, HeaderConverter {
  static readonly className = 'org.apache.kafka.connect.storage.StringConverter';
  static readonly configSpec = STRING_CONVERTER_CONFIG;

  private charset: Charset = CHARSETS.get('utf-8')!;

  configure(configs: ConverterConfigs, _isKey = false): void {
    const name = STRING_CONVERTER_CONFIG.parse(configs).converterEncoding;
    const charset = charsetFor(name);
    if (charset === undefined) {
      throw new ConfigError([{ name: 'converter.encoding', message: `Invalid value ${name} for configuration converter.encoding: Unsupported encoding ${name}` }]);
    }
    this.charset = charset;
  }

  fromConnectData(_topic: string, _headers: RecordHeaders, schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return this.charset.encode(displayString(value, schema));
  }

  toConnectData(_topic: string, _headers: RecordHeaders, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null || bytes === undefined) return NULL_STRING;
    return new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, this.charset.decode(bytes));
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}
}
