import { describe, expect, it } from 'vitest';
import { restorePlaceholders } from '../../../../runtime/config/config-providers/restore-placeholders.js';

describe('restorePlaceholders', () => {
  it('puts resolved connector values copied into a task config back in placeholder form', () => {
    const raw = { 'connection.password': '${file:/s/db.properties:password}', 'connection.user': 'bob', 'topic': 't' };
    const resolved = { 'connection.password': 'Pa55word!', 'connection.user': 'bob', 'topic': 't' };
    const task = { 'connection.password': 'Pa55word!', 'connection.user': 'bob', 'task.id': '0' };
    expect(restorePlaceholders(task, raw, resolved)).toEqual({
      'connection.password': '${file:/s/db.properties:password}', 'connection.user': 'bob', 'task.id': '0',
    });
  });

  it('keeps values the connector derived differently', () => {
    const raw = { 'connection.url': 'jdbc:${env:HOST}' };
    const resolved = { 'connection.url': 'jdbc:db' };
    expect(restorePlaceholders({ 'connection.url': 'jdbc:db?ssl=true' }, raw, resolved)).toEqual({ 'connection.url': 'jdbc:db?ssl=true' });
  });
});
