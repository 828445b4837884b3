/** The keys an update adds, changes or removes, shown before "Update" (secrets as "(hidden)"). */
import type { ConfigChange } from '../../form/config-diff.js';

export function ChangeList({ changes }: { changes: ConfigChange[] }) {
  return (
    <section class="config-changes" aria-labelledby="changes-heading">
      <h2 id="changes-heading">Changes to apply</h2>
      {changes.length === 0 ? <p class="muted">No changes yet.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Key</th><th scope="col">Change</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
            <tbody>
              {changes.map((change) => (
                <tr key={change.key} class={`change-${change.kind}`}>
                  <td class="mono wrap">{change.key}</td>
                  <td>{change.kind}</td>
                  <td class="mono wrap">{change.before ?? '—'}</td>
                  <td class="mono wrap">{change.after ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
