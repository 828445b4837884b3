/**
 * The properties every test worker of a Connect group on one bundled broker needs: the group,
 * its three internal topics named after it (`<group>-configs`, `-offsets`, `-status`) with
 * replication factor 1, and a REST listener on a free port. Converters and anything else are
 * the caller's.
 */
export function groupWorkerProperties(bootstrap: string, group: string): Record<string, string> {
  return {
    'bootstrap.servers': bootstrap,
    'group.id': group,
    'config.storage.topic': `${group}-configs`,
    'offset.storage.topic': `${group}-offsets`,
    'status.storage.topic': `${group}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    listeners: 'http://127.0.0.1:0',
  };
}
