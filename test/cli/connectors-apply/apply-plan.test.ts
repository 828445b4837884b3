import { describe, expect, it } from 'vitest';
import { describeDiff, diffConfigs, planConnector } from '../../../cli/connectors/apply-plan.js';

const SINK = { 'connector.class': 'FileStreamSink', file: '/tmp/out.txt', topics: 'orders' };

describe('planConnector', () => {
  it('creates a connector the worker does not have', () => {
    expect(planConnector(undefined, SINK)).toEqual({ kind: 'create' });
  });

  it('leaves a connector alone when only the name the worker adds differs', () => {
    expect(planConnector({ ...SINK, name: 'orders-out' }, SINK)).toEqual({ kind: 'unchanged' });
  });

  it('compares as string maps: a file\'s 1 and true equal the worker\'s "1" and "true"', () => {
    const worker = { ...SINK, 'tasks.max': '1', 'errors.log.enable': 'true' };
    expect(planConnector(worker, { ...SINK, 'tasks.max': 1, 'errors.log.enable': true })).toEqual({ kind: 'unchanged' });
  });

  it('updates with every changed, added and removed key, each list sorted', () => {
    const worker = { ...SINK, name: 'orders-out', 'tasks.max': '1', 'file.format': 'lines' };
    const file = { ...SINK, topics: 'orders,refunds', file: '/tmp/other.txt', 'errors.tolerance': 'all', 'batch.size': '10' };
    expect(planConnector(worker, file)).toEqual({
      kind: 'update',
      diff: { changed: ['file', 'topics'], added: ['batch.size', 'errors.tolerance'], removed: ['file.format', 'tasks.max'] },
    });
  });

  it('treats a value that differs only in case or blanks as changed: the worker stores strings as given', () => {
    expect(diffConfigs({ topics: 'orders' }, { topics: 'orders ' }).changed).toEqual(['topics']);
    expect(diffConfigs({ 'file.format': 'json' }, { 'file.format': 'JSON' }).changed).toEqual(['file.format']);
  });
});

describe('describeDiff', () => {
  it('lists keys alphabetically, marking added ones + and removed ones -', () => {
    expect(describeDiff({ changed: ['topics', 'flush.size'], added: ['s3.part.size'], removed: ['behavior.on.null.values'] }))
      .toEqual(['-behavior.on.null.values', 'flush.size', '+s3.part.size', 'topics']);
  });

  it('names a changed password key without its values, which it never sees', () => {
    const diff = diffConfigs({ 'database.password': 'old-secret' }, { 'database.password': 'new-secret' });
    expect(describeDiff(diff)).toEqual(['database.password']);
  });
});
