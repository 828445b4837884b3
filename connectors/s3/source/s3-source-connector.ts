/**
 * The S3 source connector (backup-and-restore mode): finds the backed-up topic folders under
 * topics.dir (or takes `topics`), and splits them round-robin over at most tasks.max tasks;
 * each folder is restored by exactly one task. It lists the bucket again every
 * s3.poll.interval.ms and asks for new task configs when topic folders appear.
 *
 * Exactly-once (KIP-618): SUPPORTED with any config, since a source offset names one record of
 * one object (partition-restore.ts) and a restarted task resumes right after it; the tasks
 * never end transactions themselves (UNSUPPORTED for transaction.boundary=connector).
 */
import {
  ConnectorTransactionBoundaries, ExactlyOnceSupport, type Connector, type ConnectorContext, type RawConfig,
} from '../../sdk/connector.js';
import { ConnectError } from '../../sdk/errors.js';
import { S3Store } from '../storage/s3-store.js';
import { layoutOf, storeSettingsOf } from '../storage/s3-store-settings.js';
import { listTopics } from './backup-index.js';
import { s3SourceSpec, TASK_TOPICS_KEY, type S3SourceConfig } from './s3-source-config.js';

export class S3SourceConnector implements Connector {
  #raw: RawConfig | null = null;
  #config: S3SourceConfig | null = null;
  #store: S3Store | null = null;
  #topics: string[] = [];
  #timer: NodeJS.Timeout | undefined;

  async start(raw: RawConfig, context: ConnectorContext): Promise<void> {
    const config = s3SourceSpec.parse(raw);
    this.#raw = { ...raw };
    this.#config = config;
    this.#store = await S3Store.open(storeSettingsOf(config), context.logger);
    this.#topics = await this.#findTopics();
    if (config.topics.length === 0) {
      this.#timer = setInterval(() => {
        this.#findTopics().then((topics) => {
          if (topics.join(',') === this.#topics.join(',')) return;
          this.#topics = topics;
          context.requestTaskReconfiguration();
        }, (err: unknown) => context.logger.warn({ err: (err as Error).message }, 'Listing the backed-up topics failed; trying again later'));
      }, config.s3PollIntervalMs);
      this.#timer.unref();
    }
  }

  taskConfigs(maxTasks: number): RawConfig[] {
    const raw = this.#raw;
    if (raw === null) throw new ConnectError('The S3 source connector was asked for task configs before it started');
    const count = Math.max(1, Math.min(maxTasks, this.#topics.length));
    const shares: string[][] = Array.from({ length: count }, () => []);
    this.#topics.forEach((topic, i) => shares[i % count]!.push(topic));
    return shares.map((topics) => ({ ...raw, [TASK_TOPICS_KEY]: topics.join(',') }));
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#store?.destroy();
    this.#store = null;
    this.#raw = null;
  }

  exactlyOnceSupport(_config: RawConfig): ExactlyOnceSupport {
    return ExactlyOnceSupport.SUPPORTED;
  }

  canDefineTransactionBoundaries(_config: RawConfig): ConnectorTransactionBoundaries {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }

  async #findTopics(): Promise<string[]> {
    const config = this.#config!;
    if (config.topics.length > 0) return [...config.topics].sort();
    return (await listTopics(this.#store!, layoutOf(config))).sort();
  }
}
