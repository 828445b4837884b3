import { describe, expect, it } from 'vitest';
import { fileStreamSinkPlugin } from '../../../connectors/file/file-sink-plugin.js';
import { fileStreamSourcePlugin } from '../../../connectors/file/file-source-plugin.js';
import { noKafkaClusters } from '../../helpers/no-kafka-clusters.js';
import { recordingLogger } from './fake-contexts.js';

const connectorContext = { requestTaskReconfiguration: () => {}, raiseError: () => {}, logger: recordingLogger(), kafka: noKafkaClusters };

describe('file connector plugins', () => {
  it('answer to Kafka\'s FileStream class names and short aliases', () => {
    expect(fileStreamSourcePlugin).toMatchObject({
      className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      aliases: ['FileStreamSource', 'FileStreamSourceConnector'],
      kind: 'source',
      version: '0.1.0',
      taskClassName: 'org.apache.kafka.connect.file.FileStreamSourceTask',
    });
    expect(fileStreamSinkPlugin).toMatchObject({
      className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      aliases: ['FileStreamSink', 'FileStreamSinkConnector'],
      kind: 'sink',
      version: '0.1.0',
      taskClassName: 'org.apache.kafka.connect.file.FileStreamSinkTask',
    });
  });

  it('default the source keys as Kafka does and require a non-empty topic', () => {
    expect(fileStreamSourcePlugin.configSpec.parse({ topic: 't' })).toEqual({
      file: null, topic: 't', batchSize: 2000,
      fileStart: 'beginning', fileFormat: 'lines', filePollIntervalMs: 1000, fileEncoding: 'utf8',
    });
    const issues = fileStreamSourcePlugin.configSpec.validate({ topic: '', 'file.start': 'middle' }).issues;
    expect(issues.map((i) => i.name)).toEqual(['topic', 'file.start']);
    expect(fileStreamSourcePlugin.configSpec.validate({}).issues.map((i) => i.name)).toEqual(['topic']);
  });

  it('default the sink to standard output in the lines format', () => {
    expect(fileStreamSinkPlugin.configSpec.parse({})).toEqual({ file: null, fileFormat: 'lines' });
  });

  it('run the source as a single task whatever tasks.max says', async () => {
    const connector = fileStreamSourcePlugin.createConnector();
    const config = { name: 'src', 'connector.class': 'FileStreamSource', 'tasks.max': '4', file: '/tmp/x', topic: 't' };
    await connector.start(config, connectorContext);
    expect(await connector.taskConfigs(4)).toEqual([config]);
    await connector.stop();
  });

  it('give the sink tasks.max identical task configs', async () => {
    const connector = fileStreamSinkPlugin.createConnector();
    const config = { name: 'snk', 'connector.class': 'FileStreamSink', topics: 't', file: '/tmp/y' };
    await connector.start(config, connectorContext);
    expect(await connector.taskConfigs(3)).toEqual([config, config, config]);
    await connector.stop();
  });

  it('refuse to start a source connector without a topic', () => {
    const connector = fileStreamSourcePlugin.createConnector();
    expect(() => connector.start({ file: '/tmp/x' }, connectorContext)).toThrow(/topic/);
  });
});
