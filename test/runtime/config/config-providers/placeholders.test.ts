import { describe, expect, it } from 'vitest';
import { findPlaceholders, replacePlaceholders } from '../../../../runtime/config/config-providers/placeholders.js';

describe('placeholders', () => {
  it('splits the provider, path and key of ${provider:path:key}', () => {
    expect(findPlaceholders('${file:/etc/db.properties:password}')).toEqual([
      { text: '${file:/etc/db.properties:password}', provider: 'file', path: '/etc/db.properties', key: 'password', start: 0, end: 35 },
    ]);
  });

  it('reads ${provider:key} as an empty path', () => {
    const [p] = findPlaceholders('${env:DB_HOST}');
    expect([p.provider, p.path, p.key]).toEqual(['env', '', 'DB_HOST']);
  });

  it('splits extra colons the way Kafka\'s pattern does', () => {
    const [p] = findPlaceholders('${file:C:/conf/db.properties:password}');
    expect([p.provider, p.path, p.key]).toEqual(['file', 'C', '/conf/db.properties:password']);
  });

  it('finds several placeholders inside a larger value', () => {
    const found = findPlaceholders('jdbc:postgresql://${env:HOST}:${env:PORT}/db');
    expect(found.map((p) => p.key)).toEqual(['HOST', 'PORT']);
  });

  it('ignores text without a provider separator or closing brace', () => {
    expect(findPlaceholders('${nocolon} and ${env:OPEN')).toEqual([]);
  });

  it('replaces only the placeholders the lookup answers', () => {
    const out = replacePlaceholders('${env:A}-${env:B}-${x:C}', (p) => (p.key === 'A' ? 'a' : undefined));
    expect(out).toBe('a-${env:B}-${x:C}');
  });
});
