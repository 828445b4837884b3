/**
 * Builds an OpenAPI 3.1 document from the registered routes' schemas. Shared schemas become
 * `components.schemas` (their `Name#` references rewritten to `#/components/schemas/Name`);
 * path and query parameters are read from the `params` / `querystring` schemas; a response
 * schema of type `null` (no body) becomes a response without content. Internal routes are
 * left out.
 */
import { STATUS_CODES } from 'node:http';
import type { CatalogRoute } from './route-catalog.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: OpenApiInfo;
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject> };
}

const JSON_MEDIA_TYPE = 'application/json';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Name#` or `Name#/pointer` → `#/components/schemas/Name[/pointer]`. */
function componentRef(ref: string): string {
  const hash = ref.indexOf('#');
  if (hash <= 0) return ref;
  return `#/components/schemas/${ref.slice(0, hash)}${ref.slice(hash + 1)}`;
}

function rewriteRefs(value: unknown): Json {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isObject(value)) return value as Json;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (key === '$id') continue;
    out[key] = key === '$ref' && typeof member === 'string' ? componentRef(member) : rewriteRefs(member);
  }
  return out;
}

/** `/connectors/:connector` → `/connectors/{connector}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function pathParamNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

function operationId(method: string, url: string): string {
  const words = url.split(/[/:{}\-_.]+/).filter((w) => w !== '');
  const tail = words.length === 0 ? 'Root' : words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return `${method.toLowerCase()}${tail}`;
}

export class OpenApiBuilder {
  readonly #shared = new Map<string, JsonObject>();

  constructor(sharedSchemas: readonly { $id: string }[]) {
    for (const schema of sharedSchemas) this.#shared.set(schema.$id, schema as unknown as JsonObject);
  }

  build(routes: readonly CatalogRoute[], info: OpenApiInfo): OpenApiDocument {
    const paths: OpenApiDocument['paths'] = {};
    for (const route of routes) {
      if (route.internal) continue;
      const path = openApiPath(route.url);
      (paths[path] ??= {})[route.method.toLowerCase()] = this.#operation(route);
    }
    const schemas: Record<string, JsonObject> = {};
    for (const [id, schema] of this.#shared) schemas[id] = rewriteRefs(schema) as JsonObject;
    return { openapi: '3.1.0', info, paths, components: { schemas } };
  }

  #operation(route: CatalogRoute): JsonObject {
    const schema = route.schema ?? {};
    const operation: JsonObject = { operationId: operationId(route.method, route.url) };
    if (schema.summary) operation.summary = schema.summary;
    if (schema.description) operation.description = schema.description;
    if (schema.deprecated) operation.deprecated = true;
    const parameters = [...this.#pathParameters(route.url, schema.params), ...this.#queryParameters(schema.querystring)];
    if (parameters.length > 0) operation.parameters = parameters;
    if (schema.body !== undefined) {
      operation.requestBody = { required: true, content: { [JSON_MEDIA_TYPE]: { schema: rewriteRefs(schema.body) } } };
    }
    operation.responses = this.#responses(schema.response);
    return operation;
  }

  #pathParameters(url: string, params: unknown): JsonObject[] {
    const properties = this.#properties(params);
    return pathParamNames(url).map((name) => this.#parameter(name, 'path', true, properties.get(name)));
  }

  #queryParameters(query: unknown): JsonObject[] {
    const resolved = this.#resolve(query);
    const required = new Set(Array.isArray(resolved?.required) ? resolved.required : []);
    return [...this.#properties(query)].map(([name, property]) => this.#parameter(name, 'query', required.has(name), property));
  }

  #parameter(name: string, location: 'path' | 'query', required: boolean, property: JsonObject | undefined): JsonObject {
    const { description, ...schema } = property ?? { type: 'string' };
    const parameter: JsonObject = { name, in: location, required, schema: rewriteRefs(schema) };
    if (typeof description === 'string') parameter.description = description;
    return parameter;
  }

  #responses(responses: unknown): JsonObject {
    if (!isObject(responses)) return { default: { description: 'Response' } };
    const out: JsonObject = {};
    for (const [code, schema] of Object.entries(responses)) {
      const status = STATUS_CODES[Number(code)] ?? 'Response';
      const resolved = isObject(schema) ? schema : {};
      if (resolved.type === 'null') {
        out[code] = { description: status };
        continue;
      }
      const description = typeof resolved.description === 'string' ? resolved.description : status;
      out[code] = { description, content: { [JSON_MEDIA_TYPE]: { schema: rewriteRefs(schema) } } };
    }
    return out;
  }

  /** The properties of a params/querystring schema, following one `$ref` to a shared schema. */
  #properties(schema: unknown): Map<string, JsonObject> {
    const properties = this.#resolve(schema)?.properties;
    if (!isObject(properties)) return new Map();
    return new Map(Object.entries(properties).filter((entry): entry is [string, JsonObject] => isObject(entry[1])));
  }

  #resolve(schema: unknown): JsonObject | undefined {
    if (!isObject(schema)) return undefined;
    const ref = schema.$ref;
    if (typeof ref === 'string') return this.#shared.get(ref.slice(0, ref.indexOf('#') < 0 ? undefined : ref.indexOf('#')));
    return schema;
  }
}
