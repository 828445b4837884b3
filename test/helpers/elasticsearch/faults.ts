/**
 * Fault injection, shaped as Elasticsearch answers under load:
 * - a whole bulk refused with 429 `es_rejected_execution_exception` (write thread pool queue full or
 *   indexing pressure: https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules-indexing-pressure.html),
 *   503 (`cluster_block_exception`, no master / state not recovered) or 500;
 * - single bulk items rejected with 429 inside an otherwise successful answer (`errors: true`);
 * - a delay before every answer.
 */
import { EsError } from './errors.js';

function wholeRequestError(status: number): EsError {
  if (status === 429) {
    return new EsError(429, 'es_rejected_execution_exception',
      'rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1024, max_coordinating_and_primary_bytes=0]');
  }
  if (status === 503) {
    return new EsError(503, 'cluster_block_exception', 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];');
  }
  if (status === 500) return new EsError(500, 'exception', 'injected internal server error');
  return new EsError(status, 'exception', `injected failure with status ${status}`);
}

export function itemRejection(): EsError {
  return new EsError(429, 'es_rejected_execution_exception',
    'rejected execution of org.elasticsearch.action.bulk.TransportShardBulkAction on EsThreadPoolExecutor[name = ferry-test-node/write, queue capacity = 10000, active threads = 2, queued tasks = 10000, completed tasks = 0]');
}

export class Faults {
  private bulkFailures: { status: number; remaining: number } | undefined;
  private itemRejections = 0;
  latencyMs = 0;

  failNextBulks(status: number, count: number): void {
    this.bulkFailures = count > 0 ? { status, remaining: count } : undefined;
  }

  rejectNextItems(count: number): void {
    this.itemRejections = Math.max(0, count);
  }

  /** The error the next bulk request answers with as a whole, if one is due. */
  takeBulkFailure(): EsError | undefined {
    const failure = this.bulkFailures;
    if (failure === undefined) return undefined;
    failure.remaining--;
    if (failure.remaining <= 0) this.bulkFailures = undefined;
    return wholeRequestError(failure.status);
  }

  /** True when the next item is to be rejected. */
  takeItemRejection(): boolean {
    if (this.itemRejections <= 0) return false;
    this.itemRejections--;
    return true;
  }
}
