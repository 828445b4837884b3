/**
 * Where a topic's records go, named as Confluent's sink names it.
 *
 * Index: the topic lower-cased, cut to 255 characters, one leading `-` or `_` dropped, and `.`
 * or `..` spelled `dot`/`dotdot`. Data stream: `<type>-<dataset>-<namespace>` with `${topic}` in
 * the namespace replaced by the lower-cased topic and the namespace cut to 100 characters.
 */
export interface DataStreamNaming {
  /** `logs` or `metrics`. */
  readonly type: string;
  readonly dataset: string;
  readonly namespace: string;
}

export function indexNameOf(topic: string): string {
  let index = topic.toLowerCase();
  if (index.length > 255) index = index.slice(0, 255);
  if (index.startsWith('-') || index.startsWith('_')) index = index.slice(1);
  if (index === '.' || index === '..') index = index.replaceAll('.', 'dot');
  return index;
}

export function dataStreamNameOf(topic: string, naming: DataStreamNaming): string {
  let namespace = naming.namespace.replaceAll('${topic}', topic.toLowerCase());
  if (namespace.length > 100) namespace = namespace.slice(0, 100);
  return `${naming.type.toLowerCase()}-${naming.dataset}-${namespace}`;
}
