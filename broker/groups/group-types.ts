/**
 * Domain request/result objects of the group coordinator. Field names follow Kafka's message
 * definitions (JoinGroupRequest.json etc.) so wire handlers map them one to one. Buffers passed
 * in are copied when the coordinator keeps them, so handlers may pass views of a frame.
 */

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinGroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** '' for a member joining for the first time. */
  memberId: string;
  /** v5+; null/undefined = dynamic member. */
  groupInstanceId?: string | null;
  protocolType: string;
  protocols: JoinGroupProtocol[];
  sessionTimeoutMs: number;
  /** v1+; v0 (undefined or negative) uses sessionTimeoutMs. */
  rebalanceTimeoutMs?: number;
  clientId: string;
  clientHost: string;
  reason?: string | null;
  /** JoinGroup API version: < 4 never gets MEMBER_ID_REQUIRED, >= 9 may get skipAssignment. */
  requestVersion: number;
}

export interface JoinGroupResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: number;
  /** -1 on error. */
  generationId: number;
  /** null on error (v7+ field; older versions do not carry it). */
  protocolType: string | null;
  /** null on error; write '' for versions where the field is not nullable (< 7). */
  protocolName: string | null;
  /** '' on error. */
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Filled only for the leader. */
  members: JoinGroupResponseMember[];
}

export interface SyncGroupAssignment {
  memberId: string;
  assignment: Buffer;
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  /** v5+; null/undefined = not checked. */
  protocolType?: string | null;
  protocolName?: string | null;
  assignments: SyncGroupAssignment[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
}

export interface HeartbeatResult {
  errorCode: number;
}

export interface LeaveGroupMemberIdentity {
  /** '' with a groupInstanceId = remove the static member by instance id (admin). */
  memberId: string;
  groupInstanceId?: string | null;
  reason?: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2: one entry built from the request's member_id. */
  members: LeaveGroupMemberIdentity[];
}

export interface LeaveGroupMemberResult {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}

export interface LeaveGroupResult {
  /** For v0-2 answer errorCode if non-zero, else members[0].errorCode. */
  errorCode: number;
  members: LeaveGroupMemberResult[];
}

export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: number;
  /** v6+; -1 = none. */
  committedLeaderEpoch?: number;
  committedMetadata?: string | null;
}

export interface OffsetCommitTopic {
  name: string;
  partitions: OffsetCommitPartition[];
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 = not a group member ("simple" commit); v0 has no generation: pass -1. */
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  topics: OffsetCommitTopic[];
}

export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  /** v3+; -1 = no generation (v0-2, assign() consumers). */
  generationId: number;
  /** v3+; '' = no member. */
  memberId: string;
  groupInstanceId?: string | null;
  topics: OffsetCommitTopic[];
}

export interface OffsetCommitResult {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export interface OffsetFetchRequest {
  groupId: string;
  /** null = every partition with a committed offset (v2+). */
  topics: { name: string; partitionIndexes: number[] }[] | null;
  requireStable?: boolean;
}

export interface OffsetFetchPartition {
  partitionIndex: number;
  /** -1 when nothing is committed. */
  committedOffset: number;
  /** -1 when unknown. */
  committedLeaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface OffsetFetchResult {
  /** Top-level error (v2+); v0-1 handlers copy it into every partition. */
  errorCode: number;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Empty unless the group is Stable. */
  memberMetadata: Buffer;
  /** Empty unless the group is Stable. */
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  /** Kafka's exact spelling; '' when errorCode is set. */
  groupState: GroupState | '';
  protocolType: string;
  /** The chosen protocol name when Stable, else ''. */
  protocolData: string;
  members: DescribedGroupMember[];
}

export interface ListGroupsFilter {
  /** v4+; case-insensitive; empty/undefined = all. */
  statesFilter?: string[];
  /** v5+; 'classic' matches every group here; empty/undefined = all. */
  typesFilter?: string[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupState;
  groupType: 'classic';
}

export interface ListGroupsResult {
  errorCode: number;
  groups: ListedGroup[];
}

export interface DeleteGroupResult {
  groupId: string;
  errorCode: number;
}
