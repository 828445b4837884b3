/**
 * ferry/testing: the conformance kit for connectors. It runs a connector inside a real ferry
 * worker (a `ferry start` child process from the ferry this kit ships with, its bundled broker,
 * the plugin on plugin.path) and checks the connector contract. Framework-neutral: every
 * check throws an AssertionError (ConformanceError) with a message naming the check, so it
 * works under vitest, node:test or a plain script.
 *
 *   const report = await runConformance({ pluginDir, connectorClass, config, source: { topic, feed } });
 *
 * The finer helpers (startWorkerWithPlugin, ConnectRestClient, waitForState, TopicIo) let a
 * test drive the worker itself.
 */
export {
  runConformance,
  type CheckResult,
  type ConformanceOptions,
  type ConformanceReport,
  type FailureCase,
  type InvalidConfigCase,
  type SinkUnderTest,
  type SourceUnderTest,
} from './conformance.js';
export { ConformanceError } from './conformance-error.js';
export {
  ConnectRestClient,
  type ConfigValueInfo,
  type ConnectorOffsets,
  type ConnectorState,
  type ConnectorStatus,
  type PluginInfo,
  type RestAnswer,
  type StateInfo,
  type ValidationResult,
} from './connect-rest-client.js';
export { describeStatus, waitForAbsent, waitForFailure, waitForState } from './connector-state.js';
export { ferryCliPath } from './ferry-cli.js';
export { TopicIo, type TopicRecord } from './topic-io.js';
export { waitFor, type WaitOptions } from './wait-for.js';
export { startWorkerWithPlugin, type FerryWorker, type WorkerOptions } from './worker-process.js';
