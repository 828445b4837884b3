/**
 * The Dockerfile and .dockerignore, read with a real Dockerfile parser (dockerfile-ast) since no
 * Docker engine is here to build them: the practices of shared/reference/deployment-and-ui.md
 * A6.5 (what hadolint would flag, and the docker-node guide), the image's contract (tini,
 * `ferry` on PATH, the non-root data dir, health check, entrypoint), and a build context that
 * holds every file the build compiles but no local install, build output or secret.
 * Each check is also shown to reject a Dockerfile broken on purpose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction, type JSONInstruction, type ModifiableInstruction } from 'dockerfile-ast';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const DOCKERFILE = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string; license: string };

interface Stage {
  readonly image: string;
  readonly name: string | null;
  readonly instructions: Instruction[];
}

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image = '', , name = null] = instruction.getArguments().map((a) => a.getValue());
      stages.push({ image, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const args = (i: Instruction) => i.getArgumentsContent() ?? '';
const flags = (i: Instruction) => Object.fromEntries((i as ModifiableInstruction).getFlags().map((f) => [f.getName(), f.getValue()]));
/** A JSON-form instruction's strings, or undefined for the shell form. */
function jsonForm(i: Instruction): string[] | undefined {
  const text = args(i).replace(/^CMD\s+/, '').trim();
  if (!text.startsWith('[')) return undefined;
  if ('getJSONStrings' in i && i.getKeyword() !== 'HEALTHCHECK') return (i as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
  return JSON.parse(text) as string[];
}
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.getKeyword() === keyword);

