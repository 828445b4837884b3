/**
 * What every console browser test starts from: a real `ferry start` (from dist/, so `npm run
 * build` first: it also builds the console into dist/console) with its REST API and the console
 * on one port, a REST client to arrange state from outside the browser, and file connector
 * configs that need nothing but the bundled broker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConnectRest } from '../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../helpers/ferry-process.js';
import { tempDir } from '../helpers/temp-dir.js';

export interface ConsoleFerry {
  readonly ferry: FerryProcess;
  readonly rest: ConnectRest;
  /** A directory for the connectors' files, removed after the test file. */
  readonly files: string;
  /** The absolute URL of a console path: ui('/') is the overview, ui('/connectors/x') a connector page. */
  ui(consolePath: string): string;
}

export async function startConsoleFerry(settings: Record<string, string> = {}): Promise<ConsoleFerry> {
  const ferry = await startFerry({ dataDir: tempDir('ferry-console-data-'), settings });
  return {
    ferry,
    rest: new ConnectRest(ferry.restUrl),
    files: tempDir('ferry-console-files-'),
    ui: (consolePath) => `${ferry.restUrl}/ui${consolePath.startsWith('/') ? consolePath : `/${consolePath}`}`,
  };
}

/** A FileStreamSource config reading `file` (created with `lines` when missing) into `topic`. */
export function fileSourceConfig(file: string, topic: string, lines: readonly string[] = []): Record<string, string> {
  if (!fs.existsSync(file)) fs.writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
  return { 'connector.class': 'FileStreamSource', file, topic };
}

/** A FileStreamSink config appending the records of `topics` to `file`. */
export function fileSinkConfig(file: string, topics: string): Record<string, string> {
  return { 'connector.class': 'FileStreamSink', file, topics };
}

/** `name` under the harness's files directory. */
export function fileIn(h: ConsoleFerry, name: string): string {
  return path.join(h.files, name);
}
