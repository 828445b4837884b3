/**
 * The overview: every connector with its holistic state, tasks, worker and topics from one
 * GET /connectors?expand=status&expand=info every 2 s, failures first; statistic cards whose
 * failure counts filter the list; search and filters kept in the URL; bulk actions; and the
 * workers with what each runs.
 */
import { useCallback, useMemo, useState } from 'preact/hooks';
import { compareBySeverity, summarize } from '../../api/connector-summary.js';
import { errorText, rest } from '../../api/rest-client.js';
import type { ConnectorsExpanded, ServerInfo } from '../../api/types.js';
import { RefreshIndicator } from '../../components/refresh-indicator.js';
import { usePolling } from '../../components/use-polling.js';
import { Link, navigate, useRoute } from '../../router.js';
import { BulkActions } from './bulk-actions.js';
import { ConnectorsTable } from './connectors-table.js';
import { applyFilters, filtersFrom, filtersQuery, isFiltered, STATE_FILTERS, type OverviewFilters, type StateFilter } from './overview-filters.js';
import { StatCards } from './stat-cards.js';
import { WorkersPanel } from './workers-panel.js';

const REFRESH_MS = 2000;

const loadConnectors = () => rest.get<ConnectorsExpanded>('/connectors?expand=status&expand=info');
const loadServer = () => rest.get<ServerInfo>('/');

export function OverviewPage() {
  const { search } = useRoute();
  const filters = filtersFrom(search);
  const connectors = usePolling(loadConnectors, REFRESH_MS);
  const server = usePolling(loadServer, 60_000);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const all = useMemo(() => Object.entries(connectors.data ?? {}).map(([name, expanded]) => summarize(name, expanded)).sort(compareBySeverity),
    [connectors.data]);
  const rows = applyFilters(all, filters);
  const selectedNames = all.filter((summary) => selected.has(summary.name)).map((summary) => summary.name);

  const setFilters = useCallback((next: Partial<OverviewFilters>) => {
    navigate(`/${filtersQuery({ ...filtersFrom(new URLSearchParams(window.location.search)), ...next })}`, { replace: true });
  }, []);

  const toggle = (name: string, on: boolean) => setSelected((previous) => {
    const next = new Set(previous);
    if (on) next.add(name);
    else next.delete(name);
    return next;
  });
  const toggleAll = (on: boolean) => setSelected(on ? new Set(rows.map((row) => row.name)) : new Set());

  return (
    <section aria-labelledby="overview-heading">
      <div class="page-head">
        <div>
          <h1 id="overview-heading">Connectors</h1>
          <RefreshIndicator updatedAt={connectors.updatedAt} stale={connectors.stale} error={connectors.error} />
        </div>
        <div class="toolbar">
          <Link to="/new" class="button primary">New connector</Link>
        </div>
      </div>

      {connectors.data === undefined && connectors.error !== null && (
        <div class="banner bad" role="alert">
          <p>The connectors could not be loaded: {errorText(connectors.error)}</p>
          <button type="button" onClick={() => { void connectors.refresh(); }}>Retry</button>
        </div>
      )}

      {connectors.data !== undefined && (
        <>
          <StatCards all={all} onFilter={(state: StateFilter) => setFilters({ state })} />

          {all.length === 0 ? (
            <div class="card empty">
              <h2>No connectors yet</h2>
              <p>Connectors copy data between Kafka topics and other systems. Create one from an installed plugin.</p>
              <Link to="/new" class="button primary">Create a connector</Link>
            </div>
          ) : (
            <>
              <form class="filters" role="search" aria-label="Filter connectors" onSubmit={(event) => event.preventDefault()}>
                <label>
                  Search
                  <input type="search" placeholder="Name or class, or key=value" value={filters.q} aria-label="Search connectors by name or class"
                    aria-describedby="search-hint" onInput={(event) => setFilters({ q: event.currentTarget.value })} />
                  <span id="search-hint" class="visually-hidden">Or type a config key and part of its value, e.g. topics=orders</span>
                </label>
                <label>
                  State
                  <select value={filters.state} onChange={(event) => setFilters({ state: event.currentTarget.value as StateFilter })}>
                    {STATE_FILTERS.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
                  </select>
                </label>
                <label>
                  Type
                  <select value={filters.type} onChange={(event) => setFilters({ type: event.currentTarget.value as OverviewFilters['type'] })}>
                    <option value="">All types</option>
                    <option value="source">Source</option>
                    <option value="sink">Sink</option>
                  </select>
                </label>
                {isFiltered(filters) && (
                  <button type="button" onClick={() => setFilters({ q: '', state: '', type: '' })}>Clear filters</button>
                )}
                <span class="muted" aria-live="polite">{rows.length === all.length ? `${all.length} connectors` : `${rows.length} of ${all.length} connectors`}</span>
              </form>

              <BulkActions selected={selectedNames} onDone={() => { setSelected(new Set()); void connectors.refresh(); }} />

              {rows.length === 0 ? (
                <div class="card empty">
                  <p>No connector matches these filters.</p>
                  <button type="button" onClick={() => setFilters({ q: '', state: '', type: '' })}>Clear filters</button>
                </div>
              ) : (
                <ConnectorsTable rows={rows} selected={selected} onToggle={toggle} onToggleAll={toggleAll} />
              )}
            </>
          )}

          <WorkersPanel all={all} server={server.data} />
        </>
      )}
    </section>
  );
}
