/**
 * ferry's defaults for the group settings of distributed mode, chosen for fast failover: a
 * crashed worker's connectors and tasks should run elsewhere within 5 s. Kafka Connect's
 * defaults (session 10000, heartbeat 3000, scheduled delay 300000) favour rolling restarts and
 * take 10 s to 5 min.
 *
 * Failover budget after a crash (SIGKILL), with these defaults:
 *   ≤ session.timeout.ms (3000)     the coordinator drops the silent member (its last heartbeat
 *                                   was ≤ heartbeat.interval.ms before the crash, so often less)
 *   ≤ heartbeat.interval.ms (1000)  the others learn of the rebalance from a heartbeat
 *   + one join/sync round (~10 ms)  the leader hands the work out at once
 *                                   (scheduled.rebalance.max.delay.ms = 0)
 *   ≈ 4 s plus task start-up.
 *
 * The coordinator must accept a 3000 ms session: Kafka's group.min.session.timeout.ms defaults
 * to 6000. GroupMembership therefore retries with SESSION_TIMEOUT_FALLBACKS_MS when the
 * coordinator answers INVALID_SESSION_TIMEOUT, so the defaults also work against an unchanged
 * Kafka, where failover then takes about 7 s. Pass the fallbacks only when session.timeout.ms
 * was not set explicitly.
 *
 * scheduled.rebalance.max.delay.ms 0: a departed worker's work moves at once; a restarting
 * worker gets a share back through balancing when it rejoins (its tasks move twice instead of
 * waiting minutes). Zombie safety does not rely on the delay: a member that cannot reach the
 * coordinator stops its work before its session can expire (group-membership.ts).
 */
export const DISTRIBUTED_GROUP_DEFAULTS = {
  'session.timeout.ms': 3000,
  'heartbeat.interval.ms': 1000,
  'rebalance.timeout.ms': 60_000,
  'scheduled.rebalance.max.delay.ms': 0,
} as const;

/** Tried in order when the coordinator rejects the default session timeout. */
export const SESSION_TIMEOUT_FALLBACKS_MS: readonly number[] = [6000, 10_000];
