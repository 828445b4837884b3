/** A GroupStore that keeps the appended records in an array (tests, ephemeral brokers). */
import type { GroupStore, GroupStoreWrite } from './group-store.js';

export class InMemoryGroupStore implements GroupStore {
  readonly records: GroupStoreWrite[] = [];

  async append(records: GroupStoreWrite[]): Promise<void> {
    for (const r of records) {
      this.records.push({ groupId: r.groupId, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) });
    }
  }
}
