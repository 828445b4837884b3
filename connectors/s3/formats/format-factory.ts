/** The RecordFormat a `format.class` (or `keys.format.class`) names, with its settings applied. */
import { formatKindOf } from '../storage/class-names.js';
import { ByteArrayFormat, byteArraySeparator } from './bytearray-format.js';
import { JsonFormat } from './json-format.js';
import type { RecordFormat } from './record-format.js';

export interface FormatSettings {
  readonly byteArrayExtension: string;
  readonly byteArraySeparator: string | null;
}

export function createFormat(className: string, settings: FormatSettings): RecordFormat {
  switch (formatKindOf(className)) {
    case 'json':
      return new JsonFormat();
    case 'bytearray':
      return new ByteArrayFormat(settings.byteArrayExtension, byteArraySeparator(settings.byteArraySeparator));
  }
}
