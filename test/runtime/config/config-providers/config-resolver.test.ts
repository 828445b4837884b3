import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import type { ConfigProviderFactory } from '../../../../runtime/config/config-providers/config-provider.js';
import { ConfigResolver, resolveWorkerProperties } from '../../../../runtime/config/config-providers/config-resolver.js';

let root: string;
let secretsDir: string;
let dbFile: string;
const ENV = { FERRY_T_HOST: 'db.internal', FERRY_T_PORT: '5432', FERRY_T_USER: 'ferry_app', FERRY_T_HIDDEN: 'nope' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-resolver-'));
  secretsDir = join(root, 'secrets');
  await mkdir(secretsDir);
  dbFile = join(secretsDir, 'db.properties');
  await writeFile(dbFile, 'password=Pa55word!\nuser=ferry\n');
  await writeFile(join(secretsDir, 'api-token'), 'tok-abcdef');
  await writeFile(join(root, 'outside.properties'), 'password=leaked\n');
  Object.assign(process.env, ENV);
});

afterAll(async () => {
  for (const k of Object.keys(ENV)) delete process.env[k];
  await rm(root, { recursive: true, force: true });
});

const resolvers: ConfigResolver[] = [];
afterEach(async () => {
  await Promise.all(resolvers.splice(0).map((r) => r.close()));
});

function workerProps(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'bootstrap.servers': 'localhost:9092',
    'config.providers': 'file,env,dir',
    'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    'config.providers.file.param.allowed.paths': secretsDir,
    'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    'config.providers.env.param.allowlist.pattern': 'FERRY_T_(HOST|PORT|USER)',
    'config.providers.dir.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
    ...extra,
  };
}

function resolverFor(props: Record<string, string>, options = {}): ConfigResolver {
  const resolver = ConfigResolver.fromWorkerProperties(props, options);
  resolvers.push(resolver);
  return resolver;
}

