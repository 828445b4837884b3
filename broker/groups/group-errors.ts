/** The Kafka error codes the group coordinator answers with: the protocol's one table. */
import { ERR } from '../protocol/error-codes.js';

export const GroupErrorCode = ERR;

export type GroupErrorCode = (typeof ERR)[keyof typeof ERR];
