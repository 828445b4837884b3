/**
 * TimestampRouter: sets the topic to `topic.format` with `${topic}` replaced by the topic and
 * `${timestamp}` by the record timestamp in `timestamp.format` (SimpleDateFormat, UTC). A record
 * without a timestamp fails.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { defineConfig, string, validators } from '../../../connectors/sdk/config/config-spec.js';
import { SimpleDateFormat } from './simple-date-format.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { transformPlugin } from './transform-plugin.js';

export const dateFormatValidator = validators.validator((pattern: string) => {
  new SimpleDateFormat(pattern);
}, 'SimpleDateFormat pattern');

export const timestampRouterSpec = defineConfig({
  'topic.format': string({
    doc: 'The new topic name; ${topic} stands for the original topic and ${timestamp} for the formatted record timestamp.',
    default: '${topic}-${timestamp}', importance: 'HIGH',
  }),
  'timestamp.format': string({
    doc: 'java.text.SimpleDateFormat pattern for the timestamp, applied in UTC.',
    default: 'yyyyMMdd', validator: dateFormatValidator, importance: 'HIGH',
  }),
});

class TimestampRouter implements RecordTransform {
  #topicFormat = '';
  #format = new SimpleDateFormat('yyyyMMdd');

  configure(config: RawConfig): void {
    const c = timestampRouterSpec.parse(config);
    this.#topicFormat = c.topicFormat;
    this.#format = new SimpleDateFormat(c.timestampFormat);
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (record.timestamp === null || record.timestamp === undefined) {
      throw new DataError(`Timestamp missing on record: ConnectRecord{topic='${record.topic}', kafkaPartition=${record.kafkaPartition}, timestamp=null}`);
    }
    const timestamp = this.#format.format(new Date(record.timestamp));
    const topic = this.#topicFormat.replaceAll('${topic}', () => record.topic).replaceAll('${timestamp}', () => timestamp);
    return { ...record, topic };
  }
}

export const timestampRouterPlugin = transformPlugin(
  'TimestampRouter',
  'Renames the topic using the original topic and the record timestamp, e.g. orders-20240131.',
  timestampRouterSpec,
  () => new TimestampRouter(),
);
