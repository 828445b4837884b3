/**
 * Partitioners (Confluent's storage partitioners): the "encoded partition" of a record, the
 * directory between the topic and the file name. They are pure functions of the record and
 * its record time, so a replay puts every record where it went the first time (except with
 * the Wallclock extractor).
 */
import type { SinkRecord } from '../../sdk/connect-record.js';
import { DataError } from '../../sdk/errors.js';
import type { PartitionerKind } from '../storage/class-names.js';
import { fieldAt } from './field-path.js';
import { JodaPathFormat } from './joda-path-format.js';
import { bucketStart } from './time-zone.js';
import { describe } from './timestamp-extractor.js';

export interface Partitioner {
  /** The directory of `record` below its topic; `recordTime` is the extractor's time of the record. */
  encodePartition(record: SinkRecord, recordTime: number): string;
}

export interface PartitionerSettings {
  readonly kind: PartitionerKind;
  readonly directoryDelim: string;
  readonly fieldNames: readonly string[];
  readonly pathFormat: string;
  readonly durationMs: number;
  readonly timezone: string;
  readonly locale: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function createPartitioner(settings: PartitionerSettings): Partitioner {
  const delim = settings.directoryDelim;
  switch (settings.kind) {
    case 'default':
      return { encodePartition: (record) => `partition=${record.kafkaPartition}` };
    case 'field':
      return new FieldPartitioner(settings.fieldNames, delim);
    case 'time':
      return new TimeBasedPartitioner(settings.pathFormat, settings.durationMs, settings.timezone, settings.locale);
    case 'daily':
      return new TimeBasedPartitioner(["'year'=YYYY", "'month'=MM", "'day'=dd"].join(delim), DAY_MS, settings.timezone, settings.locale);
    case 'hourly':
      return new TimeBasedPartitioner(["'year'=YYYY", "'month'=MM", "'day'=dd", "'hour'=HH"].join(delim), HOUR_MS, settings.timezone, settings.locale);
  }
}

/** `<field>=<value>` per configured field, joined by directory.delim; a null or missing field is `<field>=null`. */
class FieldPartitioner implements Partitioner {
  constructor(readonly fieldNames: readonly string[], readonly delim: string) {}

  encodePartition(record: SinkRecord): string {
    return this.fieldNames.map((name) => `${name}=${this.#text(record, name)}`).join(this.delim);
  }

  #text(record: SinkRecord, name: string): string {
    const lookup = fieldAt(record.value, name);
    if (!lookup.found || lookup.value === null || lookup.value === undefined) return 'null';
    const value = lookup.value;
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw new DataError(`Field ${name} of record ${describe(record)} is not a string, number or boolean; FieldPartitioner cannot encode it`, { path: name });
  }
}

/** path.format of the start of the record time's bucket, in timezone. */
class TimeBasedPartitioner implements Partitioner {
  readonly #format: JodaPathFormat;

  constructor(pattern: string, readonly durationMs: number, readonly zone: string, locale: string) {
    this.#format = new JodaPathFormat(pattern, zone, locale);
  }

  encodePartition(_record: SinkRecord, recordTime: number): string {
    return this.#format.format(bucketStart(this.zone, recordTime, this.durationMs));
  }
}
