/**
 * MirrorHeartbeatTask: one heartbeat record into the target's `heartbeats` topic at start and
 * every `emit.heartbeats.interval.seconds` after (on a fixed schedule, so slow polls do not make
 * it drift). Replicated onward, heartbeats show which clusters a flow passes and that it is alive.
 *
 * Record: key/value are the Heartbeat bytes (OPTIONAL_BYTES schemas; the worker must use
 * ByteArrayConverter), partition 0, timestamp the emit time; source partition
 * {sourceClusterAlias, targetClusterAlias}, source offset {offset: 0}.
 */
import type { ConnectHeader, SourcePartition, SourceRecord } from '../../sdk/connect-record.js';
import type { RawConfig } from '../../sdk/connector.js';
import { Schema } from '../../sdk/data/schema.js';
import type { SourceTask, SourceTaskContext } from '../../sdk/source-task.js';
import { sleep } from '../background-jobs.js';
import { mirrorHeartbeatSettings, type MirrorHeartbeatSettings } from '../config/mirror-heartbeat-config.js';
import { encodeHeartbeat } from '../records/heartbeat.js';

const BYTES = Schema.OPTIONAL_BYTES_SCHEMA;
const NO_HEADERS: readonly ConnectHeader[] = Object.freeze([]);
const HEARTBEAT_OFFSET = Object.freeze({ offset: 0 });
/** The longest one poll waits for the next heartbeat. */
const MAX_POLL_WAIT_MS = 1_000;

export class MirrorHeartbeatTask implements SourceTask {
  #settings: MirrorHeartbeatSettings | undefined;
  #partition: SourcePartition = Object.freeze({});
  #due = 0;
  readonly #stopping = new AbortController();

  start(config: RawConfig, context: SourceTaskContext): void {
    const settings = mirrorHeartbeatSettings(config);
    this.#settings = settings;
    this.#partition = Object.freeze({ sourceClusterAlias: settings.sourceClusterAlias, targetClusterAlias: settings.targetClusterAlias });
    this.#due = Date.now();
    context.logger.info(`Emitting heartbeats from ${settings.sourceClusterAlias} to ${settings.targetClusterAlias} every ${settings.emitHeartbeatsIntervalMs} ms`);
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const settings = this.#settings;
    if (settings === undefined || !settings.emitHeartbeatsEnabled) return [];
    const wait = this.#due - Date.now();
    if (wait > 0) {
      await sleep(Math.min(wait, MAX_POLL_WAIT_MS), AbortSignal.any([signal, this.#stopping.signal]));
      if (Date.now() < this.#due) return [];
    }
    const now = Date.now();
    const interval = settings.emitHeartbeatsIntervalMs;
    // Fixed schedule; after a stall, the next one an interval from now rather than a burst.
    this.#due = this.#due + interval > now ? this.#due + interval : now + interval;
    const { key, value } = encodeHeartbeat({ sourceClusterAlias: settings.sourceClusterAlias, targetClusterAlias: settings.targetClusterAlias, timestamp: now });
    return [{
      topic: settings.heartbeatsTopic,
      kafkaPartition: 0,
      keySchema: BYTES,
      key,
      valueSchema: BYTES,
      value,
      timestamp: now,
      headers: NO_HEADERS,
      sourcePartition: this.#partition,
      sourceOffset: HEARTBEAT_OFFSET,
    }];
  }

  stop(): void {
    this.#stopping.abort();
  }
}
