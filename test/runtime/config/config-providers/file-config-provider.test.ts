import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import { ConfigProviderError } from '../../../../runtime/config/config-providers/config-provider.js';
import { FileConfigProvider } from '../../../../runtime/config/config-providers/file-config-provider.js';

let root: string;
let secrets: string;
let dbFile: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-file-provider-'));
  secrets = join(root, 'secrets');
  await mkdir(secrets);
  dbFile = join(secrets, 'db.properties');
  await writeFile(dbFile, '# database\nuser = ferry\npassword=s3cr3t!\\\n  continued\nurl: jdbc:postgresql://db:5432/app\n');
  await writeFile(join(root, 'outside.properties'), 'password=leaked\n');
  await mkdir(join(root, 'secrets-old'));
  await writeFile(join(root, 'secrets-old', 'db.properties'), 'password=old\n');
  await symlink(join(root, 'outside.properties'), join(secrets, 'link.properties'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FileConfigProvider', () => {
  it('returns the requested keys of a properties file', async () => {
    const data = await new FileConfigProvider().get(dbFile, new Set(['user', 'password']));
    expect(Object.fromEntries(data.data)).toEqual({ user: 'ferry', password: 's3cr3t!continued' });
  });

  it('returns every key when no keys are asked for', async () => {
    const data = await new FileConfigProvider().get(dbFile);
    expect([...data.data.keys()].sort()).toEqual(['password', 'url', 'user']);
    expect(data.data.get('url')).toBe('jdbc:postgresql://db:5432/app');
  });

  it('leaves out keys the file does not have', async () => {
    const data = await new FileConfigProvider().get(dbFile, new Set(['user', 'missing']));
    expect([...data.data.keys()]).toEqual(['user']);
  });

  it('returns nothing for an empty path', async () => {
    expect((await new FileConfigProvider().get('')).data.size).toBe(0);
  });

  it('fails with the path in the message when the file cannot be read', async () => {
    const missing = join(root, 'nope.properties');
    await expect(new FileConfigProvider().get(missing)).rejects.toThrow(`Could not read properties from file ${missing}: ENOENT`);
  });

  it('reads files inside allowed.paths', async () => {
    const provider = new FileConfigProvider({ 'allowed.paths': secrets });
    expect((await provider.get(dbFile, new Set(['user']))).data.get('user')).toBe('ferry');
  });

  it('refuses files outside allowed.paths with a clear error', async () => {
    const provider = new FileConfigProvider({ 'allowed.paths': secrets });
    const outside = join(root, 'outside.properties');
    await expect(provider.get(outside)).rejects.toThrow(ConfigProviderError);
    await expect(provider.get(outside)).rejects.toThrow(`The path ${outside} is not allowed to be read; allowed.paths is ${secrets}`);
  });

  it('refuses a sibling directory whose name merely starts with an allowed path', async () => {
    const provider = new FileConfigProvider({ 'allowed.paths': secrets });
    await expect(provider.get(join(root, 'secrets-old', 'db.properties'))).rejects.toThrow('is not allowed to be read');
  });

  it('refuses paths that climb out of an allowed path with ..', async () => {
    const provider = new FileConfigProvider({ 'allowed.paths': secrets });
    await expect(provider.get(`${secrets}/../outside.properties`)).rejects.toThrow('is not allowed to be read');
  });

  it('refuses a symbolic link inside an allowed path that points outside it', async () => {
    const provider = new FileConfigProvider({ 'allowed.paths': secrets });
    await expect(provider.get(join(secrets, 'link.properties'))).rejects.toThrow('is not allowed to be read');
  });

  it('rejects allowed.paths entries that are relative or do not exist', () => {
    expect(() => new FileConfigProvider({ 'allowed.paths': 'relative/dir' })).toThrow(ConfigError);
    expect(() => new FileConfigProvider({ 'allowed.paths': `${secrets},${join(root, 'missing')}` }))
      .toThrow(`Path ${join(root, 'missing')} is not valid. The path should be absolute and exist`);
  });
});
