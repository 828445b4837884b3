/**
 * Can the image run every command? The final stage holds only some folders of dist/ and the
 * production node_modules. Starting from the script the Dockerfile's ENTRYPOINT runs, every
 * module ferry can load (static imports, the CLI's per-command dynamic imports, require() calls)
 * is followed through the TypeScript sources: each must compile into a dist/ folder the
 * Dockerfile copies, and each package it loads must be a production dependency that
 * `npm prune --omit=dev` keeps.
 */
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type JSONInstruction, type ModifiableInstruction } from 'dockerfile-ast';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const DOCKERFILE = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>;
};
const LOCK = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
};

interface ImageLayout {
  /** The script the ENTRYPOINT runs, in the image (`/app/dist/cli/ferry.js`). */
  readonly entryScript: string;
  /** Folders of dist/ copied into the final stage, relative to the repository (`dist/cli`). */
  readonly distFolders: string[];
}

/** What the Dockerfile's final stage holds: the entry script and the dist/ folders it copies. */
function imageLayout(dockerfile: string): ImageLayout {
  const instructions = DockerfileParser.parse(dockerfile).getInstructions();
  const lastFrom = instructions.map((i) => i.getKeyword()).lastIndexOf('FROM');
  const final = instructions.slice(lastFrom + 1);
  const entrypoint = final.filter((i) => i.getKeyword() === 'ENTRYPOINT').at(-1) as JSONInstruction | undefined;
  const argv = entrypoint?.getJSONStrings().map((s) => s.getJSONValue()) ?? [];
  const distFolders = final
    .filter((i) => i.getKeyword() === 'COPY' && (i as ModifiableInstruction).getFlags().some((f) => f.getName() === 'from'))
    .map((i) => i.getArguments()[0]?.getValue() ?? '')
    .filter((src) => src.startsWith('/app/dist'))
    .map((src) => path.posix.relative('/app', src));
  return { entryScript: argv.find((a) => a.endsWith('.js')) ?? '', distFolders };
}

interface Reference {
  readonly specifier: string;
  readonly from: string;
}

/** The modules a source file loads at run time: value imports and re-exports, import(), require() and createRequire(...)(). */
function runtimeReferences(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const literal = (node: ts.Node | undefined) => (node !== undefined && ts.isStringLiteralLike(node) ? node.text : undefined);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const spec = literal(node.moduleSpecifier);
      if (spec !== undefined) out.push(spec);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier !== undefined) {
      const spec = literal(node.moduleSpecifier);
      if (spec !== undefined) out.push(spec);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = (ts.isIdentifier(callee) && callee.text === 'require')
        || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve')
        || (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire');
      const spec = literal(node.arguments[0]);
      if ((isImport || isRequire) && spec !== undefined) out.push(spec);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** `./x.js` from a source file → the TypeScript file it compiles from. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts'), base];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

interface Closure {
  /** Source files reached, relative to the repository. */
  readonly files: string[];
  /** Package name → the files that load it. */
  readonly packages: Map<string, string[]>;
  readonly unresolved: Reference[];
}

function closureFrom(entry: string): Closure {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const unresolved: Reference[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const rel = path.relative(REPO, file);
    if (files.has(rel)) continue;
    files.add(rel);
    for (const specifier of runtimeReferences(file)) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (target === undefined) unresolved.push({ specifier, from: rel });
        else if (target.endsWith('.ts')) queue.push(target);
        else unresolved.push({ specifier, from: rel });
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const name = packageName(specifier);
        packages.set(name, [...(packages.get(name) ?? []), rel]);
      }
    }
  }
  return { files: [...files].sort(), packages, unresolved };
}

