import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { ErrorHandlingMetrics } from '../../../../runtime/pipeline/error-handling/error-metrics.js';
import type { ProcessingFailure } from '../../../../runtime/pipeline/error-handling/error-reporter.js';
import { bytesText, LogReporter } from '../../../../runtime/pipeline/error-handling/log-reporter.js';
import { consumedRecordContext, sourceRecordContext } from '../../../../runtime/pipeline/error-handling/record-context.js';
import { consumed, fakeLogger } from './fakes.js';

const taskId = { connector: 'orders-sink', task: 0 };

function setup(includeMessages: boolean) {
  const metrics = new ErrorHandlingMetrics();
  const logger = fakeLogger();
  return { reporter: new LogReporter({ taskId, logger, includeMessages, metrics }), metrics, logger };
}

const error = new DataError('Unexpected character');
const failure: ProcessingFailure = {
  stage: 'VALUE_CONVERTER',
  className: 'org.apache.kafka.connect.json.JsonConverter',
  error,
  attempts: 1,
  record: consumedRecordContext(consumed()),
};

describe('LogReporter', () => {
  it('logs the task, stage and class with the error, but not the record, by default', async () => {
    const { reporter, logger, metrics } = setup(false);
    await reporter.report(failure);
    expect(logger.calls).toEqual([{
      level: 'error',
      obj: { err: error, connector: 'orders-sink', task: 0, stage: 'VALUE_CONVERTER', class: 'org.apache.kafka.connect.json.JsonConverter', attempts: 1 },
      msg: 'Error encountered in task orders-sink-0. Executing stage \'VALUE_CONVERTER\' with class \'org.apache.kafka.connect.json.JsonConverter\'.',
    }]);
    expect(logger.calls[0].msg).not.toContain('not json');
    expect(metrics.snapshot()['total-errors-logged']).toBe(1);
  });

  it('with include.messages adds the consumed record: coordinates, timestamp, key, value and headers', async () => {
    const { reporter, logger } = setup(true);
    await reporter.report(failure);
    expect(logger.calls[0].msg).toBe(
      'Error encountered in task orders-sink-0. Executing stage \'VALUE_CONVERTER\' with class '
      + '\'org.apache.kafka.connect.json.JsonConverter\', where consumed record is {topic=\'orders\', partition=2, '
      + 'offset=41, timestamp=1690000000123, timestampType=CreateTime, key="k1", value="{not json", '
      + 'headers=[trace-id="abc", empty=null]}.',
    );
  });

  it('with include.messages prints a source record\'s data as Connect values', async () => {
    const { reporter, logger } = setup(true);
    await reporter.report({
      ...failure,
      stage: 'TRANSFORMATION',
      className: 'org.apache.kafka.connect.transforms.Cast$Value',
      record: sourceRecordContext({
        topic: 'files', kafkaPartition: null, keySchema: null, key: null, valueSchema: Schema.FLOAT64_SCHEMA, value: 2,
        timestamp: null, headers: [{ key: 'h', schema: Schema.STRING_SCHEMA, value: 'x' }],
        sourcePartition: { filename: '/tmp/a.txt' }, sourceOffset: { position: 1024 },
      }),
    });
    expect(logger.calls[0].msg).toContain(
      'where source record is {topic=\'files\', kafkaPartition=null, sourcePartition={filename=/tmp/a.txt}, '
      + 'sourceOffset={position=1024}, timestamp=null, key=null, value=2.0, headers=[h=x]}.',
    );
  });

  it('prints bytes that are not plain UTF-8 text as base64', () => {
    expect(bytesText(Buffer.from([0xff, 0xfe]))).toBe('base64://4=');
    expect(bytesText(Buffer.from('a\u0000b'))).toBe(`base64:${Buffer.from('a\u0000b').toString('base64')}`);
    expect(bytesText(Buffer.from('line1\nline2'))).toBe('"line1\\nline2"');
    expect(bytesText(null)).toBe('null');
  });
});
