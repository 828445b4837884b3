/** The one list of APIs this broker serves; ApiVersions advertises exactly these. */
import type { ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { apiVersionsHandler } from './api-versions-handler.js';
import { metadataHandler } from './metadata-handler.js';
import { produceHandler } from './produce-handler.js';
import { fetchHandler } from './fetch-handler.js';
import { listOffsetsHandler } from './list-offsets-handler.js';
import { findCoordinatorHandler } from './find-coordinator-handler.js';
import { joinGroupHandler } from './join-group-handler.js';
import { syncGroupHandler } from './sync-group-handler.js';
import { heartbeatHandler } from './heartbeat-handler.js';
import { leaveGroupHandler } from './leave-group-handler.js';
import { offsetCommitHandler } from './offset-commit-handler.js';
import { offsetFetchHandler } from './offset-fetch-handler.js';
import { describeGroupsHandler } from './describe-groups-handler.js';
import { listGroupsHandler } from './list-groups-handler.js';
import { deleteGroupsHandler } from './delete-groups-handler.js';
import { offsetDeleteHandler } from './offset-delete-handler.js';
import { createTopicsHandler } from './create-topics-handler.js';
import { deleteTopicsHandler } from './delete-topics-handler.js';
import { createPartitionsHandler } from './create-partitions-handler.js';
import { describeConfigsHandler } from './describe-configs-handler.js';
import { alterConfigsHandler, incrementalAlterConfigsHandler } from './alter-configs-handler.js';
import { deleteRecordsHandler } from './delete-records-handler.js';
import { initProducerIdHandler } from './init-producer-id-handler.js';
import { describeClusterHandler } from './describe-cluster-handler.js';
import { addPartitionsToTxnHandler } from './add-partitions-to-txn-handler.js';
import { addOffsetsToTxnHandler } from './add-offsets-to-txn-handler.js';
import { endTxnHandler } from './end-txn-handler.js';
import { txnOffsetCommitHandler } from './txn-offset-commit-handler.js';
import { describeTransactionsHandler } from './describe-transactions-handler.js';
import { listTransactionsHandler } from './list-transactions-handler.js';
import { describeProducersHandler } from './describe-producers-handler.js';

export function buildHandlers(ctx: BrokerContext, served: () => Iterable<ApiHandler>): ApiHandler[] {
  return [
    apiVersionsHandler(served),
    metadataHandler(ctx),
    produceHandler(ctx),
    fetchHandler(ctx),
    listOffsetsHandler(ctx),
    findCoordinatorHandler(ctx),
    joinGroupHandler(ctx),
    syncGroupHandler(ctx),
    heartbeatHandler(ctx),
    leaveGroupHandler(ctx),
    offsetCommitHandler(ctx),
    offsetFetchHandler(ctx),
    describeGroupsHandler(ctx),
    listGroupsHandler(ctx),
    deleteGroupsHandler(ctx),
    offsetDeleteHandler(ctx),
    createTopicsHandler(ctx),
    deleteTopicsHandler(ctx),
    createPartitionsHandler(ctx),
    describeConfigsHandler(ctx),
    alterConfigsHandler(ctx),
    incrementalAlterConfigsHandler(ctx),
    deleteRecordsHandler(ctx),
    initProducerIdHandler(ctx),
    addPartitionsToTxnHandler(ctx),
    addOffsetsToTxnHandler(ctx),
    endTxnHandler(ctx),
    txnOffsetCommitHandler(ctx),
    describeClusterHandler(ctx),
    describeProducersHandler(ctx),
    describeTransactionsHandler(ctx),
    listTransactionsHandler(ctx),
  ];
}
