/** Connector and task contexts for mirror unit tests: fake clusters as `kafka`, recorded logs, reconfiguration requests and raised errors. */
import type { ConnectorContext } from '../../../../connectors/sdk/connector.js';
import type { KafkaClusters } from '../../../../connectors/sdk/kafka-clusters.js';
import type { SourceTask, SourceTaskContext } from '../../../../connectors/sdk/source-task.js';
import type { SourceRecord } from '../../../../connectors/sdk/connect-record.js';
import { recordingLogger } from '../../file/fake-contexts.js';
import { FakeCluster, FakeKafka } from './fake-clusters.js';

export function taskContext(kafka: KafkaClusters): SourceTaskContext & { kafka: KafkaClusters; logger: ReturnType<typeof recordingLogger> } {
  return { kafka, logger: recordingLogger(), offsets: { offsets: async () => new Map() } };
}

export function connectorContext(kafka: KafkaClusters): ConnectorContext & {
  kafka: KafkaClusters; logger: ReturnType<typeof recordingLogger>; reconfigurations: number; errors: Error[];
} {
  const context = {
    kafka,
    logger: recordingLogger(),
    reconfigurations: 0,
    errors: [] as Error[],
    requestTaskReconfiguration: () => { context.reconfigurations++; },
    raiseError: (error: Error) => { context.errors.push(error); },
  };
  return context;
}

/** Polls until `accept` says the records polled so far are enough (or the deadline passes). */
export async function pollUntil(task: SourceTask, accept: (all: SourceRecord[]) => boolean, timeoutMs = 10_000): Promise<SourceRecord[]> {
  const all: SourceRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  const signal = new AbortController().signal;
  while (!accept(all)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${all.length} records`);
    all.push(...await task.poll(signal));
  }
  return all;
}

/** Everything the task returns from polls during `ms` (to show that nothing more is emitted). */
export async function pollFor(task: SourceTask, ms: number): Promise<SourceRecord[]> {
  const all: SourceRecord[] = [];
  const deadline = Date.now() + ms;
  const signal = new AbortController().signal;
  while (Date.now() < deadline) all.push(...await task.poll(signal));
  return all;
}

/** Source cluster A at a:9092 and target B at b:9092, and a mirror connector config between them. */
export function twoRegions(extra: Record<string, string> = {}) {
  const a = new FakeCluster('a:9092');
  const b = new FakeCluster('b:9092');
  const kafka = new FakeKafka(a, b);
  const config: Record<string, string> = {
    'source.cluster.alias': 'A', 'target.cluster.alias': 'B',
    'source.cluster.bootstrap.servers': 'a:9092', 'target.cluster.bootstrap.servers': 'b:9092', ...extra,
  };
  return { a, b, kafka, config };
}