/** Every problem with a Dockerfile's text, one line each. */
function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const stages = stagesOf(text);
  if (stages.length < 2) return ['needs a build stage and a slim final stage (multi-stage)'];
  const final = stages.at(-1)!;
  const build = stages.slice(0, -1);

  // Base images: pinned, and one Node version in every stage (native modules built in one run in the other).
  const versions = new Set<string>();
  for (const stage of stages) {
    const match = /^node:(\d+\.\d+\.\d+)-(bookworm)(-slim)?$/.exec(stage.image);
    if (!match) problems.push(`FROM ${stage.image}: pin node:<major.minor.patch>-bookworm[-slim] (no moving or missing tag)`);
    else versions.add(`${match[1]}-${match[2]}`);
  }
  if (versions.size > 1) problems.push(`stages use different Node/Debian versions (${[...versions].join(', ')}); native modules built in one must run in the other`);
  if (!final.image.endsWith('-slim')) problems.push(`the final stage ${final.image} is not a slim image`);

  for (const stage of stages) {
    let workdir = false;
    for (const i of stage.instructions) {
      const keyword = i.getKeyword();
      if (keyword === 'WORKDIR') workdir = true;
      if (keyword === 'ADD') problems.push(`ADD ${args(i)}: use COPY (ADD also fetches URLs and unpacks archives)`);
      if (keyword === 'COPY') {
        const dest = i.getArguments().at(-1)?.getValue() ?? '';
        if (!dest.startsWith('/') && !workdir) problems.push(`COPY ${args(i)}: relative destination before any WORKDIR`);
        const from = flags(i)['from'];
        if (from !== undefined && !stages.some((s) => s.name === from)) problems.push(`COPY --from=${from}: no stage of that name`);
      }
      if (keyword === 'RUN') {
        const run = args(i);
        if (/(^|&&|;)\s*cd\s/.test(run)) problems.push(`RUN ${run}: use WORKDIR instead of cd`);
        if (/apt-get install/.test(run)) {
          if (!/apt-get update/.test(run)) problems.push('apt-get install without apt-get update in the same RUN (stale package lists from the cache)');
          if (!/--no-install-recommends/.test(run)) problems.push('apt-get install without --no-install-recommends');
          if (!/\s-y\b|--yes|--assume-yes/.test(run)) problems.push('apt-get install without -y');
          if (!/rm -rf \/var\/lib\/apt\/lists/.test(run)) problems.push('apt lists are not removed in the RUN that installs');
          const packages = /apt-get install((?:\s+[^&;|]+?))(?=\s*(&&|;|\||$))/.exec(run)?.[1]?.trim().split(/\s+/).filter((w) => !w.startsWith('-')) ?? [];
          for (const pkg of packages) if (!pkg.includes('=')) problems.push(`apt package ${pkg} is not pinned (pkg=version)`);
        }
      }
      if ((keyword === 'CMD' || keyword === 'ENTRYPOINT') && jsonForm(i) === undefined) problems.push(`${keyword} ${args(i)}: use the JSON (exec) form so signals reach the process`);
    }
  }

  // The build: dependencies cached on the lock file, dev tools pruned before the copy out.
  const buildRuns = build.flatMap((s) => s.instructions);
  const position = (predicate: (i: Instruction) => boolean) => buildRuns.findIndex(predicate);
  const lockCopy = position((i) => i.getKeyword() === 'COPY' && /package-lock\.json/.test(args(i)) && /package\.json/.test(args(i)));
  const install = position((i) => i.getKeyword() === 'RUN' && /\bnpm ci\b/.test(args(i)));
  const sources = position((i) => i.getKeyword() === 'COPY' && !/package(-lock)?\.json/.test(args(i)));
  const prune = position((i) => i.getKeyword() === 'RUN' && /npm prune --omit=dev/.test(args(i)));
  const compile = position((i) => i.getKeyword() === 'RUN' && /npm run build|\btsc\b/.test(args(i)));
  if (install < 0) problems.push('the build stage does not run npm ci (reproducible install from the lock file)');
  if (lockCopy < 0 || lockCopy > install) problems.push('package.json and package-lock.json are not copied before npm ci');
  if (sources >= 0 && sources < install) problems.push('sources are copied before npm ci, so every source change reinstalls the dependencies');
  if (compile < 0) problems.push('the build stage does not compile the TypeScript');
  if (prune < 0 || prune < compile) problems.push('npm prune --omit=dev does not follow the build, so dev dependencies reach the image');

  // The final stage: what runs.
  if (of(final, 'RUN').some((i) => /\bnpm (ci|install|i)\b/.test(args(i)))) problems.push('the final stage installs packages with npm; copy the pruned node_modules instead');
  const copiedFromBuild = of(final, 'COPY').filter((i) => flags(i)['from'] !== undefined).map((i) => i.getArguments()[0]?.getValue() ?? '');
  for (const needed of ['/app/node_modules', '/app/package.json']) {
    if (!copiedFromBuild.includes(needed)) problems.push(`the final stage does not copy ${needed} from the build`);
  }
  if (copiedFromBuild.some((src) => /^\/app\/dist\/?$|\/dist\/(test|bench)\b/.test(src))) problems.push('the final stage copies dist/test or dist/bench (or all of dist)');
  const env = of(final, 'ENV').map(args).join(' ');
  if (!/\bNODE_ENV=production\b/.test(env)) problems.push('NODE_ENV=production is not set in the final stage');
  const users = of(final, 'USER').map(args);
  if (users.length === 0 || /^(root|0)(:|$)/.test(users.at(-1)!)) problems.push('the last USER is root (or missing); run as node');
  if (!of(final, 'EXPOSE').some((i) => /\b8083\b/.test(args(i)))) problems.push('EXPOSE 8083 (the REST API) is missing');
  const finalRuns = of(final, 'RUN').map(args).join('\n');
  if (!/apt-get install[^&]*\btini\b/.test(finalRuns)) problems.push('tini is not installed in the final stage');
  if (!/\/usr\/local\/bin\/ferry/.test(finalRuns) || !/exec node \/app\/dist\/cli\/ferry\.js "\$@"/.test(finalRuns)) {
    problems.push('no /usr/local/bin/ferry wrapper running exec node /app/dist/cli/ferry.js "$@"');
  }
  if (!/mkdir -p \/var\/lib\/ferry/.test(finalRuns) || !/chown (node|node:node) \/var\/lib\/ferry/.test(finalRuns)) problems.push('/var/lib/ferry is not created owned by node');

  const entrypoint = of(final, 'ENTRYPOINT').at(-1);
  const cmd = of(final, 'CMD').at(-1);
  if (JSON.stringify(entrypoint && jsonForm(entrypoint)) !== JSON.stringify(['/usr/bin/tini', '--', 'node', '/app/dist/cli/ferry.js'])) {
    problems.push('ENTRYPOINT is not ["/usr/bin/tini", "--", "node", "/app/dist/cli/ferry.js"]');
  }
  if (JSON.stringify(cmd && jsonForm(cmd)) !== JSON.stringify(['worker'])) problems.push('CMD is not ["worker"]');
  const healthcheck = of(final, 'HEALTHCHECK').at(-1);
  const healthArgv = healthcheck ? jsonForm(healthcheck) : undefined;
  if (healthcheck === undefined) problems.push('no HEALTHCHECK');
  else if (healthArgv === undefined) problems.push('HEALTHCHECK CMD is in shell form (a shell per probe, and `sh -c` semantics)');
  else if (healthArgv.at(-1) !== 'health' || !(healthArgv[0] === 'ferry' || healthArgv.slice(0, 2).join(' ') === 'node /app/dist/cli/ferry.js')) {
    problems.push(`HEALTHCHECK runs ${healthArgv.join(' ')}, not ferry health`);
  }
  if (healthcheck !== undefined && flags(healthcheck)['start-period'] === undefined) problems.push('HEALTHCHECK has no --start-period: a starting worker would count as failing');

  const labels = of(final, 'LABEL').map(args).join(' ');
  for (const label of ['title', 'version', 'revision', 'source', 'licenses']) {
    if (!labels.includes(`org.opencontainers.image.${label}=`)) problems.push(`OCI label org.opencontainers.image.${label} is missing`);
  }
  const versionArg = /ARG FERRY_VERSION=(\S+)/.exec(text)?.[1];
  if (versionArg !== PACKAGE.version) problems.push(`ARG FERRY_VERSION=${versionArg} is not package.json's version ${PACKAGE.version}`);
  if (!labels.includes(`org.opencontainers.image.licenses="${PACKAGE.license}"`)) problems.push(`the licenses label is not package.json's ${PACKAGE.license}`);
  return problems;
}

