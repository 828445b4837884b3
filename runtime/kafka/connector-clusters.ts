/**
 * KafkaClusters (connectors/sdk/kafka-clusters.ts) as the runtime hands it to one connector
 * or task: every ClusterClient opened through it is remembered until it is closed, and
 * closeAll() closes what the connector or task left open when it stops. After closeAll(),
 * connect() throws, so a stopped instance's stray timers cannot open clients nobody closes.
 *
 * Clients log through a child of the worker's Kafka logger naming the owner (connector, and
 * task for tasks) and the client id the connector chose.
 */
import type { Logger } from 'pino';
import type { ClientProperties, ClusterClient, KafkaClusters } from '../../connectors/sdk/kafka-clusters.js';
import { WireClusterClient } from './wire-cluster-client.js';

/** KafkaClusters whose clients its owner can close all at once. */
export interface OwnedKafkaClusters extends KafkaClusters {
  /** Closes every client opened here and not closed yet; connect() throws from then on. */
  closeAll(): Promise<void>;
}

export interface ClustersOwner {
  readonly connector: string;
  /** Absent for the connector itself. */
  readonly task?: number;
}

/** Makes the KafkaClusters of one connector or task. */
export type KafkaClustersFactory = (owner: ClustersOwner) => OwnedKafkaClusters;

export class ConnectorClusters implements OwnedKafkaClusters {
  readonly #logger: Logger;
  readonly #open = new Set<ClusterClient>();
  #closed = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  connect(properties: ClientProperties, options: { readonly clientId: string }): ClusterClient {
    if (this.#closed) throw new Error('the connector or task that owned these Kafka clients has stopped');
    const client: ClusterClient = new WireClusterClient(properties, options.clientId, this.#logger.child({ clientId: options.clientId }),
      () => this.#open.delete(client));
    this.#open.add(client);
    return client;
  }

  async closeAll(): Promise<void> {
    this.#closed = true;
    const open = [...this.#open];
    this.#open.clear();
    await Promise.allSettled(open.map((c) => c.close()));
  }
}

export function kafkaClustersFactory(logger: Logger): KafkaClustersFactory {
  return (owner) => new ConnectorClusters(logger.child(owner.task === undefined ? { connector: owner.connector } : { ...owner }));
}
