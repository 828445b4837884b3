/**
 * Object keys exactly as Confluent's S3 sink writes them:
 *
 *   <topics.dir>/<topic>/<encoded partition>/<topic>+<kafka partition>+<start offset, zero-padded><suffix>
 *
 * (`<topics.dir>/` left out when topics.dir is empty; `/` is directory.delim and `+` file.delim).
 * The suffix is the format's extension (.json, .bin), with .keys / .headers (and ferry's
 * .metadata) in front of it for side files and .gz after it when compressed. The S3 source
 * parses names back with `parseObjectName`.
 */

export interface ObjectLayout {
  readonly topicsDir: string;
  readonly directoryDelim: string;
  readonly fileDelim: string;
  readonly offsetPadWidth: number;
}

export interface ObjectName {
  readonly topic: string;
  readonly kafkaPartition: number;
  readonly startOffset: number;
  /** Everything after the offset, e.g. `.keys.json.gz`. */
  readonly suffix: string;
}

/** The prefix of every object of `topic`, ending with the directory delimiter. */
export function topicPrefix(layout: ObjectLayout, topic: string): string {
  const top = layout.topicsDir === '' ? '' : `${layout.topicsDir}${layout.directoryDelim}`;
  return `${top}${topic}${layout.directoryDelim}`;
}

/** The file name without suffix: `<topic>+<partition>+<padded offset>`. */
export function fileStem(layout: ObjectLayout, topic: string, kafkaPartition: number, startOffset: number): string {
  const offset = String(startOffset).padStart(layout.offsetPadWidth, '0');
  return `${topic}${layout.fileDelim}${kafkaPartition}${layout.fileDelim}${offset}`;
}

export function objectKey(
  layout: ObjectLayout, topic: string, encodedPartition: string, kafkaPartition: number, startOffset: number, suffix: string,
): string {
  return `${topicPrefix(layout, topic)}${encodedPartition}${layout.directoryDelim}${fileStem(layout, topic, kafkaPartition, startOffset)}${suffix}`;
}

/** The parts of an object key of `topic`'s directory, or null when its file name is not in the layout. */
export function parseObjectName(layout: ObjectLayout, topic: string, key: string): ObjectName | null {
  const slash = key.lastIndexOf(layout.directoryDelim);
  const name = slash < 0 ? key : key.slice(slash + layout.directoryDelim.length);
  const head = `${topic}${layout.fileDelim}`;
  if (!name.startsWith(head)) return null;
  const rest = name.slice(head.length);
  const cut = rest.indexOf(layout.fileDelim);
  if (cut <= 0) return null;
  const partitionText = rest.slice(0, cut);
  const tail = rest.slice(cut + layout.fileDelim.length);
  const digits = /^\d+/.exec(tail)?.[0];
  if (!/^\d+$/.test(partitionText) || digits === undefined) return null;
  const suffix = tail.slice(digits.length);
  if (suffix !== '' && !suffix.startsWith('.')) return null;
  return { topic, kafkaPartition: Number(partitionText), startOffset: Number(digits), suffix };
}
