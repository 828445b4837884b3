/**
 * One index: its mappings and settings, documents with version, sequence number and primary term,
 * the tombstones deletes leave (kept for `index.gc_deletes`, 60 s:
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-delete.html#delete-versioning),
 * and the near-real-time view searches see: `_search` and `_count` read the documents as of the last
 * refresh (every `index.refresh_interval`, 1 s by default, or `_refresh`, or `?refresh`), while
 * `GET /<index>/_doc/<id>` is real-time
 * (https://www.elastic.co/guide/en/elasticsearch/reference/current/near-real-time.html,
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-get.html#realtime).
 */
import { randomBytes } from 'node:crypto';
import type { Mappings } from './mapping.js';
import type { VersionState } from './versioning.js';

export interface StoredDocument {
  readonly source: unknown;
  readonly version: number;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

const GC_DELETES_MS = 60_000;
export const PRIMARY_TERM = 1;

/** 22 url-safe base64 characters, as Elasticsearch's index uuids look. */
export function randomUuid(): string {
  return randomBytes(16).toString('base64url');
}

export class EsIndex {
  readonly uuid = randomUuid();
  readonly creationDate = Date.now();
  readonly documents = new Map<string, StoredDocument>();
  private readonly tombstones = new Map<string, { version: number; seqNo: number; at: number }>();
  private searchable = new Map<string, StoredDocument>();
  private dirty = false;
  private nextSeqNo = 0;

  constructor(
    readonly name: string,
    public mappings: Mappings,
    readonly settings: Record<string, unknown>,
    /** The data stream this index backs, if any. */
    readonly dataStream?: string,
  ) {}

  versionState(id: string): VersionState {
    const live = this.documents.get(id);
    if (live !== undefined) return { live: true, version: live.version, seqNo: live.seqNo, primaryTerm: live.primaryTerm };
    const tombstone = this.tombstones.get(id);
    if (tombstone !== undefined && Date.now() - tombstone.at <= GC_DELETES_MS) {
      return { live: false, version: tombstone.version, seqNo: tombstone.seqNo, primaryTerm: PRIMARY_TERM };
    }
    return { live: false };
  }

  put(id: string, source: unknown, version: number): StoredDocument {
    const stored: StoredDocument = { source, version, seqNo: this.nextSeqNo++, primaryTerm: PRIMARY_TERM };
    this.documents.set(id, stored);
    this.tombstones.delete(id);
    this.dirty = true;
    return stored;
  }

  /** Deletes (or records the delete of a missing id); returns the delete's sequence number. */
  delete(id: string, version: number): number {
    const seqNo = this.nextSeqNo++;
    this.documents.delete(id);
    this.tombstones.set(id, { version, seqNo, at: Date.now() });
    this.dirty = true;
    return seqNo;
  }

  /** Sequence number a no-op update reports: the document's own. */
  get maxSeqNo(): number {
    return this.nextSeqNo - 1;
  }

  refresh(): void {
    if (!this.dirty) return;
    this.searchable = new Map(this.documents);
    this.dirty = false;
  }

  /** Documents as searches see them (as of the last refresh). */
  searchableDocuments(): ReadonlyMap<string, StoredDocument> {
    return this.searchable;
  }

  get refreshIntervalMs(): number {
    const value = (this.settings['index.refresh_interval'] ?? (this.settings.index as Record<string, unknown> | undefined)?.refresh_interval) as string | undefined;
    if (value === undefined) return 1000;
    if (value === '-1') return -1;
    const match = /^(\d+)(ms|s|m)?$/.exec(value);
    if (match === null) return 1000;
    const n = Number(match[1]);
    return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
  }
}
