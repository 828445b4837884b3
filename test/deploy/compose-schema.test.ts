/**
 * docker-compose.yml against the Compose specification's JSON schema (the copy dclint ships)
 * and dclint's rules, as `docker compose config` would judge it if a Docker engine were here.
 * Each check is also shown to reject a copy of the file broken on purpose, so a pass means
 * something.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { DCLinter } from 'dclint';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runProcess } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { cloneCompose, COMPOSE_FILE, loadCompose, REPO, type ComposeFile } from './compose-model.js';

const require = createRequire(import.meta.url);
const DCLINT_DIR = path.dirname(require.resolve('dclint/package.json'));
const DCLINT = path.join(DCLINT_DIR, 'bin/dclint.cjs');

let validate: ValidateFunction;

beforeAll(() => {
  const schema = JSON.parse(fs.readFileSync(path.join(DCLINT_DIR, 'schemas/compose.schema.json'), 'utf8')) as Record<string, unknown>;
  // Draft-07 by URL; ajv knows the draft without fetching it.
  delete schema['$schema'];
  validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
});

function schemaErrors(compose: unknown): string[] {
  return validate(compose) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** `dclint FILE` with the repository's .dclintrc, warnings counting as failures. */
async function dclint(file: string): Promise<{ code: number | null; output: string }> {
  const result = await runProcess(process.execPath, [DCLINT, file, '--config', path.join(REPO, '.dclintrc'), '--max-warnings', '0', '--color', 'false']);
  return { code: result.code, output: result.stdout + result.stderr };
}

function writeCompose(compose: ComposeFile): string {
  const file = path.join(tempDir('ferry-compose-'), 'docker-compose.yml');
  fs.writeFileSync(file, stringify(compose));
  return file;
}

describe('compose-spec schema', () => {
  it('accepts docker-compose.yml (merge keys resolved as Compose does)', () => {
    expect(schemaErrors(loadCompose())).toEqual([]);
  });

  it('rejects a misspelt service key', () => {
    const broken = cloneCompose(loadCompose());
    broken.services['mysql']!['healthchek'] = broken.services['mysql']!.healthcheck;
    expect(schemaErrors(broken).join('\n')).toMatch(/additionalProperty.*healthchek/);
  });

  it('rejects depends_on without a condition and an unknown condition', () => {
    const broken = cloneCompose(loadCompose());
    broken.services['connectors-a']!.depends_on = { mysql: { condition: 'service_ready' } };
    broken.services['connectors-b']!.depends_on = { 'ferry-b': {} as { condition: string } };
    const errors = schemaErrors(broken).join('\n');
    expect(errors).toMatch(/connectors-a\/depends_on\/mysql\/condition must be equal to one of the allowed values/);
    expect(errors).toMatch(/connectors-b\/depends_on\/ferry-b must have required property 'condition'/);
  });

  it('rejects a healthcheck key Compose does not have', () => {
    const broken = cloneCompose(loadCompose());
    broken.services['kafka-a']!.healthcheck = { ...broken.services['kafka-a']!.healthcheck, ['startup_period' as 'start_period']: '10s' };
    expect(schemaErrors(broken).join('\n')).toMatch(/kafka-a\/healthcheck must NOT have additional properties.*startup_period/);
  });
});

describe('dclint', () => {
  it('passes docker-compose.yml with no error and no warning', async () => {
    const result = await dclint(COMPOSE_FILE);
    expect(result.output.trim()).toBe('');
    expect(result.code).toBe(0);
  });

  it('fails a copy with a port published on every interface and an untagged image', async () => {
    const broken = cloneCompose(loadCompose());
    broken.services['mysql']!.ports = ['3306:3306'];
    broken.services['elasticsearch']!.image = 'docker.elastic.co/elasticsearch/elasticsearch';
    const result = await dclint(writeCompose(broken));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/no-unbound-port-interfaces/);
    expect(result.output).toMatch(/service-image-require-explicit-tag/);
  });

  it('.dclintrc keeps every rule dclint rates an error at error level; only style warnings are changed', () => {
    type RuleInfo = { name: string; type: 'error' | 'warning' };
    const rulesOf = (config: { rules: Record<string, unknown> }) =>
      (new DCLinter({ rules: config.rules, quiet: false, debug: false, exclude: [] } as ConstructorParameters<typeof DCLinter>[0]) as unknown as { rules: RuleInfo[] }).rules;
    const defaults = rulesOf({ rules: {} });
    const configured = JSON.parse(fs.readFileSync(path.join(REPO, '.dclintrc'), 'utf8')) as { rules: Record<string, unknown> };
    const ours = rulesOf(configured);
    const errorRules = defaults.filter((r) => r.type === 'error').map((r) => r.name).sort();
    expect(errorRules.length).toBeGreaterThan(5);
    expect(ours.filter((r) => r.type === 'error').map((r) => r.name).sort()).toEqual(errorRules);
    // What the file changes, and only that: the alphabetical service order is off (the file reads
    // Kafka -> databases -> workers -> one-shots), ports are quoted with the file's double quotes.
    expect(Object.keys(configured.rules).sort()).toEqual(['require-quotes-in-ports', 'services-alphabetical-order']);
    expect(ours.map((r) => r.name)).toEqual(defaults.map((r) => r.name).filter((n) => n !== 'services-alphabetical-order'));
  });
});
