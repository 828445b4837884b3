/** Which connectors the console's Replication page lists: MirrorMaker's three, under every name the worker accepts for them. */
import { describe, expect, it } from 'vitest';
import { mirrorKindOfClass } from '../../../console/src/api/mirror-class.js';
import { builtinPlugins } from '../../../runtime/plugins/builtin-plugins.js';

describe('mirrorKindOfClass', () => {
  it('knows every name the worker accepts for the Mirror connectors', () => {
    const kinds = { MirrorSourceConnector: 'source', MirrorCheckpointConnector: 'checkpoint', MirrorHeartbeatConnector: 'heartbeat' } as const;
    const mirrors = builtinPlugins().infos(true).filter((p) => p.class.startsWith('org.apache.kafka.connect.mirror.'));
    expect(mirrors).toHaveLength(3);
    for (const info of mirrors) {
      const plugin = builtinPlugins().connector(info.class)!;
      const kind = kinds[info.class.slice(info.class.lastIndexOf('.') + 1) as keyof typeof kinds];
      for (const name of [plugin.className, ...plugin.aliases]) expect(mirrorKindOfClass(name), name).toBe(kind);
      expect(mirrorKindOfClass(` ${plugin.className} `)).toBe(kind);
    }
  });

  it('leaves every other connector out', () => {
    const others = builtinPlugins().infos(true).filter((p) => !p.class.startsWith('org.apache.kafka.connect.mirror.'));
    expect(others.length).toBeGreaterThan(0);
    for (const info of others) expect(mirrorKindOfClass(info.class), info.class).toBeNull();
    expect(mirrorKindOfClass(undefined)).toBeNull();
    expect(mirrorKindOfClass('com.example.MirrorSourceConnector')).toBeNull();
  });
});
