import { describe, expect, it } from 'vitest';
import { diffConfigs, HIDDEN_VALUE } from '../../../console/src/form/config-diff.js';

describe('the changes shown before an update', () => {
  it('lists changed and added keys in the new order, removed ones last', () => {
    const before = { name: 'n', topic: 'a', 'batch.size': '10', file: '/f' };
    const after = { name: 'n', topic: 'b', file: '/f', 'tasks.max': '2' };
    expect(diffConfigs(before, after, new Set())).toEqual([
      { key: 'topic', kind: 'changed', before: 'a', after: 'b' },
      { key: 'tasks.max', kind: 'added', before: null, after: '2' },
      { key: 'batch.size', kind: 'removed', before: '10', after: null },
    ]);
  });

  it('never shows a secret, but shows a changed provider reference', () => {
    const secrets = new Set(['database.password']);
    expect(diffConfigs({ 'database.password': 'old' }, { 'database.password': 'new' }, secrets))
      .toEqual([{ key: 'database.password', kind: 'changed', before: HIDDEN_VALUE, after: HIDDEN_VALUE }]);
    expect(diffConfigs({ 'database.password': 'old' }, { 'database.password': '${file:/s:pw}' }, secrets))
      .toEqual([{ key: 'database.password', kind: 'changed', before: HIDDEN_VALUE, after: '${file:/s:pw}' }]);
  });

  it('is empty when nothing changed', () => {
    expect(diffConfigs({ a: '1' }, { a: '1' }, new Set())).toEqual([]);
  });
});
