import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../connectors/sdk/config/config-error.js';
import { firstRestListener, withLegacyRestListeners } from '../../../runtime/config/rest-listeners.js';
import { distributedWorkerSpec } from '../../../runtime/config/worker-config.js';

describe('rest.port and rest.host.name', () => {
  it('leave properties without them as they are', () => {
    const properties = { listeners: 'http://:8083', 'group.id': 'g' };
    expect(withLegacyRestListeners(properties)).toEqual({ properties, legacyKeys: [] });
  });

  it.each([
    [{ 'rest.port': '18083' }, 'http://:18083'],
    [{ 'rest.host.name': '127.0.0.1', 'rest.port': '18083' }, 'http://127.0.0.1:18083'],
    [{ 'rest.host.name': 'connect-1' }, 'http://connect-1:8083'],
    [{ 'rest.host.name': '', 'rest.port': ' 9000 ' }, 'http://:9000'],
    [{ 'rest.host.name': '::1', 'rest.port': '9000' }, 'http://[::1]:9000'],
    [{ 'rest.port': '9000', listeners: ' ' }, 'http://:9000'],
  ])('%j become listeners=%s when listeners is unset', (legacy, listener) => {
    const { properties, derived, legacyKeys } = withLegacyRestListeners({ 'group.id': 'g', ...legacy });
    expect(derived).toBe(listener);
    expect(legacyKeys).toEqual(Object.keys(legacy).filter((k) => k.startsWith('rest.')).sort());
    expect(properties).toEqual({ 'group.id': 'g', listeners: listener });
    expect(distributedWorkerSpec.validate(properties).issues.filter((i) => i.name === 'listeners')).toEqual([]);
    expect(firstRestListener([listener])).toMatchObject({ protocol: 'http', port: Number(listener.slice(listener.lastIndexOf(':') + 1)) });
  });

  it('are dropped when listeners is set, so the caller can warn', () => {
    const result = withLegacyRestListeners({ listeners: 'http://0.0.0.0:8083', 'rest.port': '9000', 'rest.host.name': 'x' });
    expect(result).toEqual({ properties: { listeners: 'http://0.0.0.0:8083' }, legacyKeys: ['rest.host.name', 'rest.port'] });
  });

  it.each(['http', '65536', '-1', '80.5'])('rest.port=%s is a config error naming rest.port', (port) => {
    expect(() => withLegacyRestListeners({ 'rest.port': port })).toThrow(ConfigError);
    try {
      withLegacyRestListeners({ 'rest.port': port });
    } catch (err) {
      expect((err as ConfigError).issues).toEqual([{ name: 'rest.port', message: `Invalid value ${port} for configuration rest.port: Value must be a port number (0 to 65535)` }]);
    }
  });
});

describe('the first listener', () => {
  it.each([
    ['http://:8083', { protocol: 'http', host: '0.0.0.0', port: 8083 }],
    ['HTTPS://connect-1:8443/', { protocol: 'https', host: 'connect-1', port: 8443 }],
    ['http://[::1]:9000', { protocol: 'http', host: '[::1]', port: 9000 }],
  ])('%s', (listener, expected) => {
    expect(firstRestListener([listener, 'http://other:1'])).toEqual(expected);
  });

  it('rejects what is no http(s) listener', () => {
    expect(() => firstRestListener(['kafka://x:1'])).toThrow("Invalid listener 'kafka://x:1'");
  });
});
