/**
 * `ferry connectors apply`: checks every connector file, then applies them in order and reports
 * each connector as it goes (stdout), with problems and waits on stderr. Resolves to the exit
 * code: 1 when a file is bad (then nothing is sent), a connector failed, or the worker stayed
 * unavailable; 0 otherwise. Compose's one-shot services run it, so its output is what a user
 * reads in `docker compose logs`.
 */
import { applyConnectors } from './apply-connectors.js';
import { readApplyFiles } from './apply-files.js';
import { actionWidth, formatApplyLine, toJsonEntry } from './apply-report.js';
import { describeUnavailable, formatSeconds } from './apply-wait.js';
import type { CommandIo } from '../command-line/command-io.js';
import { progressLine, type ProgressStream } from '../command-line/progress-line.js';
import type { ConnectClient } from './connect-client.js';

export interface ApplyInvocation {
  /** `-f DIR|FILE|-`. */
  target: string;
  client: ConnectClient;
  json: boolean;
  dryRun: boolean;
  waitMs: number;
  io: CommandIo;
}

export async function runApply(inv: ApplyInvocation): Promise<number> {
  const { stdout, stderr } = inv.io;
  const { connectors, problems } = await readApplyFiles(inv.target, inv.io.stdin);
  if (problems.length > 0) {
    for (const problem of problems) stderr.write(`Error: ${problem}\n`);
    stderr.write(`Nothing applied: ${problems.length === 1 ? 'fix the problem above' : `fix the ${problems.length} problems above`} and run again.\n`);
    if (inv.json) stdout.write('[]\n');
    return 1;
  }

  const width = actionWidth(inv.dryRun);
  // On a terminal, what is being waited for; elsewhere nothing beyond the lines below.
  const progress = progressLine(stderr as ProgressStream);
  let current = '';
  let waitingSince: number | undefined;
  const outcome = await applyConnectors(connectors, {
    client: inv.client,
    dryRun: inv.dryRun,
    waitMs: inv.waitMs,
    onConnector: (connector, index) => {
      current = `${connector.name} (${index + 1} of ${connectors.length})`;
      progress.update(`Applying ${current}`);
    },
    onResult: (result) => {
      progress.clear();
      if (!inv.json) stdout.write(formatApplyLine(result, width));
    },
    onFirstWait: (problem) => {
      progress.clear();
      stderr.write(`Waiting up to ${formatSeconds(inv.waitMs)} for the worker: ${describeUnavailable(problem)}\n`);
      waitingSince = Date.now();
    },
    onWait: (problem) => {
      const waited = formatSeconds(Math.round((Date.now() - (waitingSince ?? Date.now())) / 1000) * 1000);
      progress.update(`Applying ${current}: waited ${waited} of ${formatSeconds(inv.waitMs)} for the worker: ${describeUnavailable(problem)}`);
    },
  });
  progress.clear();
  const results = [...outcome.results];
  if (outcome.gaveUp) {
    const { error, notApplied } = outcome.gaveUp;
    stderr.write(`Error: ${error.message}; not applied: ${notApplied.map(({ name }) => name).join(', ')}\n`);
    results.push(...notApplied.map(({ name, file }) => ({ name, file, action: 'failed' as const, error: `not applied: ${error.message}` })));
  }
  if (inv.json) stdout.write(`${JSON.stringify(results.map(toJsonEntry), null, 2)}\n`);
  return results.some((result) => result.action === 'failed') ? 1 : 0;
}