describe('ConfigResolver', () => {
  it('sets up the providers named in the worker properties', () => {
    expect(resolverFor(workerProps()).providerNames).toEqual(['file', 'env', 'dir']);
  });

  it('replaces file, env and directory placeholders in a connector config', async () => {
    const { resolved } = await resolverFor(workerProps()).resolve({
      'connection.password': `\${file:${dbFile}:password}`,
      'connection.user': '${env:FERRY_T_USER}',
      'api.token': `\${dir:${secretsDir}:api-token}`,
      'tasks.max': '2',
    });
    expect(resolved).toEqual({ 'connection.password': 'Pa55word!', 'connection.user': 'ferry_app', 'api.token': 'tok-abcdef', 'tasks.max': '2' });
  });

  it('replaces placeholders inside larger values and several in one value', async () => {
    const { resolved } = await resolverFor(workerProps()).resolve({
      'connection.url': 'jdbc:postgresql://${env:FERRY_T_HOST}:${env:FERRY_T_PORT}/app?user=${env:FERRY_T_USER}',
    });
    expect(resolved['connection.url']).toBe('jdbc:postgresql://db.internal:5432/app?user=ferry_app');
  });

  it('leaves the caller\'s config untouched', async () => {
    const raw = { 'connection.user': '${env:FERRY_T_USER}' };
    await resolverFor(workerProps()).resolve(raw);
    expect(raw).toEqual({ 'connection.user': '${env:FERRY_T_USER}' });
  });

  it('leaves placeholders of unconfigured providers as written', async () => {
    const result = await resolverFor(workerProps()).resolve({ secret: '${vault:secret/db:password}', mixed: '${env:FERRY_T_HOST}/${nope:x}' });
    expect(result.resolved).toEqual({ secret: '${vault:secret/db:password}', mixed: 'db.internal/${nope:x}' });
    expect(result.unresolved).toEqual([
      { configKey: 'secret', placeholder: '${vault:secret/db:password}', reason: 'unknown-provider' },
      { configKey: 'mixed', placeholder: '${nope:x}', reason: 'unknown-provider' },
    ]);
  });

  it('leaves placeholders of missing keys and allowlist-hidden variables as written, as Kafka does', async () => {
    const result = await resolverFor(workerProps()).resolve({
      a: `\${file:${dbFile}:nosuchkey}`,
      b: '${env:FERRY_T_HIDDEN}',
    });
    expect(result.resolved).toEqual({ a: `\${file:${dbFile}:nosuchkey}`, b: '${env:FERRY_T_HIDDEN}' });
    expect(result.unresolved.map((u) => u.reason)).toEqual(['missing-key', 'missing-key']);
  });

  it('fails the resolution when a file placeholder points outside allowed.paths', async () => {
    const outside = join(root, 'outside.properties');
    await expect(resolverFor(workerProps()).resolve({ p: `\${file:${outside}:password}` }))
      .rejects.toThrow(`Config provider 'file' could not supply password for path ${outside}: The path ${outside} is not allowed to be read`);
  });

  it('reports the resolved values as secrets', async () => {
    const { secrets } = await resolverFor(workerProps()).resolve({
      url: 'jdbc:postgresql://${env:FERRY_T_HOST}:5432/app',
      password: `\${file:${dbFile}:password}`,
      plain: 'not-a-secret',
    });
    expect([...secrets].sort()).toEqual(['Pa55word!', 'db.internal']);
  });

  it('asks each provider once per path and reports its ttl', async () => {
    const calls: string[] = [];
    const vault: ConfigProviderFactory = (params) => ({
      get(path, keys) {
        calls.push(`${path}:${[...(keys ?? [])].sort().join(',')}`);
        return { data: new Map([['user', 'u'], ['password', `${params.prefix}-pw`]]), ttl: 60_000 };
      },
    });
    const resolver = resolverFor(
      { 'config.providers': 'vault', 'config.providers.vault.class': 'com.example.VaultConfigProvider', 'config.providers.vault.param.prefix': 'v' },
      { providerClasses: new Map([['com.example.VaultConfigProvider', vault]]) },
    );
    const result = await resolver.resolve({ a: '${vault:db:user}', b: '${vault:db:password}', c: '${vault:db:user}@x' });
    expect(result.resolved).toEqual({ a: 'u', b: 'v-pw', c: 'u@x' });
    expect(calls).toEqual(['db:password,user']);
    expect(result.ttls).toEqual(new Map([['db', 60_000]]));
  });

  it('passes values that are not strings through unchanged', async () => {
    const { resolved } = await resolverFor(workerProps()).resolve({ n: 3, b: true, z: null, s: '${env:FERRY_T_PORT}' });
    expect(resolved).toEqual({ n: 3, b: true, z: null, s: '5432' });
  });

  it('accepts class aliases like other Connect plugins', () => {
    const resolver = resolverFor({
      'config.providers': 'a,b',
      'config.providers.a.class': 'FileConfigProvider',
      'config.providers.b.class': 'EnvVar',
    });
    expect(resolver.providerNames).toEqual(['a', 'b']);
  });

  it('skips a listed provider that has no class, leaving its placeholders as written', async () => {
    const resolver = resolverFor({ 'config.providers': 'env, ghost', 'config.providers.env.class': 'EnvVarConfigProvider' });
    expect(resolver.skippedProviders).toEqual(['ghost']);
    expect((await resolver.resolve({ x: '${ghost:k}' })).resolved).toEqual({ x: '${ghost:k}' });
  });

  it('rejects unknown provider classes and bad params with one config error naming the keys', () => {
    const build = () => ConfigResolver.fromWorkerProperties({
      'config.providers': 'vault,env,file',
      'config.providers.vault.class': 'com.example.Missing',
      'config.providers.env.class': 'EnvVarConfigProvider',
      'config.providers.env.param.allowlist.pattern': '(',
      'config.providers.file.class': 'FileConfigProvider',
      'config.providers.file.param.allowed.paths': 'relative',
    });
    expect(build).toThrow(ConfigError);
    try {
      build();
    } catch (err) {
      expect((err as ConfigError).issues.map((i) => i.name)).toEqual([
        'config.providers.vault.class',
        'config.providers.env.param.allowlist.pattern',
        'config.providers.file.param.allowed.paths',
      ]);
      expect((err as ConfigError).messages[0]).toBe(
        'Invalid value com.example.Missing for configuration config.providers.vault.class: Could not load config provider class or one of its dependencies',
      );
    }
  });

  it('refuses provider classes outside allowedClasses', () => {
    expect(() => ConfigResolver.fromWorkerProperties(
      { 'config.providers': 'env', 'config.providers.env.class': 'EnvVarConfigProvider' },
      { allowedClasses: ['org.apache.kafka.common.config.provider.FileConfigProvider'] },
    )).toThrow('org.apache.kafka.common.config.provider.EnvVarConfigProvider is not allowed as a config provider');
  });
});

describe('resolveWorkerProperties', () => {
  it('resolves placeholders in the worker properties with the providers they configure', async () => {
    const { resolver, worker } = await resolveWorkerProperties(workerProps({
      'producer.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required password="\${file:${dbFile}:password}";`,
      'rest.advertised.host.name': '${env:FERRY_T_HOST}',
    }));
    resolvers.push(resolver);
    expect(worker.resolved['producer.sasl.jaas.config']).toBe('org.apache.kafka.common.security.plain.PlainLoginModule required password="Pa55word!";');
    expect(worker.resolved['rest.advertised.host.name']).toBe('db.internal');
    expect(worker.resolved['config.providers.file.param.allowed.paths']).toBe(secretsDir);
    expect((await resolver.resolve({ u: '${env:FERRY_T_USER}' })).resolved.u).toBe('ferry_app');
  });
});
