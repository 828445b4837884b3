/**
 * Error codes of the transaction APIs as each request version may receive them (exactly-once
 * reference §2.5–2.9): PRODUCER_FENCED (90) exists only from InitProducerId v4 and
 * AddPartitionsToTxn/AddOffsetsToTxn/EndTxn v2; older versions get INVALID_PRODUCER_EPOCH (47).
 */
import { ERR } from '../../protocol/error-codes.js';

export function forVersion(errorCode: number, version: number, fencedSince: number): number {
  return errorCode === ERR.PRODUCER_FENCED && version < fencedSince ? ERR.INVALID_PRODUCER_EPOCH : errorCode;
}
