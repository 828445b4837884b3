/** A connector, task or holistic state as a coloured badge whose text is the state itself. */
export function StateBadge({ state, title }: { state: string; title?: string }) {
  const tone = toneOf(state);
  return <span class={`badge badge-${tone}`} title={title}>{state}</span>;
}

export type Tone = 'ok' | 'warn' | 'bad' | 'paused' | 'neutral';

export function toneOf(state: string): Tone {
  switch (state.toUpperCase()) {
    case 'RUNNING':
    case 'HEALTHY':
      return 'ok';
    case 'DEGRADED':
    case 'RESTARTING':
    case 'UNASSIGNED':
      return 'warn';
    case 'FAILED':
    case 'UNHEALTHY':
      return 'bad';
    case 'PAUSED':
    case 'STOPPED':
      return 'paused';
    default:
      return 'neutral';
  }
}
