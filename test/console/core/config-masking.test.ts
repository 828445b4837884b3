/** Which config values the connector page masks (console/src/pages/connector/config-masking.ts). */
import { describe, expect, it } from 'vitest';
import { declaredKeys, isProviderReference, passwordKeys, shouldMask } from '../../../console/src/pages/connector/config-masking.js';
import type { ConfigInfos, ConfigKeyInfo } from '../../../console/src/api/types.js';

const definition = (name: string, type: ConfigKeyInfo['type']): ConfigKeyInfo => ({
  name, type, required: false, default_value: null, importance: 'HIGH', documentation: null, group: null, order: 0, width: 'NONE', display_name: name, dependents: [],
});
const infos: ConfigInfos = {
  name: 'c', error_count: 0, groups: [],
  configs: [
    { definition: definition('database.password', 'PASSWORD'), value: null },
    { definition: definition('database.user', 'STRING'), value: null },
    { definition: definition('token.count', 'INT'), value: null },
    { definition: null, value: { name: 'unknown', value: 'x', recommended_values: [], errors: [], visible: true } },
  ],
};

describe('shouldMask', () => {
  const passwords = passwordKeys(infos);
  const declared = declaredKeys(infos);

  it('masks keys the plugin declares PASSWORD, and undeclared keys named like secrets', () => {
    expect(shouldMask('database.password', 'hunter2', passwords, declared)).toBe(true);
    expect(shouldMask('consumer.override.sasl.jaas.config', 'org.apache...required;', passwords, declared)).toBe(true);
    expect(shouldMask('aws.secret.access.key', 'abc', passwords, declared)).toBe(true);
  });

  it('trusts a declaration over the key name, and shows ordinary keys', () => {
    expect(shouldMask('token.count', '3', passwords, declared)).toBe(false);
    expect(shouldMask('database.user', 'app', passwords, declared)).toBe(false);
    expect(shouldMask('topics', 'orders', passwords, declared)).toBe(false);
  });

  it('never masks a config provider reference or an empty value', () => {
    expect(isProviderReference('${file:/etc/secrets/db.properties:password}')).toBe(true);
    expect(isProviderReference('${env:DB_PASSWORD}')).toBe(true);
    expect(isProviderReference('hunter2')).toBe(false);
    expect(shouldMask('database.password', '${file:/etc/secrets/db.properties:password}', passwords, declared)).toBe(false);
    expect(shouldMask('database.password', '', passwords, declared)).toBe(false);
  });
});
