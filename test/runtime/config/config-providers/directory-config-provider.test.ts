import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryConfigProvider } from '../../../../runtime/config/config-providers/directory-config-provider.js';

let root: string;
let mount: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-dir-provider-'));
  mount = join(root, 'mount');
  const data = join(mount, '..2024_01_01');
  await mkdir(data, { recursive: true });
  await writeFile(join(data, 'password'), 'hunter2\n');
  await writeFile(join(data, 'username'), 'ferry');
  await symlink('..2024_01_01', join(mount, '..data'));
  await symlink(join('..data', 'password'), join(mount, 'password'));
  await symlink(join('..data', 'username'), join(mount, 'username'));
  await mkdir(join(mount, 'nested'));
  await writeFile(join(root, 'elsewhere'), 'outside');
  await symlink(join(root, 'elsewhere'), join(mount, 'escape'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('DirectoryConfigProvider', () => {
  it('returns each requested file of the directory with its content untrimmed', async () => {
    const data = await new DirectoryConfigProvider().get(mount, new Set(['password', 'username']));
    expect(Object.fromEntries(data.data)).toEqual({ password: 'hunter2\n', username: 'ferry' });
  });

  it('lists only regular files, following links as mounted secret volumes use them', async () => {
    const data = await new DirectoryConfigProvider().get(mount);
    expect([...data.data.keys()].sort()).toEqual(['escape', 'password', 'username']);
  });

  it('leaves out keys with no file of that name', async () => {
    const data = await new DirectoryConfigProvider().get(mount, new Set(['token']));
    expect(data.data.size).toBe(0);
  });

  it('reads inside allowed.paths even through links that stay inside', async () => {
    const provider = new DirectoryConfigProvider({ 'allowed.paths': mount });
    expect((await provider.get(mount, new Set(['password']))).data.get('password')).toBe('hunter2\n');
  });

  it('refuses a directory outside allowed.paths', async () => {
    const provider = new DirectoryConfigProvider({ 'allowed.paths': mount });
    await expect(provider.get(root, new Set(['elsewhere']))).rejects.toThrow(`The path ${root} is not allowed to be read`);
  });

  it('refuses a file that links outside allowed.paths', async () => {
    const provider = new DirectoryConfigProvider({ 'allowed.paths': mount });
    await expect(provider.get(mount, new Set(['escape']))).rejects.toThrow('is not allowed to be read');
  });

  it('fails clearly when the path is not a directory', async () => {
    const file = join(root, 'elsewhere');
    await expect(new DirectoryConfigProvider().get(file)).rejects.toThrow(`Could not list directory ${file}: it is not a directory`);
  });
});
