import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { readApplyFiles } from '../../../cli/connectors/apply-files.js';
import { tempDir } from '../../helpers/temp-dir.js';

const noStdin = Readable.from([]);

function folder(files: Record<string, unknown>): string {
  const dir = tempDir('ferry-apply-files-');
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

it('reads every *.json directly in a directory, sorted by file name, in either shape', async () => {
  const dir = folder({
    'b-sink.json': { name: 'orders-out', 'connector.class': 'FileStreamSink', topics: 'orders', 'tasks.max': 2 },
    'a-source.json': { name: 'orders-in', config: { 'connector.class': 'FileStreamSource', topic: 'orders' }, initial_state: 'PAUSED' },
    'notes.txt': 'not a connector',
    '.a-swap.json': '{',
  });
  fs.mkdirSync(path.join(dir, 'older.json'));
  fs.mkdirSync(path.join(dir, 'nested'));
  fs.writeFileSync(path.join(dir, 'nested', 'c.json'), '{');

  const { connectors, problems } = await readApplyFiles(dir, noStdin);

  expect(problems).toEqual([]);
  expect(connectors).toEqual([
    {
      name: 'orders-in', file: path.join(dir, 'a-source.json'),
      config: { 'connector.class': 'FileStreamSource', topic: 'orders' }, initialState: 'PAUSED',
    },
    {
      name: 'orders-out', file: path.join(dir, 'b-sink.json'),
      config: { name: 'orders-out', 'connector.class': 'FileStreamSink', topics: 'orders', 'tasks.max': '2' }, initialState: undefined,
    },
  ]);
});

it('follows symbolic links to files, as Kubernetes mounts config maps', async () => {
  const real = folder({ 'sink.json': { name: 'linked', 'connector.class': 'FileStreamSink', topics: 't' } });
  const dir = tempDir('ferry-apply-links-');
  fs.symlinkSync(path.join(real, 'sink.json'), path.join(dir, 'sink.json'));
  const { connectors, problems } = await readApplyFiles(dir, noStdin);
  expect(problems).toEqual([]);
  expect(connectors.map((c) => c.name)).toEqual(['linked']);
});

it('reads one file given by path, or standard input for -', async () => {
  const dir = folder({ 'one.json': { name: 'one', 'connector.class': 'FileStreamSink', topics: 't' } });
  const fromFile = await readApplyFiles(path.join(dir, 'one.json'), noStdin);
  expect(fromFile.connectors.map((c) => [c.name, c.file])).toEqual([['one', path.join(dir, 'one.json')]]);

  const fromStdin = await readApplyFiles('-', Readable.from([JSON.stringify({ name: 'piped', config: { topics: 't' } })]));
  expect(fromStdin.connectors.map((c) => [c.name, c.file])).toEqual([['piped', 'standard input']]);
});

it('names every problem of every file at once', async () => {
  const dir = folder({
    '1-broken.json': '{"name": "broken", ',
    '2-nameless.json': { 'connector.class': 'FileStreamSink', topics: 't' },
    '3-mismatch.json': { name: 'outer', config: { name: 'inner', topics: 't' } },
    '4-nested.json': { name: 'nested', config: { topics: 't', transforms: ['a'], 'errors.tolerance': null } },
    '5-list.json': '[1, 2]',
    '6-good.json': { name: 'good', topics: 't' },
  });
  const { problems } = await readApplyFiles(dir, noStdin);
  expect(problems).toEqual([
    expect.stringMatching(new RegExp(`^${path.join(dir, '1-broken.json')} is not valid JSON: `)),
    `${path.join(dir, '2-nameless.json')} does not name the connector: add a "name" field`,
    `${path.join(dir, '3-mismatch.json')} names the connector 'outer' but its config says "name": "inner"`,
    `${path.join(dir, '4-nested.json')}: "transforms" must be a string, number or boolean, not an array`,
    `${path.join(dir, '4-nested.json')}: "errors.tolerance" must be a string, number or boolean, not null`,
    `${path.join(dir, '5-list.json')} must hold a JSON object`,
  ]);
});

it('refuses a connector defined in two files, naming both', async () => {
  const dir = folder({
    'a.json': { name: 'twice', topics: 'x' },
    'b.json': { name: 'once', topics: 'y' },
    'c.json': { name: 'twice', config: { topics: 'z' } },
  });
  const { problems } = await readApplyFiles(dir, noStdin);
  expect(problems).toEqual([`connector 'twice' is defined more than once: in ${path.join(dir, 'a.json')} and ${path.join(dir, 'c.json')}`]);
});

it('says so when the path is missing or the directory holds no connector files', async () => {
  const dir = folder({ 'README.md': '# connectors' });
  expect((await readApplyFiles(dir, noStdin)).problems).toEqual([`${dir} holds no *.json connector files`]);
  const missing = path.join(dir, 'missing');
  expect((await readApplyFiles(missing, noStdin)).problems).toEqual([expect.stringMatching(new RegExp(`^cannot read ${missing}: ENOENT`))]);
});
