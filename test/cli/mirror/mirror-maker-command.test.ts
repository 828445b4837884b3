import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runMirrorMakerCommand, selectHerders } from '../../../cli/commands/mirror-maker-command.js';
import { parseMirrorMakerConfig } from '../../../connectors/mirror/dedicated/mirror-maker-config.js';
import { parseProperties } from '../../../runtime/config/properties-file.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { captureCommand } from './process-output.js';

const dir = tempDir('ferry-mm2-cli-');

function file(name: string, text: string): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, text);
  return target;
}

function run(...args: string[]) {
  return captureCommand(() => runMirrorMakerCommand(args));
}

const TWO = 'clusters = A, B\nA.bootstrap.servers = 127.0.0.1:1\nB.bootstrap.servers = 127.0.0.1:1\nA->B.enabled = true\n';

it('explains its usage', async () => {
  expect(await run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: ferry mirror-maker FILE.properties [--clusters A,B]') });
  expect(await run()).toEqual({ code: 2, stdout: '', stderr: "ferry mirror-maker: missing FILE.properties\nRun 'ferry mirror-maker --help' for usage.\n" });
  expect((await run('a', 'b')).stderr).toMatch(/^ferry mirror-maker: unexpected argument 'b'\n/);
  expect((await run(file('ok.properties', TWO), '--clusters', ' , ')).stderr).toMatch(/--clusters needs at least one cluster alias/);
});

it.each([
  ['a missing file', () => [path.join(dir, 'nope.properties')], /^ferry mirror-maker: cannot read .*nope\.properties: no such file; check the path$/m],
  ['no clusters', () => [file('none.properties', 'A.bootstrap.servers = x:1\n')], /^ferry mirror-maker: .*none\.properties: clusters is not set/],
  ['a cluster without servers', () => [file('nobs.properties', 'clusters = A, B\nA.bootstrap.servers = x:1\n')],
    /^ferry mirror-maker: .*nobs\.properties: cluster 'B' has no bootstrap\.servers: set B\.bootstrap\.servers$/m],
  ['a flow to an unknown cluster', () => [file('flow.properties', `${TWO}A->C.enabled = true\n`)], /names cluster 'C', which is not in clusters \(A, B\)$/m],
  ['--clusters naming an unknown cluster', () => [file('t1.properties', TWO), '--clusters', 'B,Z'],
    /^ferry mirror-maker: --clusters names 'Z', which is not in clusters \(A, B\)$/m],
  ['nothing to run', () => [file('off.properties', 'clusters = A, B\nA.bootstrap.servers = x:1\nB.bootstrap.servers = x:1\nemit.heartbeats.enabled = false\n')],
    /^ferry mirror-maker: no flow is enabled and heartbeats are off: nothing to run/],
  ['a fixed REST port for two herders', () => [file('port.properties', `${TWO}listeners = http://:8083\n`)],
    /^ferry mirror-maker: listeners 'http:\/\/:8083' has a fixed port, but this node runs 2 herders \(A->B, B->A\)/],
  ['a bad internal REST flag', () => [file('rest.properties', `${TWO}dedicated.mode.enable.internal.rest = on\n`)],
    /dedicated\.mode\.enable\.internal\.rest must be true or false, got 'on'$/m],
])('fails on %s with one line and no stack', async (_what, args, message) => {
  const { code, stderr } = await run(...args());
  expect(code).toBe(1);
  expect(stderr).toMatch(message);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
});

it('--clusters keeps the herders whose target is listed', () => {
  const config = parseMirrorMakerConfig(parseProperties(`clusters = A, B, C\nA.bootstrap.servers = a:1\nB.bootstrap.servers = b:1\nC.bootstrap.servers = c:1\nA->B.enabled = true\n`));
  expect(selectHerders(config, undefined)).toHaveLength(6);
  expect(selectHerders(config, ['B']).map((h) => h.name)).toEqual(['A->B', 'C->B']);
  expect(selectHerders(config, ['A', 'C']).map((h) => h.name)).toEqual(['A->C', 'B->A', 'B->C', 'C->A']);
});
