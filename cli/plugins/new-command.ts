/**
 * `ferry plugins new NAME [--dir D] [--kind source|sink] [--ferry SPEC]`: writes a connector
 * plugin package (TypeScript source, tsconfig, package.json with the build and test scripts, a
 * test using the conformance kit, a README) into D (default ./NAME). An existing directory that
 * is not empty is refused, so nothing of the user's is ever overwritten.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { defineCommand } from '../command-line/command-spec.js';
import { UsageError, UserError } from '../command-line/user-error.js';
import { packageNameProblem, scaffoldNames, writeScaffold } from './scaffold.js';

async function entriesOf(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new UserError(`${dir} exists and is not a directory`);
    throw new UserError(`cannot read ${dir}: ${(err as Error).message}`);
  }
}

/** `dir` relative to the current directory when it is below it, else absolute. */
function shortPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

export const newCommand = defineCommand({
  name: 'new',
  summary: 'write a new connector plugin package (TypeScript, a conformance-kit test, a README)',
  description: 'The package builds with npm run build and tests itself with npm test (the ferry/testing kit in a real worker). '
    + 'Put its folder on a worker\'s plugin.path to run it.',
  options: {
    dir: { type: 'string', valueName: 'DIR', description: 'where to write it (must not exist or be empty)', defaultDescription: './NAME' },
    kind: { type: 'string', choices: ['source', 'sink'], default: 'source', description: 'a source or a sink connector' },
    ferry: {
      type: 'string', valueName: 'SPEC', description: 'ferry\'s version in the package\'s devDependencies',
      defaultDescription: 'file: this ferry\'s folder',
    },
  },
  positionals: [{ name: 'name', valueName: 'NAME', description: 'the npm package name, e.g. acme-inbox-source' }],
  async run({ options, args, io }) {
    const problem = packageNameProblem(args.name);
    if (problem !== undefined) throw new UsageError(`'${args.name}' is not a package name: ${problem}`);
    const dir = path.resolve(options.dir ?? args.name.slice(args.name.lastIndexOf('/') + 1));
    const entries = await entriesOf(dir);
    if (entries !== null && entries.length > 0) throw new UserError(`${dir} is not empty; give a new or empty directory with --dir`);
    const files = await writeScaffold({ name: args.name, dir, kind: options.kind, ...(options.ferry ? { ferrySpec: options.ferry } : {}) });
    const names = scaffoldNames(args.name, options.kind);
    io.stdout.write(`Wrote ${options.kind} connector ${names['CLASS']} to ${dir}:\n`
      + files.map((f) => `  ${f}\n`).join('')
      + `Next: cd ${shortPath(dir)} && npm install && npm test\n`);
  },
});
