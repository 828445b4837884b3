/**
 * Checks a JSON payload against a JSON Schema (`json.fail.invalid.schema=true`), with ajv: strict
 * mode off so that the `connect.*` keywords Confluent's converter writes are allowed, the draft
 * chosen by `$schema` (draft-07 when absent, as Confluent assumes; 2019-09 and 2020-12 by their
 * URIs). `format` is not checked (ferry ships no format vocabulary). Validators are compiled once
 * per schema text.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { LruCache } from '../lru-cache.js';

const OPTIONS = { strict: false, validateFormats: false, allErrors: false } as const;

export class JsonPayloadValidator {
  private readonly draft7 = new Ajv(OPTIONS);
  private readonly draft2019 = new Ajv2019(OPTIONS);
  private readonly draft2020 = new Ajv2020(OPTIONS);
  private readonly compiled: LruCache<string, ValidateFunction>;

  constructor(cacheSize: number) {
    this.compiled = new LruCache(cacheSize);
  }

  /**
   * Throws DataError naming the first violation when `payload` (JSON text) does not conform to
   * `schemaText`; `references` holds the texts of the schema's registry references by name.
   */
  check(schemaText: string, payload: string, references: ReadonlyMap<string, string> = new Map()): void {
    const validate = this.validatorFor(schemaText, references);
    if (validate(JSON.parse(payload))) return;
    const error = validate.errors?.[0];
    const where = error === undefined || error.instancePath === '' ? 'the value' : `"${error.instancePath}"`;
    throw new DataError(`Validation error: ${where} ${error?.message ?? 'does not conform to the schema'} (JSON Schema keyword ${error?.keyword ?? 'unknown'})`);
  }

  private validatorFor(schemaText: string, references: ReadonlyMap<string, string>): ValidateFunction {
    const known = this.compiled.get(schemaText);
    if (known !== undefined) return known;
    const schema = JSON.parse(schemaText) as Record<string, unknown> | boolean;
    const dialect = typeof schema === 'object' && typeof schema.$schema === 'string' ? schema.$schema : '';
    const ajv = dialect.includes('2020-12') ? this.draft2020 : dialect.includes('2019-09') ? this.draft2019 : this.draft7;
    for (const [name, text] of references) {
      if (ajv.getSchema(name) === undefined) ajv.addSchema(stripDialect(JSON.parse(text) as Record<string, unknown>), name);
    }
    const validate = ajv.compile(typeof schema === 'object' ? stripDialect(schema) : schema);
    this.compiled.set(schemaText, validate);
    return validate;
  }
}

/** The schema without `$schema`/`$id`, so that one Ajv instance can compile many (draft chosen above). */
function stripDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, $id: _id, id: _legacyId, ...rest } = schema;
  return rest;
}
