/**
 * The plugin picker's logic: a short, readable name for each connector class, the All / Source /
 * Sink tabs and the search box. Search matches the short name or the full class, ignoring case;
 * results are sorted by short name so the list does not jump around as the user types.
 */
import type { PluginInfo } from '../api/types.js';

export type PluginTab = 'all' | 'source' | 'sink';

/** "org.apache.kafka.connect.file.FileStreamSourceConnector" → "FileStreamSource". */
export function shortPluginName(connectorClass: string): string {
  const simple = connectorClass.slice(connectorClass.lastIndexOf('.') + 1);
  const withoutSuffix = simple.endsWith('Connector') && simple !== 'Connector' ? simple.slice(0, -'Connector'.length) : simple;
  return withoutSuffix === '' ? connectorClass : withoutSuffix;
}

/** The connectors (sources and sinks) of a plugin list, filtered by tab and search text. */
export function filterPlugins(plugins: readonly PluginInfo[], tab: PluginTab, search: string): PluginInfo[] {
  const needle = search.trim().toLowerCase();
  return plugins
    .filter((plugin) => plugin.type === 'source' || plugin.type === 'sink')
    .filter((plugin) => tab === 'all' || plugin.type === tab)
    .filter((plugin) => needle === ''
      || shortPluginName(plugin.class).toLowerCase().includes(needle)
      || plugin.class.toLowerCase().includes(needle))
    .sort((a, b) => shortPluginName(a.class).localeCompare(shortPluginName(b.class)) || a.class.localeCompare(b.class));
}

/** How many connectors each tab holds, for the tab labels. */
export function countByTab(plugins: readonly PluginInfo[]): Record<PluginTab, number> {
  const sources = plugins.filter((plugin) => plugin.type === 'source').length;
  const sinks = plugins.filter((plugin) => plugin.type === 'sink').length;
  return { all: sources + sinks, source: sources, sink: sinks };
}

/** The plugin types whose classes fit a CLASS key, for suggestions; null when the key takes any class. */
export function classKindOfKey(key: string): PluginInfo['type'] | null {
  if (key === 'key.converter' || key === 'value.converter') return 'converter';
  if (key === 'header.converter') return 'header_converter';
  if (/^transforms\.[^.]+\.type$/.test(key)) return 'transformation';
  if (/^predicates\.[^.]+\.type$/.test(key)) return 'predicate';
  return null;
}
