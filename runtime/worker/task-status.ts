/**
 * Observed states of connector and task instances (Kafka Connect's AbstractStatus.State),
 * and the listener runners report them to. The worker turns reports into status-topic writes.
 */
export type InstanceStatus = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

export interface StatusReport {
  readonly state: InstanceStatus;
  /** A Java-style stack trace text for FAILED, else null. */
  readonly trace: string | null;
}

export type StatusListener = (report: StatusReport) => void;

/** `Name: message` followed by the stack frames, the way Kafka Connect shows traces. */
export function traceOf(error: unknown): string {
  if (error instanceof Error) {
    const lines = [error.stack ?? `${error.name}: ${error.message}`];
    let cause = error.cause;
    while (cause instanceof Error) {
      lines.push(`Caused by: ${cause.stack ?? `${cause.name}: ${cause.message}`}`);
      cause = cause.cause;
    }
    return lines.join('\n');
  }
  return String(error);
}