function expectProblem(problems: string[], pattern: RegExp): void {
  expect(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n')}`).toBe(true);
}

/** The Dockerfile with `from` replaced by `to` (which must occur). */
function edited(from: string | RegExp, to: string): string {
  const out = DOCKERFILE.replace(from, to);
  expect(out, `${String(from)} is not in the Dockerfile`).not.toBe(DOCKERFILE);
  return out;
}

describe('Dockerfile', () => {
  it('follows every practice and the image contract', () => {
    expect(dockerfileProblems(DOCKERFILE)).toEqual([]);
  });

  it('is multi-stage: a build stage on full Debian Node, a slim final stage on the same Node', () => {
    const stages = stagesOf(DOCKERFILE);
    expect(stages.map((s) => s.image)).toEqual(['node:20.20.2-bookworm', 'node:20.20.2-bookworm-slim']);
    expect(stages[0]!.name).toBe('build');
  });

  it('reports moving or mismatched base images', () => {
    expectProblem(dockerfileProblems(edited('FROM node:20.20.2-bookworm-slim', 'FROM node:latest')), /FROM node:latest: pin/);
    expectProblem(dockerfileProblems(edited('FROM node:20.20.2-bookworm-slim', 'FROM node:20.19.0-bookworm-slim')), /different Node\/Debian versions/);
    expectProblem(dockerfileProblems(edited('FROM node:20.20.2-bookworm-slim', 'FROM node:20.20.2-bookworm')), /not a slim image/);
  });

  it('reports root as the last user, ADD, shell-form CMD and ENTRYPOINT, and a missing HEALTHCHECK', () => {
    expectProblem(dockerfileProblems(edited('USER node', 'USER root')), /last USER is root/);
    expectProblem(dockerfileProblems(edited('COPY . .', 'ADD . .')), /ADD \. \.: use COPY/);
    expectProblem(dockerfileProblems(edited('CMD ["worker"]', 'CMD worker')), /CMD worker: use the JSON/);
    expectProblem(dockerfileProblems(edited(/ENTRYPOINT \[.*\]/, 'ENTRYPOINT node /app/dist/cli/ferry.js')), /ENTRYPOINT .*: use the JSON/);
    expectProblem(dockerfileProblems(edited(/HEALTHCHECK[\s\S]*?"health"\]\n/, '')), /no HEALTHCHECK/);
    expectProblem(dockerfileProblems(edited('CMD ["node", "/app/dist/cli/ferry.js", "health"]', 'CMD node /app/dist/cli/ferry.js health')), /HEALTHCHECK CMD is in shell form/);
  });

  it('reports apt without --no-install-recommends, unpinned, or leaving its lists behind', () => {
    expectProblem(dockerfileProblems(edited('--no-install-recommends ', '')), /without --no-install-recommends/);
    expectProblem(dockerfileProblems(edited('tini=0.19.0-1*', 'tini')), /apt package tini is not pinned/);
    expectProblem(dockerfileProblems(edited(/\n\s+&& rm -rf \/var\/lib\/apt\/lists\/\* \\/, '')), /apt lists are not removed/);
  });

  it('reports a relative COPY before WORKDIR, and sources copied before the dependency install', () => {
    expectProblem(dockerfileProblems(edited(/FROM node:20.20.2-bookworm AS build\nWORKDIR \/app\n/, 'FROM node:20.20.2-bookworm AS build\n')), /relative destination before any WORKDIR/);
    expectProblem(dockerfileProblems(edited('COPY package.json package-lock.json ./', 'COPY . .')), /sources are copied before npm ci|not copied before npm ci/);
  });

  it('reports dev dependencies left in the image and test/bench output copied into it', () => {
    expectProblem(dockerfileProblems(edited(/npm run build \\\n\s+&& npm prune --omit=dev --no-audit --no-fund/, 'npm run build')), /npm prune --omit=dev does not follow the build/);
    expectProblem(dockerfileProblems(edited('COPY --from=build /app/dist/api ./dist/api', 'COPY --from=build /app/dist ./dist')), /copies dist\/test or dist\/bench \(or all of dist\)/);
  });

  it('reports the image contract broken: no tini, no ferry wrapper, no data dir, wrong entrypoint, no port', () => {
    expectProblem(dockerfileProblems(edited('tini=0.19.0-1*', 'ca-certificates=20230311')), /tini is not installed/);
    expectProblem(dockerfileProblems(edited(/\n\s+&& printf .*\n.*chmod 0755 \/usr\/local\/bin\/ferry \\/, '')), /no \/usr\/local\/bin\/ferry wrapper/);
    expectProblem(dockerfileProblems(edited('chown node:node /var/lib/ferry', 'true')), /\/var\/lib\/ferry is not created owned by node/);
    expectProblem(dockerfileProblems(edited('"/usr/bin/tini", "--", ', '')), /ENTRYPOINT is not/);
    expectProblem(dockerfileProblems(edited('EXPOSE 8083', 'EXPOSE 8080')), /EXPOSE 8083/);
    expectProblem(dockerfileProblems(edited('ARG FERRY_VERSION=0.1.0', 'ARG FERRY_VERSION=0.0.9')), /is not package.json's version/);
  });
});

// ---- .dockerignore ------------------------------------------------------------------------------

/** Docker's .dockerignore matching: patterns from the context root, `**` any folders, `!` re-includes, a matched folder drops its contents. */
function dockerIgnored(patterns: readonly string[], file: string): boolean {
  const toRegex = (pattern: string) => {
    const segments = pattern.replace(/^\/+/, '').split('/');
    const source = segments.map((segment, i) => {
      const last = i === segments.length - 1;
      if (segment === '**') return last ? '.*' : '(?:[^/]+/)*';
      const glob = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
      return last ? glob : `${glob}/`;
    }).join('');
    return new RegExp(`^${source}$`);
  };
  const parents = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const regex = toRegex(negated ? raw.slice(1) : raw);
    if (parents.some((p) => regex.test(p))) ignored = !negated;
  }
  return ignored;
}

