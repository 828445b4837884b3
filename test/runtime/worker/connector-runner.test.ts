import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Connector, ConnectorContext } from '../../../connectors/sdk/connector.js';
import type { ClusterClient } from '../../../connectors/sdk/kafka-clusters.js';
import { fileStreamSourcePlugin } from '../../../connectors/file/file-source-plugin.js';
import { ConnectorClusters } from '../../../runtime/kafka/connector-clusters.js';
import { ConnectorRunner } from '../../../runtime/worker/connector-runner.js';
import type { StatusReport } from '../../../runtime/worker/task-status.js';

const logger = pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' });

/** A connector that opens a client for another cluster in start and never closes it. */
function leakyConnector(opened: { client?: ClusterClient; context?: ConnectorContext }, failStart = false): Connector {
  return {
    start(_config, context) {
      opened.context = context;
      opened.client = context.kafka.connect({ 'bootstrap.servers': '127.0.0.1:1' }, { clientId: 'leaky' });
      opened.client.reader();
      if (failStart) throw new Error('start failed after opening a client');
    },
    taskConfigs: () => [],
    stop() {},
  };
}

function runner(connector: Connector, statuses: StatusReport[]): ConnectorRunner {
  const config = { name: 'leaky', 'connector.class': 'Leaky' };
  return new ConnectorRunner({
    name: 'leaky',
    plugin: { ...fileStreamSourcePlugin, createConnector: () => connector },
    config,
    rawConfig: config,
    logger,
    clusters: new ConnectorClusters(logger),
    onStatus: (report) => statuses.push(report),
    onReconfigurationRequest: () => {},
  });
}

describe('ConnectorRunner', () => {
  it.each([
    { name: 'a running connector', failStart: false, states: ['RUNNING'] },
    { name: 'a connector that failed to start', failStart: true, states: ['FAILED'] },
  ])('closes the Kafka cluster clients $name left open when it stops', async ({ failStart, states }) => {
    const opened: { client?: ClusterClient; context?: ConnectorContext } = {};
    const statuses: StatusReport[] = [];
    const connectorRunner = runner(leakyConnector(opened, failStart), statuses);
    await connectorRunner.start(false);
    expect(statuses.map((s) => s.state)).toEqual(states);
    expect(() => opened.client!.producer()).not.toThrow();
    await connectorRunner.stop();
    expect(() => opened.client!.producer()).toThrow(/closed/);
    expect(() => opened.context!.kafka.connect({ 'bootstrap.servers': '127.0.0.1:1' }, { clientId: 'late' })).toThrow(/stopped/);
  });
});
