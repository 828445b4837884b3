/**
 * Keeps one herder's Mirror connectors as the dedicated-mode file says: each planned connector
 * stored with exactly the planned config, and no other Mirror connector (a flow the file no
 * longer enables loses its source and checkpoint connectors). Connectors of other names are
 * left alone.
 *
 * Only the group leader writes (leader-writes.ts), so several nodes started with the same file
 * never fight, and with different files the leader's wins. A node compares its own view of the
 * config topic with the plan and asks for a write only when they differ. The check runs once
 * the worker has joined its group and again every `intervalMs`, which also covers leadership
 * moving to this node and connectors removed by hand.
 */
import type { Logger } from 'pino';
import type { ConnectorPlan } from '../../connectors/mirror/dedicated/mirror-maker-config.js';
import { MIRROR_CONNECTOR_CLASSES } from '../../connectors/mirror/dedicated/mirror-maker-config.js';
import type { ClusterControl } from '../../runtime/control/cluster-control.js';
import type { LeaderWrites } from './leader-writes.js';

export interface HerderConnectorSyncOptions {
  /** The herder's worker, for reading what its config topic holds. */
  readonly control: Pick<ClusterControl, 'listConnectors' | 'connectorConfig'>;
  readonly writes: LeaderWrites;
  readonly connectors: readonly ConnectorPlan[];
  readonly logger: Logger;
  /** Default 5 s. */
  readonly intervalMs?: number;
}

export interface SyncOutcome {
  /** Connectors this node wrote (as leader) in this pass. */
  readonly written: string[];
  readonly deleted: string[];
  /** Differences left because this node does not lead the group now. */
  readonly leftToLeader: string[];
}

const MIRROR_NAMES = new Set(Object.keys(MIRROR_CONNECTOR_CLASSES));

export class HerderConnectorSync {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(private readonly opts: HerderConnectorSyncOptions) {}

  /** Checks now, then every interval, until stop(). */
  start(): void {
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass: write what differs, delete Mirror connectors the plan does not have (leader only). */
  async syncOnce(): Promise<SyncOutcome> {
    const { control, writes, connectors } = this.opts;
    const outcome: SyncOutcome = { written: [], deleted: [], leftToLeader: [] };
    const stored = new Set(await control.listConnectors());
    for (const { name, config } of connectors) {
      const current = stored.has(name) ? await control.connectorConfig(name).catch(() => undefined) : undefined;
      if (current && sameConfig(current, config)) continue;
      const result = await writes.putConnectorConfig(name, config);
      (result === 'written' ? outcome.written : outcome.leftToLeader).push(name);
    }
    const planned = new Set<string>(connectors.map((c) => c.name));
    for (const name of stored) {
      if (!MIRROR_NAMES.has(name) || planned.has(name)) continue;
      const result = await writes.deleteConnector(name);
      (result === 'written' ? outcome.deleted : outcome.leftToLeader).push(name);
    }
    return outcome;
  }

  #tick(): void {
    if (this.#stopped) return;
    const pass = this.syncOnce().then(
      (outcome) => {
        const { logger } = this.opts;
        for (const name of outcome.written) logger.info({ connector: name }, 'wrote the connector config from the MirrorMaker file');
        for (const name of outcome.deleted) logger.info({ connector: name }, 'deleted a Mirror connector the MirrorMaker file no longer runs');
        if (outcome.leftToLeader.length > 0) logger.debug({ connectors: outcome.leftToLeader }, 'connector configs differ; the group leader writes them');
      },
      (err: unknown) => this.opts.logger.warn({ err }, 'could not check the connector configs; trying again'),
    );
    this.#running = pass;
    void pass.then(() => {
      if (!this.#stopped) this.#timer = setTimeout(() => this.#tick(), this.opts.intervalMs ?? 5_000);
    });
  }
}

function sameConfig(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
