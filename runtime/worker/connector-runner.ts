/**
 * Runs one connector instance (Kafka's WorkerConnector): starts it with its config, asks it
 * for task configs, and reports RUNNING / PAUSED / FAILED. A connector's failure, in start,
 * taskConfigs or raised from the background, becomes FAILED with its trace; it never throws
 * into the caller's loop.
 *
 * The connector's clients for other clusters (ConnectorContext.kafka) that it left open are
 * closed when it stops.
 *
 * Not safe for concurrent use: the worker calls it from its serialised command queue.
 */
import type { Connector, ConnectorContext, RawConfig } from '../../connectors/sdk/connector.js';
import type { ConnectorPlugin } from '../../connectors/sdk/plugin.js';
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import type { OwnedKafkaClusters } from '../kafka/connector-clusters.js';
import { traceOf, type StatusListener } from './task-status.js';

export interface ConnectorRunnerOptions {
  name: string;
  plugin: ConnectorPlugin;
  /** The config the connector runs with (placeholders resolved). */
  config: RawConfig;
  /** The config as stored; a change to it restarts the connector. */
  rawConfig: RawConfig;
  logger: TaskLogger;
  /** ConnectorContext.kafka; closed when the connector stops. */
  clusters: OwnedKafkaClusters;
  onStatus: StatusListener;
  /** The connector asked for its task configs to be recomputed. */
  onReconfigurationRequest: () => void;
}

export class ConnectorRunner {
  private connector: Connector | undefined;
  private failed = false;
  private paused = false;

  constructor(private readonly opts: ConnectorRunnerOptions) {}

  get name(): string {
    return this.opts.name;
  }

  /** The stored config (with placeholders) this runner was started from. */
  get config(): RawConfig {
    return this.opts.rawConfig;
  }

  get isFailed(): boolean {
    return this.failed;
  }

  async start(paused: boolean): Promise<void> {
    const context: ConnectorContext = {
      requestTaskReconfiguration: () => this.opts.onReconfigurationRequest(),
      raiseError: (error) => this.fail(error),
      logger: this.opts.logger,
      kafka: this.opts.clusters,
    };
    try {
      this.connector = this.opts.plugin.createConnector();
      await this.connector.start(this.opts.config, context);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.paused = paused;
    this.opts.onStatus({ state: paused ? 'PAUSED' : 'RUNNING', trace: null });
  }

  pause(): void {
    if (this.failed || this.paused) return;
    this.paused = true;
    this.opts.onStatus({ state: 'PAUSED', trace: null });
  }

  resume(): void {
    if (this.failed || !this.paused) return;
    this.paused = false;
    this.opts.onStatus({ state: 'RUNNING', trace: null });
  }

  /**
   * Task configs as Kafka Connect stores them: the connector's maps plus `task.class`, and for
   * sinks the connector's `topics` / `topics.regex`. Undefined when the connector failed.
   */
  async taskConfigs(maxTasks: number): Promise<RawConfig[] | undefined> {
    if (!this.connector || this.failed) return undefined;
    try {
      const configs = await this.connector.taskConfigs(maxTasks);
      if (configs.length > maxTasks) {
        throw new Error(`The connector ${this.name} has generated ${configs.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create.`);
      }
      return configs.map((c) => {
        const out: Record<string, string> = { ...c, 'task.class': this.opts.plugin.taskClassName };
        if (this.opts.plugin.kind === 'sink') {
          for (const key of ['topics', 'topics.regex']) {
            const value = this.opts.rawConfig[key];
            if (value !== undefined) out[key] = value;
          }
        }
        return out;
      });
    } catch (err) {
      this.fail(err);
      return undefined;
    }
  }

  async stop(): Promise<void> {
    const connector = this.connector;
    this.connector = undefined;
    if (connector) {
      try {
        await connector.stop();
      } catch (err) {
        this.opts.logger.warn({ err, connector: this.name }, 'connector failed to stop cleanly');
      }
    }
    await this.opts.clusters.closeAll();
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.opts.logger.error({ err: error, connector: this.name }, 'connector failed');
    this.opts.onStatus({ state: 'FAILED', trace: traceOf(error) });
  }
}
