/**
 * Keeping resolved secrets out of stored task configs. A connector is started with its resolved
 * config, and the task configs it returns often copy those values verbatim; stored as they are,
 * they would be readable through `GET /connectors/{c}/tasks`. Before task configs are stored,
 * each value equal to the resolved value of the same key of the connector config, where the raw
 * connector value had placeholders, is put back in its raw, placeholder form; the worker
 * resolves it again when it starts the task. Values the connector derived differently are kept.
 */
import { hasPlaceholders } from './placeholders.js';

export function restorePlaceholders(
  taskConfig: Readonly<Record<string, string>>,
  connectorRaw: Readonly<Record<string, unknown>>,
  connectorResolved: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const out: Record<string, string> = { ...taskConfig };
  for (const key of Object.keys(out)) {
    const raw = connectorRaw[key];
    if (typeof raw !== 'string' || !hasPlaceholders(raw)) continue;
    const resolved = connectorResolved[key];
    if (resolved !== raw && out[key] === resolved) out[key] = raw;
  }
  return out;
}