/** Everything that would be missing from an image built by `dockerfile` with `dependencies` as production dependencies. */
function missingFromImage(dockerfile: string, dependencies: Record<string, string>): string[] {
  const problems: string[] = [];
  const layout = imageLayout(dockerfile);
  if (!layout.entryScript.startsWith('/app/dist/')) return [`ENTRYPOINT runs ${layout.entryScript || 'no script'}, not one in /app/dist`];
  const entry = path.join(REPO, path.posix.relative('/app/dist', layout.entryScript).replace(/\.js$/, '.ts'));
  if (!fs.existsSync(entry)) return [`the ENTRYPOINT's ${layout.entryScript} compiles from ${path.relative(REPO, entry)}, which does not exist`];
  const closure = closureFrom(entry);
  for (const { specifier, from } of closure.unresolved) problems.push(`${from} loads ${specifier}, which is no TypeScript source (tsc would not emit it)`);
  for (const file of closure.files) {
    const output = path.posix.join('dist', file.replace(/\.ts$/, '.js'));
    if (!layout.distFolders.some((folder) => output.startsWith(`${folder}/`))) {
      problems.push(`${output} (from ${file}) is not in the image: the final stage copies only ${layout.distFolders.join(', ')}`);
    }
  }
  for (const [name, users] of closure.packages) {
    if (dependencies[name] === undefined) {
      const dev = PACKAGE.devDependencies[name] !== undefined ? ' (a devDependency, pruned from the image)' : '';
      problems.push(`${name}, loaded by ${users[0]}, is not a production dependency in package.json${dev}`);
    } else if (LOCK.packages[`node_modules/${name}`]?.dev === true) {
      problems.push(`package-lock.json marks ${name} dev-only, so npm prune --omit=dev removes it`);
    }
  }
  return problems;
}

describe('the image can run every ferry command', () => {
  const layout = imageLayout(DOCKERFILE);
  const closure = closureFrom(path.join(REPO, 'cli/ferry.ts'));

  it('starts from cli/ferry.ts and reaches every command the CLI loads on demand', () => {
    expect(layout.entryScript).toBe('/app/dist/cli/ferry.js');
    for (const command of ['start', 'broker', 'worker', 'connectors', 'mirror-maker', 'mirror']) {
      expect(closure.files, command).toContain(`cli/commands/${command}-command.ts`);
    }
    expect(closure.files.some((f) => f.startsWith('connectors/mysql/'))).toBe(true);
    expect(closure.files.some((f) => f.startsWith('broker/'))).toBe(true);
    expect(closure.packages.has('mysql2')).toBe(true);
    expect(closure.packages.has('@node-rs/crc32')).toBe(true); // loaded with createRequire(...)()
  });

  it('finds every module it loads in the dist/ folders the Dockerfile copies, and every package among the production dependencies', () => {
    expect(missingFromImage(DOCKERFILE, PACKAGE.dependencies)).toEqual([]);
  });

  it('copies no dist/ folder the commands never load (dist/test, dist/bench)', () => {
    const used = new Set(closure.files.map((f) => `dist/${f.split('/')[0]}`));
    // Not modules: the web console's built files, which api/routes/console.ts reads and serves at /ui.
    if (closure.files.includes('api/routes/console.ts')) used.add('dist/console');
    expect(layout.distFolders.filter((folder) => !used.has(folder))).toEqual([]);
  });

  it('copies the web console (dist/console, files the worker serves at /ui, built by npm run build)', () => {
    expect(closure.files).toContain('api/routes/console.ts');
    expect(layout.distFolders).toContain('dist/console');
  });

  it('reports a dist/ folder the Dockerfile forgot to copy', () => {
    const problems = missingFromImage(DOCKERFILE.replace(/^COPY --from=build \/app\/dist\/connectors .*\n/m, ''), PACKAGE.dependencies);
    expect(problems.some((p) => /^dist\/connectors\/mysql\/.* is not in the image/.test(p)), problems.join('\n')).toBe(true);
  });

  it('reports a package that is only a devDependency', () => {
    const { pino: _pino, ...withoutPino } = PACKAGE.dependencies;
    const problems = missingFromImage(DOCKERFILE, withoutPino);
    expect(problems.some((p) => /^pino, loaded by .*, is not a production dependency/.test(p)), problems.join('\n')).toBe(true);
  });
});
