import { describe, expect, it } from 'vitest';
import { defineConfig, password, string } from '../../../../connectors/sdk/config/config-spec.js';
import { passwordKeysOf, redactSecrets } from '../../../../runtime/config/config-providers/redaction.js';

const spec = defineConfig({
  'connection.url': string({ doc: 'url', default: null, importance: 'HIGH' }),
  'connection.password': password({ doc: 'pw', default: null, importance: 'HIGH' }),
});

describe('redaction', () => {
  it('hides the values of password keys and keeps everything else', () => {
    const config = { 'connection.url': 'jdbc:x', 'connection.password': 'hunter22', 'tasks.max': '1' };
    expect(redactSecrets(config, ['connection.password'])).toEqual({ 'connection.url': 'jdbc:x', 'connection.password': '[hidden]', 'tasks.max': '1' });
    expect(config['connection.password']).toBe('hunter22');
  });

  it('keeps absent password values as they are', () => {
    expect(redactSecrets({ 'connection.password': null }, ['connection.password'])).toEqual({ 'connection.password': null });
  });

  it('finds a spec\'s password keys and client password settings under any prefix', () => {
    const config = {
      'connection.url': 'u',
      'producer.override.sasl.jaas.config': 'j',
      'consumer.ssl.key.password': 'k',
      'value.converter.basic.auth.user.info': 'a:b',
      'ssl.keystore.location': '/ks',
    };
    expect([...passwordKeysOf(spec, config)].sort()).toEqual([
      'connection.password', 'consumer.ssl.key.password', 'producer.override.sasl.jaas.config', 'value.converter.basic.auth.user.info',
    ]);
  });
});
