/**
 * Workers started in-process (startWorker) on one bundled broker, each with its log kept as text
 * so a test can look for what the worker said, for the distributed tests that play a Java
 * worker's part on the wire. Every worker of a group shares that group's internal topics (one
 * partition each). The caller stops them with `stopAll`.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startWorker, type RunningWorker } from '../../../cli/worker/start-worker.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { groupWorkerProperties } from '../../helpers/group-worker-properties.js';

export const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';

export interface LoggedWorker {
  readonly worker: RunningWorker;
  readonly rest: ConnectRest;
  log(): string;
}

export class LoggedWorkers {
  readonly #running: RunningWorker[] = [];

  constructor(private readonly bootstrap: () => string) {}

  async start(group: string, extra: Record<string, string> = {}): Promise<LoggedWorker> {
    let text = '';
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => { text += chunk.toString(); done(); } }));
    const worker = await startWorker({
      ...groupWorkerProperties(this.bootstrap(), group),
      'offset.storage.partitions': '1',
      'status.storage.partitions': '1',
      'key.converter': STRING_CONVERTER,
      'value.converter': STRING_CONVERTER,
      ...extra,
    }, { logger });
    this.#running.push(worker);
    return { worker, rest: new ConnectRest(worker.restUrl), log: () => text };
  }

  /** Stops every worker started here, the last started first. */
  async stopAll(): Promise<void> {
    for (const worker of this.#running.splice(0).reverse()) await worker.stop();
  }
}
