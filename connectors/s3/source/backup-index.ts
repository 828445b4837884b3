/**
 * What the bucket holds for one backed-up topic, as the S3 sink laid it out: per Kafka
 * partition, the value objects in start-offset order, each with the side files written next to
 * it (keys, headers, metadata). Keys under the topic folder that are not in the layout (other
 * names, unknown extensions, side files without their value file) are returned separately so
 * the task can warn about them.
 */
import type { ObjectLayout } from '../storage/object-naming.js';
import { parseObjectName } from '../storage/object-naming.js';
import { viewOfSuffix } from '../storage/record-views.js';
import type { S3Store } from '../storage/s3-store.js';
import { topicPrefix } from '../storage/object-naming.js';

export interface BackupObject {
  /** The value file's key. */
  readonly key: string;
  readonly startOffset: number;
  readonly valueExtension: string;
  readonly valueGzip: boolean;
  readonly keysKey: string | null;
  readonly keysExtension: string | null;
  readonly headersKey: string | null;
  readonly metadataKey: string | null;
}

export interface TopicBackup {
  /** Kafka partition → its value objects, ascending start offset. */
  readonly partitions: Map<number, BackupObject[]>;
  readonly notInLayout: string[];
}

interface Pieces {
  value?: { key: string; extension: string; gzip: boolean };
  keys?: { key: string; extension: string };
  headers?: string;
  metadata?: string;
}

export async function indexTopic(store: S3Store, layout: ObjectLayout, topic: string, valueExtensions: readonly string[]): Promise<TopicBackup> {
  const stems = new Map<string, { partition: number; startOffset: number; pieces: Pieces; keys: string[] }>();
  const notInLayout: string[] = [];
  for await (const page of store.list(topicPrefix(layout, topic))) {
    for (const object of page) {
      const name = parseObjectName(layout, topic, object.key);
      const view = name === null ? null : viewOfSuffix(name.suffix, valueExtensions);
      if (name === null || view === null) {
        notInLayout.push(object.key);
        continue;
      }
      const stem = object.key.slice(0, object.key.length - name.suffix.length);
      let entry = stems.get(stem);
      if (entry === undefined) {
        entry = { partition: name.kafkaPartition, startOffset: name.startOffset, pieces: {}, keys: [] };
        stems.set(stem, entry);
      }
      entry.keys.push(object.key);
      if (view.view === 'value') entry.pieces.value = { key: object.key, extension: view.extension, gzip: view.gzip };
      else if (view.view === 'keys') entry.pieces.keys = { key: object.key, extension: view.extension };
      else if (view.view === 'headers') entry.pieces.headers = object.key;
      else entry.pieces.metadata = object.key;
    }
  }
  const partitions = new Map<number, BackupObject[]>();
  for (const entry of stems.values()) {
    const { value, keys, headers, metadata } = entry.pieces;
    if (value === undefined) {
      notInLayout.push(...entry.keys);
      continue;
    }
    let list = partitions.get(entry.partition);
    if (list === undefined) partitions.set(entry.partition, list = []);
    list.push({
      key: value.key, startOffset: entry.startOffset, valueExtension: value.extension, valueGzip: value.gzip,
      keysKey: keys?.key ?? null, keysExtension: keys?.extension ?? null, headersKey: headers ?? null, metadataKey: metadata ?? null,
    });
  }
  for (const list of partitions.values()) list.sort((a, b) => a.startOffset - b.startOffset || (a.key < b.key ? -1 : 1));
  return { partitions, notInLayout };
}

/** Sorts after every key that starts with a given prefix (the highest code point). */
const AFTER_PREFIX = '\u{10FFFF}';

/**
 * The topic folders right below topics.dir, found by skipping from folder to folder (one
 * one-key list per topic) rather than with delimiter listings, which some S3-compatible
 * stores (s3rver) answer wrongly for nested keys.
 */
export async function listTopics(store: S3Store, layout: ObjectLayout): Promise<string[]> {
  const root = layout.topicsDir === '' ? '' : `${layout.topicsDir}${layout.directoryDelim}`;
  const topics: string[] = [];
  let after = root;
  for (;;) {
    const key = await store.firstKeyAfter(root, after);
    if (key === null) return topics;
    const cut = key.indexOf(layout.directoryDelim, root.length);
    if (cut < 0) {
      after = key;
      continue;
    }
    const topic = key.slice(root.length, cut);
    if (topic !== '') topics.push(topic);
    after = `${root}${topic}${layout.directoryDelim}${AFTER_PREFIX}`;
  }
}
