/** The topics the connector has used (GET /connectors/{name}/topics, Kafka Connect's topic tracking). */
import { useCallback } from 'preact/hooks';
import { errorText, rest, RestError, seg } from '../../api/rest-client.js';
import type { ConnectorTopics } from '../../api/types.js';
import { usePolling } from '../../components/use-polling.js';

export function TopicsSection({ name }: { name: string }) {
  const load = useCallback(() => rest.get<ConnectorTopics>(`/connectors/${seg(name)}/topics`), [name]);
  const topics = usePolling(load, 10_000, name);
  const list = topics.data?.[name]?.topics ?? [];
  return (
    <section class="section" aria-labelledby="topics-heading">
      <div class="section-head"><h2 id="topics-heading">Topics</h2></div>
      <div class="card">
        {topics.data === undefined && topics.error !== null ? (
          <p class={topics.error instanceof RestError && topics.error.status === 403 ? 'muted' : 'error-text'}>{errorText(topics.error)}</p>
        ) : topics.data === undefined ? (
          <p class="muted">Loading…</p>
        ) : list.length === 0 ? (
          <p class="muted">No topic used yet.</p>
        ) : (
          <ul class="tag-list" aria-label="Topics used">{list.map((topic) => <li key={topic} class="tag">{topic}</li>)}</ul>
        )}
      </div>
    </section>
  );
}
