import os from 'node:os';
import { expect, it } from 'vitest';
import { exactlyOnceLeaderUnreachable, herderListeners } from '../../../cli/mirror/herder-listeners.js';

const herder = (name: string, workerProperties: Record<string, string> = {}) => ({ name, workerProperties });

it('by default every herder listens privately on a port of its own', () => {
  expect(herderListeners({ herders: [herder('A->B'), herder('B->A')], topLevelListeners: undefined, internalRest: false }))
    .toEqual([{ listeners: 'http://127.0.0.1:0' }, { listeners: 'http://127.0.0.1:0' }]);
});

it('a per-flow listeners setting is kept as it is', () => {
  const flows = [herder('A->B', { listeners: 'http://:8083' }), herder('B->A', { listeners: 'http://:8084' })];
  expect(herderListeners({ herders: flows, topLevelListeners: 'http://:9000', internalRest: true })).toEqual([{}, {}]);
});

it('a top-level fixed port serves one herder, and is refused for two', () => {
  expect(herderListeners({ herders: [herder('A->B')], topLevelListeners: 'http://0.0.0.0:8083', internalRest: false }))
    .toEqual([{ listeners: 'http://0.0.0.0:8083' }]);
  expect(() => herderListeners({ herders: [herder('A->B'), herder('B->A')], topLevelListeners: 'http://:8083', internalRest: false }))
    .toThrow("listeners 'http://:8083' has a fixed port, but this node runs 2 herders (A->B, B->A); set <source>-><target>.listeners for each, or use port 0");
  expect(herderListeners({ herders: [herder('A->B'), herder('B->A')], topLevelListeners: 'http://10.0.0.5:0', internalRest: false }))
    .toEqual([{ listeners: 'http://10.0.0.5:0' }, { listeners: 'http://10.0.0.5:0' }]);
});

it('internal REST listens on every interface under this host\'s name unless one is advertised', () => {
  expect(herderListeners({ herders: [herder('A->B'), herder('B->A', { 'rest.advertised.host.name': 'mm2-1' })], topLevelListeners: undefined, internalRest: true }))
    .toEqual([{ listeners: 'http://:0', 'rest.advertised.host.name': os.hostname() }, { listeners: 'http://:0' }]);
});

it('names the exactly-once herders whose leader other machines could not reach for zombie fencing', () => {
  const eos = { 'exactly.once.source.support': 'Enabled' };
  const flows = [herder('A->B', eos), herder('B->A'), herder('C->A', { ...eos, listeners: 'http://:8085' })];
  const unreachable = (internalRest: boolean, topLevelListeners?: string) => exactlyOnceLeaderUnreachable({ herders: flows, topLevelListeners, internalRest });
  expect(unreachable(false)).toEqual(['A->B']);
  expect(unreachable(true)).toEqual([]);
  expect(unreachable(false, 'http://0.0.0.0:0')).toEqual([]);
});
