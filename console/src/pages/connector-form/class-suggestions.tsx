/**
 * Suggestions for CLASS fields: one <datalist> per plugin type (converters, header converters,
 * transforms, predicates) from GET /connector-plugins?connectorsOnly=false, which config-field.tsx
 * attaches to the keys that take that type. Any class can still be typed.
 */
import { useEffect, useState } from 'preact/hooks';
import { rest } from '../../api/rest-client.js';
import type { PluginInfo, PluginType } from '../../api/types.js';

/** Installed converters, transforms and predicates, offered as suggestions for CLASS keys. */
export function ClassSuggestions() {
  const [plugins, setPlugins] = useState<PluginInfo[]>([]);
  useEffect(() => {
    let live = true;
    rest.get<PluginInfo[]>('/connector-plugins?connectorsOnly=false')
      .then((list) => { if (live) setPlugins(list); })
      .catch(() => undefined); // suggestions only: the fields work without them
    return () => { live = false; };
  }, []);
  const kinds: PluginType[] = ['converter', 'header_converter', 'transformation', 'predicate'];
  return (
    <>
      {kinds.map((kind) => (
        <datalist key={kind} id={`classes-${kind}`}>
          {plugins.filter((plugin) => plugin.type === kind).map((plugin) => <option key={plugin.class} value={plugin.class} />)}
        </datalist>
      ))}
    </>
  );
}
