/** A GroupStore that keeps the appended records in an array (tests, ephemeral brokers). */
import type { GroupStore, GroupStoreProducer, GroupStoreWrite } from './group-store.js';

export class InMemoryGroupStore implements GroupStore {
  readonly records: (GroupStoreWrite & { producer?: GroupStoreProducer })[] = [];

  async append(records: GroupStoreWrite[], producer?: GroupStoreProducer): Promise<void> {
    for (const r of records) {
      this.records.push({
        groupId: r.groupId, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value),
        ...(producer && { producer: { ...producer } }),
      });
    }
  }
}
