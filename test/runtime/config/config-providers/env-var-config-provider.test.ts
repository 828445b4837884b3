import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import { EnvVarConfigProvider } from '../../../../runtime/config/config-providers/env-var-config-provider.js';

const env = { DB_HOST: 'db.internal', DB_PASSWORD: 'pw-123', HOME: '/home/ferry' };

describe('EnvVarConfigProvider', () => {
  it('returns the requested environment variables', () => {
    const data = new EnvVarConfigProvider({}, env).get('', new Set(['DB_HOST', 'UNSET']));
    expect(Object.fromEntries(data.data)).toEqual({ DB_HOST: 'db.internal' });
  });

  it('reads the real process environment by default', () => {
    process.env.FERRY_ENV_PROVIDER_TEST = 'from-process';
    try {
      const data = new EnvVarConfigProvider().get('', new Set(['FERRY_ENV_PROVIDER_TEST']));
      expect(data.data.get('FERRY_ENV_PROVIDER_TEST')).toBe('from-process');
    } finally {
      delete process.env.FERRY_ENV_PROVIDER_TEST;
    }
  });

  it('hides variables whose whole name does not match allowlist.pattern', () => {
    const provider = new EnvVarConfigProvider({ 'allowlist.pattern': 'DB_.*' }, env);
    expect([...provider.get('').data.keys()].sort()).toEqual(['DB_HOST', 'DB_PASSWORD']);
    const partial = new EnvVarConfigProvider({ 'allowlist.pattern': 'DB' }, env);
    expect(partial.get('').data.size).toBe(0);
  });

  it('rejects a path, which environment variables do not have', () => {
    expect(() => new EnvVarConfigProvider({}, env).get('some/path', new Set(['DB_HOST'])))
      .toThrow("Path is not supported for EnvVarConfigProvider, invalid value 'some/path'");
  });

  it('rejects an allowlist.pattern that is not a regular expression', () => {
    expect(() => new EnvVarConfigProvider({ 'allowlist.pattern': 'DB_(' }, env)).toThrow(ConfigError);
  });
});
