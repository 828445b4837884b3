/**
 * Where this ferry's command-line entry point is, found from the kit's own file so that it is
 * right both in ferry's repository and when the kit is imported from a plugin's
 * node_modules/ferry: from the build (dist/testing) it is dist/cli/ferry.js next to it; from the
 * TypeScript source (testing/, as ferry's own tests run it) it is the build's dist/cli/ferry.js.
 * The kit always runs the ferry it ships with.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function ferryCliPath(): string {
  const candidates = [
    path.resolve(import.meta.dirname, '../cli/ferry.js'),
    path.resolve(import.meta.dirname, '../dist/cli/ferry.js'),
  ];
  const cli = candidates.find((c) => existsSync(c));
  if (cli === undefined) {
    throw new Error(`ferry's command line is not at ${candidates.join(' or ')}: build ferry first (npm run build in the ferry package)`);
  }
  return cli;
}
