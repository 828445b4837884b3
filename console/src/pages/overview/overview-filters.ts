/**
 * The overview's filters, kept in the URL's query (?q=&state=&type=) so a filtered list can be
 * linked, reloaded and left with the Back button. Pure functions.
 */
import { isFailing, type ConnectorSummary, type HolisticState } from '../../api/connector-summary.js';

/** A holistic state, or one of the two failure views the statistic cards link to. */
export type StateFilter = '' | 'failing' | 'failed-tasks' | HolisticState;

export interface OverviewFilters {
  q: string;
  state: StateFilter;
  type: '' | 'source' | 'sink';
}

export const STATE_FILTERS: { value: StateFilter; label: string }[] = [
  { value: '', label: 'All states' },
  { value: 'failing', label: 'Failed or degraded' },
  { value: 'failed-tasks', label: 'With failed tasks' },
  { value: 'HEALTHY', label: 'Healthy' },
  { value: 'DEGRADED', label: 'Degraded' },
  { value: 'UNHEALTHY', label: 'Unhealthy' },
  { value: 'PAUSED', label: 'Paused' },
  { value: 'STOPPED', label: 'Stopped' },
  { value: 'RESTARTING', label: 'Restarting' },
  { value: 'UNASSIGNED', label: 'Unassigned' },
  { value: 'UNKNOWN', label: 'Unknown' },
];

export function filtersFrom(search: URLSearchParams): OverviewFilters {
  const state = search.get('state') ?? '';
  const type = search.get('type') ?? '';
  return {
    q: search.get('q') ?? '',
    state: STATE_FILTERS.some((option) => option.value === state) ? state as StateFilter : '',
    type: type === 'source' || type === 'sink' ? type : '',
  };
}

export function filtersQuery(filters: OverviewFilters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.state) params.set('state', filters.state);
  if (filters.type) params.set('type', filters.type);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function isFiltered(filters: OverviewFilters): boolean {
  return filters.q !== '' || filters.state !== '' || filters.type !== '';
}

/**
 * Free text matches the name or the class; `key=value` matches connectors whose config has that
 * key with a value containing the text (e.g. `value.converter=avro`), case-insensitive.
 */
function matchesText(summary: ConnectorSummary, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (needle === '') return true;
  const eq = needle.indexOf('=');
  if (eq > 0) {
    const key = needle.slice(0, eq).trim();
    const value = needle.slice(eq + 1).trim();
    return Object.entries(summary.info?.config ?? {}).some(([k, v]) => k.toLowerCase() === key && v.toLowerCase().includes(value));
  }
  return summary.name.toLowerCase().includes(needle) || summary.className.toLowerCase().includes(needle);
}

function matchesState(summary: ConnectorSummary, state: StateFilter): boolean {
  if (state === '') return true;
  if (state === 'failing') return isFailing(summary.holistic.state);
  if (state === 'failed-tasks') return summary.tasksFailed > 0;
  return summary.holistic.state === state;
}

export function applyFilters(list: ConnectorSummary[], filters: OverviewFilters): ConnectorSummary[] {
  return list.filter((summary) => matchesText(summary, filters.q)
    && matchesState(summary, filters.state)
    && (filters.type === '' || summary.type === filters.type));
}
