/**
 * The bundled connectors load their client libraries only when a task creates a client: an idle
 * worker (which imports every plugin to build its registry) must not pay for @aws-sdk/client-s3,
 * @elastic/elasticsearch or mysql2. A child node process (of the build in dist/, so run
 * `npm run build` first) registers a resolve hook (node:module register) that reports every
 * module resolved, imports the plugin list, creates the registry and prints what was loaded,
 * resolved through the hook or required as CommonJS (mysql2's internals are required by path).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo-root.js';

const DIST = path.join(repoRoot(import.meta.dirname), 'dist');

const LIBRARIES = ['@aws-sdk/client-s3', '@elastic/elasticsearch', 'mysql2'] as const;

const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

/** Imports the plugin list, then the modules in `thenImport` calling their `call` export, and prints what was loaded. */
const CHILD = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const [pluginsUrl, hooksUrl, extra] = process.argv.slice(1);
const { port1, port2 } = new MessageChannel();
const resolved = [];
const END = 'data:text/javascript,export{}//end';
const ended = new Promise((done) => port1.on('message', (url) => url === END ? done() : resolved.push(url)));
register(hooksUrl, { data: { port: port2 }, transferList: [port2] });
const { builtinPlugins } = await import(pluginsUrl);
const connectors = builtinPlugins().infos(true).map((info) => info.class);
for (const [url, name] of JSON.parse(extra)) await (await import(url))[name]();
await import(END);
await ended;
port1.close();
const required = Object.keys(createRequire(import.meta.url).cache).map((file) => String(new URL('file://' + file)));
console.log(JSON.stringify({ connectors, loaded: [...resolved, ...required] }));
`;

interface ChildReport {
  connectors: string[];
  loaded: string[];
}

async function importPlugins(thenCall: Array<[module: string, exportName: string]> = []): Promise<ChildReport> {
  const hooks = `data:text/javascript,${encodeURIComponent(HOOKS)}`;
  const plugins = pathToFileURL(path.join(DIST, 'runtime/plugins/builtin-plugins.js')).href;
  const extra = JSON.stringify(thenCall.map(([module, name]) => [pathToFileURL(path.join(DIST, module)).href, name]));
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD, plugins, hooks, extra], {
    cwd: path.dirname(DIST), timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

/** The libraries among `loaded` (module URLs). */
function librariesIn(loaded: readonly string[]): string[] {
  return LIBRARIES.filter((library) => loaded.some((url) => url.includes(`/node_modules/${library}/`)));
}

describe('bundled connectors load their client libraries lazily', () => {
  it('importing the plugin list and creating the registry loads none of them', async () => {
    const report = await importPlugins();
    expect(report.connectors).toEqual(expect.arrayContaining([
      'io.confluent.connect.s3.S3SinkConnector', 'io.confluent.connect.s3.source.S3SourceConnector',
      'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector', 'io.debezium.connector.mysql.MySqlConnector',
    ]));
    expect(report.loaded.length).toBeGreaterThan(50);
    expect(librariesIn(report.loaded)).toEqual([]);
  });

  it('each connector folder\'s loader loads its library (so the check above can see one)', async () => {
    const report = await importPlugins([
      ['connectors/s3/storage/s3-module.js', 'loadS3Module'],
      ['connectors/elasticsearch/elasticsearch-module.js', 'loadElasticsearchModule'],
      ['connectors/mysql/connection/mysql-module.js', 'loadMysqlModule'],
    ]);
    expect(librariesIn(report.loaded)).toEqual([...LIBRARIES]);
  });
});
