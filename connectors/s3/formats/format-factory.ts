/** The file format a `format.class` (or `keys.format.class`) names, with its settings applied. */
import type { AvroData } from '../../sdk/data/avro/index.js';
import { formatKindOf } from '../storage/class-names.js';
import { avroCodec, type AvroCodecName } from './avro-codec.js';
import { AvroFormat } from './avro-format.js';
import { ByteArrayFormat, byteArraySeparator } from './bytearray-format.js';
import { JsonFormat } from './json-format.js';
import { ParquetFormat, type ParquetCodecName } from './parquet-format.js';
import type { FileFormat } from './record-format.js';

export interface FormatSettings {
  readonly byteArrayExtension: string;
  readonly byteArraySeparator: string | null;
  /** The Connect ↔ Avro mapping of AvroFormat and ParquetFormat. */
  readonly avroData: AvroData;
  readonly avroCodec: AvroCodecName;
  readonly parquetCodec: ParquetCodecName;
  /** Estimated row bytes after which ParquetFormat writes a row group. */
  readonly parquetRowGroupBytes: number;
}

export function createFormat(className: string, settings: FormatSettings): FileFormat {
  switch (formatKindOf(className)) {
    case 'json':
      return new JsonFormat();
    case 'bytearray':
      return new ByteArrayFormat(settings.byteArrayExtension, byteArraySeparator(settings.byteArraySeparator));
    case 'avro':
      return new AvroFormat(settings.avroData, avroCodec(settings.avroCodec));
    case 'parquet':
      return new ParquetFormat(settings.avroData, settings.parquetCodec, settings.parquetRowGroupBytes);
  }
}
