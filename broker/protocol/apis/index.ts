/**
 * Every API the broker declares, by key. Declared is not the same as advertised: SaslHandshake
 * and SaslAuthenticate are here for later, and Produce advertises below what it serves
 * (`advertisedMin`). The ApiVersions handler decides what to list.
 */
import type { ApiDefinition, Fields } from '../schema.js';
import { AddOffsetsToTxn } from './add-offsets-to-txn.js';
import { AddPartitionsToTxn } from './add-partitions-to-txn.js';
import { AlterConfigs } from './alter-configs.js';
import { ApiVersions } from './api-versions.js';
import { CreatePartitions } from './create-partitions.js';
import { CreateTopics } from './create-topics.js';
import { DeleteGroups } from './delete-groups.js';
import { DeleteRecords } from './delete-records.js';
import { DeleteTopics } from './delete-topics.js';
import { DescribeCluster } from './describe-cluster.js';
import { DescribeConfigs } from './describe-configs.js';
import { DescribeGroups } from './describe-groups.js';
import { DescribeProducers } from './describe-producers.js';
import { DescribeTransactions } from './describe-transactions.js';
import { EndTxn } from './end-txn.js';
import { Fetch } from './fetch.js';
import { FindCoordinator } from './find-coordinator.js';
import { Heartbeat } from './heartbeat.js';
import { IncrementalAlterConfigs } from './incremental-alter-configs.js';
import { InitProducerId } from './init-producer-id.js';
import { JoinGroup } from './join-group.js';
import { LeaveGroup } from './leave-group.js';
import { ListGroups } from './list-groups.js';
import { ListOffsets } from './list-offsets.js';
import { ListTransactions } from './list-transactions.js';
import { Metadata } from './metadata.js';
import { OffsetCommit } from './offset-commit.js';
import { OffsetDelete } from './offset-delete.js';
import { OffsetFetch } from './offset-fetch.js';
import { Produce } from './produce.js';
import { SaslAuthenticate } from './sasl-authenticate.js';
import { SaslHandshake } from './sasl-handshake.js';
import { SyncGroup } from './sync-group.js';
import { TxnOffsetCommit } from './txn-offset-commit.js';

export {
  AddOffsetsToTxn, AddPartitionsToTxn, AlterConfigs, ApiVersions, CreatePartitions, CreateTopics, DeleteGroups,
  DeleteRecords, DeleteTopics, DescribeCluster, DescribeConfigs, DescribeGroups, DescribeProducers,
  DescribeTransactions, EndTxn, Fetch, FindCoordinator, Heartbeat, IncrementalAlterConfigs, InitProducerId, JoinGroup,
  LeaveGroup, ListGroups, ListOffsets, ListTransactions, Metadata, OffsetCommit, OffsetDelete, OffsetFetch, Produce, SaslAuthenticate, SaslHandshake,
  SyncGroup, TxnOffsetCommit,
};

export type AnyApi = ApiDefinition<Fields, Fields>;

/** Every declared API, ordered by key. */
export const ALL_APIS: readonly AnyApi[] = [
  Produce, Fetch, ListOffsets, Metadata, OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, Heartbeat,
  LeaveGroup, SyncGroup, DescribeGroups, ListGroups, SaslHandshake, ApiVersions, CreateTopics, DeleteTopics,
  DeleteRecords, InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit, DescribeConfigs,
  AlterConfigs, SaslAuthenticate, CreatePartitions, DeleteGroups, IncrementalAlterConfigs, OffsetDelete,
  DescribeCluster, DescribeProducers, DescribeTransactions, ListTransactions,
];

const byKey = new Map<number, AnyApi>(ALL_APIS.map((api) => [api.key, api]));

export function apiByKey(key: number): AnyApi | undefined {
  return byKey.get(key);
}