function dockerignorePatterns(): string[] {
  return fs.readFileSync(path.join(REPO, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** Every file `npm run build` (tsc -p tsconfig.json) reads from the repository, relative to it. */
function filesTheBuildCompiles(): string[] {
  const configPath = path.join(REPO, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true, skipLibCheck: true, types: [] } });
  return program.getSourceFiles().map((f) => path.relative(REPO, f.fileName)).filter((f) => !f.startsWith('node_modules/') && !f.startsWith('..'));
}

describe('.dockerignore', () => {
  const patterns = dockerignorePatterns();

  it('matches paths the way Docker does (checked on its own examples)', () => {
    expect(dockerIgnored(['*.log'], 'a.log')).toBe(true);
    expect(dockerIgnored(['*.log'], 'sub/a.log')).toBe(false);
    expect(dockerIgnored(['**/*.log'], 'sub/deeper/a.log')).toBe(true);
    expect(dockerIgnored(['**/*.log'], 'a.log')).toBe(true);
    expect(dockerIgnored(['dist'], 'dist/cli/ferry.js')).toBe(true);
    expect(dockerIgnored(['docs', '!docs/keep.md'], 'docs/keep.md')).toBe(false);
  });

  it.each([
    'node_modules/pino/package.json', 'cli/node_modules/x/index.js', '.git/HEAD', 'dist/cli/ferry.js', 'data/broker/meta.json',
    'coverage/index.html', 'test-results/junit.xml', '.vitest/results.json', 'ferry.log', 'bench/out/run.json', 'logs/worker.log',
    '.env', '.env.local', 'deploy/.env.production', 'tsconfig.tsbuildinfo',
  ])('leaves %s out of the build context', (file) => {
    expect(dockerIgnored(patterns, file)).toBe(true);
  });

  it('keeps every file the build compiles (including the test helpers bench/ imports), package.json, the lock file and tsconfig.json', () => {
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', ...filesTheBuildCompiles()];
    expect(needed.filter((f) => f.startsWith('test/')).length).toBeGreaterThan(0);
    expect(needed.length).toBeGreaterThan(100);
    expect(needed.filter((f) => dockerIgnored(patterns, f))).toEqual([]);
  });
});
