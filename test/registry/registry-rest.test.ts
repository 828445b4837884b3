/**
 * The registry's REST API as a Confluent client sees it, over HTTP, on the bundled broker over
 * real TCP: every endpoint and error code of reference schema-registry.md §1.3/§1.5 that ferry
 * implements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startRegistryOn, startTestBroker, type RunningSchemaRegistry, type TestBroker } from './registry-test-kit.js';

let broker: TestBroker;
let registry: RunningSchemaRegistry;
let url: string;
let seq = 0;
const subject = (name: string) => `${name}-${++seq}`;
const record = (name: string, fields: { name: string; type: unknown; default?: unknown }[] = [{ name: 'a', type: 'string' }]) =>
  JSON.stringify({ type: 'record', name, fields });

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startRegistryOn(broker);
  url = registry.url;
});
afterAll(async () => {
  await registry?.close();
  await broker?.close();
});

describe('conventions', () => {
  it('answers the root, the types and the metadata', async () => {
    expect((await call(url, 'GET', '/')).body).toEqual({});
    expect((await call(url, 'POST', '/', {})).body).toEqual({});
    expect(new Set((await call(url, 'GET', '/schemas/types')).body)).toEqual(new Set(['AVRO', 'JSON', 'PROTOBUF']));
    expect((await call(url, 'GET', '/contexts')).body).toEqual(['.']);
    const version = await call(url, 'GET', '/v1/metadata/version');
    expect(version.body.version).toMatch(/^7\./);
    const id = await call(url, 'GET', '/v1/metadata/id');
    expect(id.body.scope.clusters['schema-registry-cluster']).toBe('schema-registry');
    expect(typeof id.body.scope.clusters['kafka-cluster']).toBe('string');
  });

  it('answers with the v1 content type unless the client accepts only plain JSON', async () => {
    expect((await call(url, 'GET', '/subjects')).contentType).toBe('application/vnd.schemaregistry.v1+json');
    expect((await call(url, 'GET', '/subjects', undefined, { accept: 'application/json' })).contentType).toMatch(/^application\/json/);
    expect((await call(url, 'GET', '/subjects', undefined, { accept: '*/*' })).contentType).toBe('application/vnd.schemaregistry.v1+json');
  });

  it('takes bodies as JSON under the registry types, application/json and octet-stream; others are 415', async () => {
    for (const type of ['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/json', 'application/octet-stream']) {
      const s = subject('ctype');
      const r = await call(url, 'POST', `/subjects/${s}/versions`, { schema: '"int"' }, { 'content-type': type });
      expect(r.status, type).toBe(200);
    }
    const r = await call(url, 'POST', `/subjects/${subject('ctype')}/versions`, 'schema=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
    expect(r.body).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' });
  });

  it('answers 404 for unknown paths (clients probing /associations fall back), 405 for a wrong method', async () => {
    const r = await call(url, 'GET', '/associations/resources/default/orders?resourceType=topic');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
    const m = await call(url, 'PATCH', '/subjects');
    expect(m.status).toBe(405);
    expect(m.body.error_code).toBe(405);
  });

  it('answers malformed JSON with 400, wrongly typed fields with 400 and a missing body with 422', async () => {
    const s = subject('bad');
    expect(await call(url, 'POST', `/subjects/${s}/versions`, '{"schema":')).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect(await call(url, 'POST', `/subjects/${s}/versions`, { schema: '"int"', references: 'x' })).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect(await call(url, 'POST', `/subjects/${s}/versions`, '')).toMatchObject({ status: 422, body: { error_code: 422 } });
  });

  it('treats a trailing slash like none', async () => {
    const s = subject('slash');
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: '"int"' });
    expect((await call(url, 'POST', `/compatibility/subjects/${s}/versions/`, { schema: '"int"' })).body).toEqual({ is_compatible: true });
    expect((await call(url, 'GET', `/subjects/${s}/versions/`)).body).toEqual([1]);
  });
});

describe('register and read', () => {
  it('registers, stores the canonical text, and reads it by id, version and latest', async () => {
    const s = subject('orders-value');
    const reg = await call(url, 'POST', `/subjects/${s}/versions?normalize=false`, { schema: '{ "type" : "string" }' });
    expect(reg.status).toBe(200);
    expect(Object.keys(reg.body)).toEqual(['id']);
    const id = reg.body.id as number;
    const byId = await call(url, 'GET', `/schemas/ids/${id}?fetchMaxId=false&subject=${s}`);
    expect(byId.body).toEqual({ schema: '"string"' });
    const v1 = await call(url, 'GET', `/subjects/${s}/versions/1`);
    expect(v1.text).toBe(`{"subject":"${s}","version":1,"id":${id},"schema":"\\"string\\""}`);
    expect((await call(url, 'GET', `/subjects/${s}/versions/latest`)).body).toEqual(v1.body);
    expect((await call(url, 'GET', `/subjects/${s}/versions/-1`)).body).toEqual(v1.body);
    expect((await call(url, 'GET', `/subjects/${s}/versions/LATEST`)).body).toEqual(v1.body);
    const raw = await call(url, 'GET', `/subjects/${s}/versions/1/schema`);
    expect(raw.text).toBe('"string"');
    expect((await call(url, 'GET', `/schemas/ids/${id}/schema`)).text).toBe('"string"');
    expect((await call(url, 'GET', `/schemas/ids/${id}?fetchMaxId=true`)).body.maxId).toBeGreaterThanOrEqual(id);
  });

  it('is idempotent, and gives the same schema in another subject the same id', async () => {
    const a = subject('idem');
    const b = subject('idem');
    const schema = record('Idem');
    const first = await call(url, 'POST', `/subjects/${a}/versions`, { schema });
    const again = await call(url, 'POST', `/subjects/${a}/versions`, { schema });
    expect(again.body).toEqual(first.body);
    expect((await call(url, 'GET', `/subjects/${a}/versions`)).body).toEqual([1]);
    const other = await call(url, 'POST', `/subjects/${b}/versions`, { schema });
    expect(other.body).toEqual(first.body);
    expect((await call(url, 'GET', `/schemas/ids/${first.body.id}/subjects`)).body).toEqual([a, b].sort());
    expect((await call(url, 'GET', `/schemas/ids/${first.body.id}/versions`)).body).toEqual([a, b].sort().map((s) => ({ subject: s, version: 1 })));
  });

  it('gives new schemas max id + 1 and new versions in order', async () => {
    const s = subject('seq');
    const one = await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('Seq') });
    const two = await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('Seq', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]) });
    expect(two.body.id).toBe(one.body.id + 1);
    expect((await call(url, 'GET', `/subjects/${s}/versions`)).body).toEqual([1, 2]);
    expect((await call(url, 'GET', `/subjects/${s}/versions/latest`)).body.version).toBe(2);
  });

  it('keeps schemaType for JSON and PROTOBUF and leaves it out for AVRO', async () => {
    const s = subject('json');
    const reg = await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'JSON', schema: '{"type":"object"}' });
    expect((await call(url, 'GET', `/schemas/ids/${reg.body.id}`)).body).toEqual({ schemaType: 'JSON', schema: '{"type":"object"}' });
    expect((await call(url, 'GET', `/subjects/${s}/versions/1`)).body.schemaType).toBe('JSON');
  });

  it('looks a schema up under a subject: 40401 for an unknown subject, 40403 for an unknown schema', async () => {
    const s = subject('lookup');
    const schema = record('Look');
    const reg = await call(url, 'POST', `/subjects/${s}/versions`, { schema });
    const found = await call(url, 'POST', `/subjects/${s}?normalize=false&deleted=false`, { schema });
    expect(found.body).toEqual({ subject: s, version: 1, id: reg.body.id, schema });
    expect(await call(url, 'POST', `/subjects/${subject('nobody')}`, { schema })).toMatchObject({
      status: 404, body: { error_code: 40401 },
    });
    expect(await call(url, 'POST', `/subjects/${s}`, { schema: record('Other') })).toMatchObject({
      status: 404, body: { error_code: 40403, message: 'Schema not found' },
    });
  });

  it('answers 40401, 40402, 40403 and 42202 with Confluent\'s messages', async () => {
    const s = subject('errors');
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: '"long"' });
    expect(await call(url, 'GET', '/subjects/missing-subject/versions')).toMatchObject({
      status: 404, body: { error_code: 40401, message: "Subject 'missing-subject' not found." },
    });
    expect(await call(url, 'GET', `/subjects/${s}/versions/7`)).toMatchObject({ status: 404, body: { error_code: 40402, message: 'Version 7 not found.' } });
    expect(await call(url, 'GET', '/schemas/ids/999999')).toMatchObject({ status: 404, body: { error_code: 40403, message: 'Schema 999999 not found' } });
    expect(await call(url, 'GET', '/schemas/ids/999999/schema')).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await call(url, 'GET', '/schemas/ids/999999/subjects')).toMatchObject({ status: 404, body: { error_code: 40403 } });
    for (const bad of ['0', 'abc', '-2']) {
      expect(await call(url, 'GET', `/subjects/${s}/versions/${bad}`)).toMatchObject({
        status: 422,
        body: { error_code: 42202, message: `The specified version '${bad}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"` },
      });
    }
  });

  it('refuses an invalid schema with 42201 and an invalid subject with 42208', async () => {
    expect(await call(url, 'POST', `/subjects/${subject('invalid')}/versions`, { schema: '{not json' })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call(url, 'POST', `/subjects/${subject('invalid')}/versions`, { schema: '' })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call(url, 'POST', `/subjects/${subject('invalid')}/versions`, { schema: '"int"', schemaType: 'XML' })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call(url, 'POST', '/subjects/__GLOBAL/versions', { schema: '"int"' })).toMatchObject({
      status: 422, body: { error_code: 42208, message: "The specified subject '__GLOBAL' is not a valid." },
    });
  });

  it('refuses a schema larger than the broker takes with 42209', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'Huge', doc: 'x'.repeat(1_200_000), fields: [] });
    const r = await call(url, 'POST', `/subjects/${subject('huge')}/versions`, { schema });
    expect(r).toMatchObject({ status: 422, body: { error_code: 42209 } });
  });

  it('takes subjects with slashes, colons and dots, and the default context prefix', async () => {
    const s = `ns.topic/with:colon-${++seq}`;
    const reg = await call(url, 'POST', `/subjects/${encodeURIComponent(s)}/versions`, { schema: '"bytes"' });
    expect(reg.status).toBe(200);
    expect((await call(url, 'GET', `/subjects/${encodeURIComponent(s)}/versions/1`)).body.subject).toBe(s);
    expect((await call(url, 'GET', `/subjects/${encodeURIComponent(`:.:${s}`)}/versions/1`)).body.subject).toBe(s);
  });

  it('lists subjects and schemas with prefixes, deleted and latestOnly', async () => {
    const s = `list-${++seq}`;
    await call(url, 'POST', `/subjects/${s}-a/versions`, { schema: record('ListA') });
    await call(url, 'POST', `/subjects/${s}-b/versions`, { schema: record('ListB') });
    await call(url, 'POST', `/subjects/${s}-b/versions`, { schema: record('ListB', [{ name: 'a', type: 'string' }, { name: 'c', type: 'int', default: 1 }]) });
    expect((await call(url, 'GET', '/subjects')).body).toEqual(expect.arrayContaining([`${s}-a`, `${s}-b`]));
    expect((await call(url, 'GET', `/subjects?subjectPrefix=${s}`)).body).toEqual([`${s}-a`, `${s}-b`]);
    const schemas = await call(url, 'GET', `/schemas?subjectPrefix=${s}`);
    expect(schemas.body.map((x: { subject: string; version: number }) => `${x.subject}/${x.version}`)).toEqual([`${s}-a/1`, `${s}-b/1`, `${s}-b/2`]);
    const latest = await call(url, 'GET', `/schemas?subjectPrefix=${s}&latestOnly=true`);
    expect(latest.body.map((x: { subject: string; version: number }) => `${x.subject}/${x.version}`)).toEqual([`${s}-a/1`, `${s}-b/2`]);
    expect((await call(url, 'GET', `/schemas?subjectPrefix=${s}&offset=1&limit=1`)).body).toHaveLength(1);
  });
});

describe('deletes', () => {
  it('soft-deletes a version: gone from versions and latest, still found by id; then hard-deletes it', async () => {
    const s = subject('delv');
    const one = await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('DelV') });
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('DelV', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]) });
    expect(await call(url, 'DELETE', `/subjects/${s}/versions/1/?permanent=true`)).toMatchObject({
      status: 404, body: { error_code: 40407, message: `Subject '${s}' Version 1 was not deleted first before being permanently deleted` },
    });
    expect((await call(url, 'DELETE', `/subjects/${s}/versions/1`)).body).toBe(1);
    expect(await call(url, 'DELETE', `/subjects/${s}/versions/1`)).toMatchObject({
      status: 404, body: { error_code: 40406, message: `Subject '${s}' Version 1 was soft deleted.Set permanent=true to delete permanently` },
    });
    expect((await call(url, 'GET', `/subjects/${s}/versions`)).body).toEqual([2]);
    expect((await call(url, 'GET', `/subjects/${s}/versions?deleted=true`)).body).toEqual([1, 2]);
    expect((await call(url, 'GET', `/subjects/${s}/versions?deletedOnly=true`)).body).toEqual([1]);
    expect((await call(url, 'GET', `/subjects/${s}/versions?deletedAsNegative=true`)).body).toEqual([-1, 2]);
    expect(await call(url, 'GET', `/subjects/${s}/versions/1`)).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect((await call(url, 'GET', `/subjects/${s}/versions/1?deleted=true`)).body.version).toBe(1);
    expect((await call(url, 'GET', `/schemas?subjectPrefix=${s}`)).body.map((x: { version: number }) => x.version)).toEqual([2]);
    expect((await call(url, 'GET', `/schemas?subjectPrefix=${s}&deleted=true`)).body.map((x: { version: number }) => x.version)).toEqual([1, 2]);
    expect((await call(url, 'GET', `/schemas/ids/${one.body.id}/subjects`)).body).toEqual([]);
    expect((await call(url, 'GET', `/schemas/ids/${one.body.id}/subjects?deleted=true`)).body).toEqual([s]);
    expect((await call(url, 'GET', `/schemas/ids/${one.body.id}`)).status).toBe(200);
    expect((await call(url, 'DELETE', `/subjects/${s}/versions/1?permanent=true`)).body).toBe(1);
    expect((await call(url, 'GET', `/subjects/${s}/versions?deleted=true`)).body).toEqual([2]);
    expect(await call(url, 'GET', `/schemas/ids/${one.body.id}`)).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect((await call(url, 'DELETE', `/subjects/${s}/versions/latest`)).body).toBe(2);
  });

  it('soft-deletes a subject, keeps its schemas by id, hard-deletes it, and starts again at version 1', async () => {
    const s = subject('dels');
    const one = await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('DelS') });
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('DelS', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]) });
    await call(url, 'PUT', `/config/${s}`, { compatibility: 'NONE' });
    expect(await call(url, 'DELETE', `/subjects/${s}?permanent=true`)).toMatchObject({
      status: 404, body: { error_code: 40405, message: `Subject '${s}' was not deleted first before being permanently deleted` },
    });
    expect((await call(url, 'DELETE', `/subjects/${s}`)).body).toEqual([1, 2]);
    expect(await call(url, 'DELETE', `/subjects/${s}`)).toMatchObject({
      status: 404, body: { error_code: 40404, message: `Subject '${s}' was soft deleted.Set permanent=true to delete permanently` },
    });
    expect((await call(url, 'GET', '/subjects')).body).not.toContain(s);
    expect((await call(url, 'GET', '/subjects?deleted=true')).body).toContain(s);
    expect((await call(url, 'GET', '/subjects?deletedOnly=true')).body).toContain(s);
    expect(await call(url, 'GET', `/subjects/${s}/versions/latest`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect((await call(url, 'GET', `/schemas/ids/${one.body.id}`)).status).toBe(200);
    expect((await call(url, 'POST', `/subjects/${s}?deleted=true`, { schema: record('DelS') })).body.version).toBe(1);
    expect((await call(url, 'DELETE', `/subjects/${s}?permanent=true`)).body).toEqual([1, 2]);
    expect(await call(url, 'DELETE', `/subjects/${s}`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call(url, 'GET', `/config/${s}`)).toMatchObject({ status: 404, body: { error_code: 40408 } });
    const again = await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('DelS', [{ name: 'z', type: 'long' }]) });
    expect(again.status).toBe(200);
    expect((await call(url, 'GET', `/subjects/${s}/versions`)).body).toEqual([1]);
  });

  it('re-registering a soft-deleted schema makes it a new live version with the same id', async () => {
    const s = subject('rereg');
    const schema = record('ReReg');
    const first = await call(url, 'POST', `/subjects/${s}/versions`, { schema });
    await call(url, 'DELETE', `/subjects/${s}`);
    const second = await call(url, 'POST', `/subjects/${s}/versions`, { schema });
    expect(second.body.id).toBe(first.body.id);
    expect((await call(url, 'GET', `/subjects/${s}/versions?deleted=true`)).body).toEqual([2]);
  });

  it('refuses to delete a version another schema references (42206) and lists who references it', async () => {
    const base = subject('ref-base');
    const user = subject('ref-user');
    const baseReg = await call(url, 'POST', `/subjects/${base}/versions`, { schema: record('Base') });
    const userReg = await call(url, 'POST', `/subjects/${user}/versions`, {
      schema: record('User', [{ name: 'b', type: 'Base' }]), references: [{ name: 'Base', subject: base, version: 1 }],
    });
    expect(userReg.status).toBe(200);
    expect((await call(url, 'GET', `/subjects/${user}/versions/1`)).body.references).toEqual([{ name: 'Base', subject: base, version: 1 }]);
    expect((await call(url, 'GET', `/schemas/ids/${userReg.body.id}`)).body.references).toEqual([{ name: 'Base', subject: base, version: 1 }]);
    expect((await call(url, 'GET', `/subjects/${base}/versions/1/referencedby`)).body).toEqual([userReg.body.id]);
    expect(await call(url, 'DELETE', `/subjects/${base}/versions/1`)).toMatchObject({ status: 422, body: { error_code: 42206 } });
    expect(await call(url, 'DELETE', `/subjects/${base}`)).toMatchObject({ status: 422, body: { error_code: 42206 } });
    expect(await call(url, 'POST', `/subjects/${user}/versions`, {
      schema: record('User2'), references: [{ name: 'Base', subject: base, version: 9 }],
    })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(baseReg.status).toBe(200);
  });
});

describe('config and modes', () => {
  it('reads, sets and deletes the global and a subject\'s compatibility level', async () => {
    expect((await call(url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    const s = subject('cfg');
    expect(await call(url, 'GET', `/config/${s}`)).toMatchObject({
      status: 404, body: { error_code: 40408, message: `Subject '${s}' does not have subject-level compatibility configured` },
    });
    expect((await call(url, 'GET', `/config/${s}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call(url, 'PUT', `/config/${s}`, { compatibility: 'full_transitive' })).body).toEqual({ compatibility: 'FULL_TRANSITIVE' });
    expect((await call(url, 'GET', `/config/${s}`)).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
    expect(await call(url, 'PUT', `/config/${s}`, { compatibility: 'SIDEWAYS' })).toMatchObject({
      status: 422,
      body: { error_code: 42203, message: 'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive' },
    });
    expect((await call(url, 'DELETE', `/config/${s}`)).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
    expect(await call(url, 'DELETE', `/config/${s}`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect((await call(url, 'PUT', '/config', { compatibility: 'FORWARD' })).body).toEqual({ compatibility: 'FORWARD' });
    expect((await call(url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'FORWARD' });
    expect((await call(url, 'GET', `/config/${s}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: 'FORWARD' });
    expect((await call(url, 'DELETE', '/config')).body).toEqual({ compatibilityLevel: 'FORWARD' });
    expect((await call(url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('reads, sets and deletes modes; READONLY refuses writes with 42205; IMPORT keeps given ids', async () => {
    expect((await call(url, 'GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    const s = subject('mode');
    expect(await call(url, 'GET', `/mode/${s}`)).toMatchObject({
      status: 404, body: { error_code: 40409, message: `Subject '${s}' does not have subject-level mode configured` },
    });
    expect((await call(url, 'GET', `/mode/${s}?defaultToGlobal=true`)).body).toEqual({ mode: 'READWRITE' });
    expect(await call(url, 'PUT', `/mode/${s}`, { mode: 'SOMETIMES' })).toMatchObject({
      status: 422, body: { error_code: 42204, message: 'Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.' },
    });
    expect((await call(url, 'PUT', `/mode/${s}`, { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
    expect(await call(url, 'POST', `/subjects/${s}/versions`, { schema: '"int"' })).toMatchObject({ status: 422, body: { error_code: 42205 } });
    expect((await call(url, 'DELETE', `/mode/${s}`)).body).toEqual({ mode: 'READONLY' });
    expect(await call(url, 'DELETE', `/mode/${s}`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schema: '"int"' })).status).toBe(200);

    const imported = subject('import');
    expect(await call(url, 'PUT', `/mode/${s}`, { mode: 'IMPORT' })).toMatchObject({ status: 422, body: { error_code: 42205 } });
    expect((await call(url, 'PUT', `/mode/${imported}`, { mode: 'IMPORT' })).body).toEqual({ mode: 'IMPORT' });
    expect(await call(url, 'POST', `/subjects/${imported}/versions`, { schema: '"float"' })).toMatchObject({ status: 422, body: { error_code: 42205 } });
    const reg = await call(url, 'POST', `/subjects/${imported}/versions`, { schema: record('Imported'), id: 50_000, version: 7 });
    expect(reg.body).toEqual({ id: 50_000 });
    expect((await call(url, 'GET', `/subjects/${imported}/versions`)).body).toEqual([7]);
    expect(await call(url, 'POST', `/subjects/${imported}/versions`, { schema: record('Clash'), id: 50_000, version: 8 })).toMatchObject({
      status: 422, body: { error_code: 42205 },
    });
    await call(url, 'DELETE', `/mode/${imported}`);
  });

  it('switches the global mode: IMPORT only with force while subjects exist, FORWARD only globally', async () => {
    expect(await call(url, 'PUT', '/mode', { mode: 'IMPORT' })).toMatchObject({
      status: 422, body: { error_code: 42205, message: 'Cannot import since found existing subjects' },
    });
    expect((await call(url, 'PUT', '/mode?force=true', { mode: 'import' })).body).toEqual({ mode: 'IMPORT' });
    expect((await call(url, 'GET', '/mode')).body).toEqual({ mode: 'IMPORT' });
    expect((await call(url, 'DELETE', '/mode')).body).toEqual({ mode: 'IMPORT' });
    expect((await call(url, 'GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    expect(await call(url, 'PUT', `/mode/${subject('fwd')}`, { mode: 'FORWARD' })).toMatchObject({ status: 422, body: { error_code: 42204 } });
    expect((await call(url, 'PUT', '/mode', { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
    expect(await call(url, 'PUT', '/config', { compatibility: 'FULL' })).toMatchObject({ status: 422, body: { error_code: 42205 } });
    expect(await call(url, 'POST', `/subjects/${subject('ro')}/versions`, { schema: '"int"' })).toMatchObject({ status: 422, body: { error_code: 42205 } });
    expect((await call(url, 'PUT', '/mode', { mode: 'READWRITE' })).body).toEqual({ mode: 'READWRITE' });
  });
});

describe('compatibility endpoint', () => {
  it('answers is_compatible for latest, a version and all versions; latest of an empty subject is compatible', async () => {
    const s = subject('compat');
    expect((await call(url, 'POST', `/compatibility/subjects/${s}/versions/latest`, { schema: '"int"' })).body).toEqual({ is_compatible: true });
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('Compat') });
    expect((await call(url, 'POST', `/compatibility/subjects/${s}/versions/1`, { schema: record('Compat') })).body).toEqual({ is_compatible: true });
    expect((await call(url, 'POST', `/compatibility/subjects/${s}/versions?verbose=true`, { schema: record('Compat') })).body).toEqual({ is_compatible: true, messages: [] });
    expect(await call(url, 'POST', `/compatibility/subjects/${s}/versions/5`, { schema: record('Compat') })).toMatchObject({
      status: 404, body: { error_code: 40402 },
    });
    expect(await call(url, 'POST', `/compatibility/subjects/${s}/versions/latest`, { schema: '{bad' })).toMatchObject({
      status: 422, body: { error_code: 42201 },
    });
    const verbose = await call(url, 'POST', `/compatibility/subjects/${s}/versions/latest?verbose=true`, { schema: '{bad' });
    expect(verbose.body.is_compatible).toBe(false);
    expect(verbose.body.messages).toHaveLength(1);
    expect(await call(url, 'POST', `/compatibility/subjects/${s}/versions/x`, { schema: '"int"' })).toMatchObject({
      status: 422, body: { error_code: 42202 },
    });
  });

  it('says a different schema type is incompatible', async () => {
    const s = subject('types');
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: '"int"' });
    const r = await call(url, 'POST', `/compatibility/subjects/${s}/versions/latest?verbose=true`, { schemaType: 'JSON', schema: '{"type":"integer"}' });
    expect(r.body.is_compatible).toBe(false);
    expect(r.body.messages[0]).toBe('Incompatible because of different schema type');
    const reg = await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'JSON', schema: '{"type":"integer"}' });
    expect(reg).toMatchObject({ status: 409, body: { error_code: 409 } });
    expect(reg.body.message).toMatch(new RegExp(`^Schema being registered is incompatible with an earlier schema for subject "${s}", details: \\[Incompatible because of different schema type`));
  });

  it('refuses an incompatible Avro change with 409 and Confluent\'s message, and takes a compatible one', async () => {
    const s = subject('evolve');
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('Evolve') });
    const breaking = record('Evolve', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }]);
    const refused = await call(url, 'POST', `/subjects/${s}/versions`, { schema: breaking });
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe(409);
    expect(refused.body.message).toContain(`Schema being registered is incompatible with an earlier schema for subject "${s}", details: [`);
    expect(refused.body.message).toContain('READER_FIELD_MISSING_DEFAULT_VALUE');
    expect(refused.body.message).toContain("{validateFields: 'false', compatibility: 'BACKWARD'}");
    const check = await call(url, 'POST', `/compatibility/subjects/${s}/versions/latest?verbose=true`, { schema: breaking });
    expect(check.body.is_compatible).toBe(false);
    expect(check.body.messages.some((m: string) => m.includes('READER_FIELD_MISSING_DEFAULT_VALUE'))).toBe(true);
    expect((await call(url, 'POST', `/compatibility/subjects/${s}/versions/latest`, { schema: breaking })).body).toEqual({ is_compatible: false });
    const compatible = record('Evolve', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]);
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schema: compatible })).status).toBe(200);
    await call(url, 'PUT', `/config/${s}`, { compatibility: 'NONE' });
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schema: breaking })).status).toBe(200);
  });

  it('checks every earlier version under a transitive level and only the latest otherwise', async () => {
    const s = subject('transitive');
    await call(url, 'PUT', `/config/${s}`, { compatibility: 'NONE' });
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('T', [{ name: 'a', type: 'string' }]) });
    await call(url, 'POST', `/subjects/${s}/versions`, { schema: record('T', [{ name: 'b', type: 'int', default: 1 }]) });
    const candidate = record('T', [{ name: 'b', type: 'int', default: 1 }, { name: 'a', type: 'string' }]);
    await call(url, 'PUT', `/config/${s}`, { compatibility: 'BACKWARD' });
    expect((await call(url, 'POST', `/compatibility/subjects/${s}/versions`, { schema: candidate })).body).toEqual({ is_compatible: false });
    await call(url, 'PUT', `/config/${s}`, { compatibility: 'FORWARD' });
    expect((await call(url, 'POST', `/compatibility/subjects/${s}/versions`, { schema: candidate })).body).toEqual({ is_compatible: true });
    await call(url, 'PUT', `/config/${s}`, { compatibility: 'BACKWARD_TRANSITIVE' });
    const verbose = await call(url, 'POST', `/compatibility/subjects/${s}/versions?verbose=true`, { schema: candidate });
    expect(verbose.body.is_compatible).toBe(false);
    expect(verbose.body.messages).toContain('{oldSchemaVersion: 2}');
  });

  it('refuses an invalid Avro schema with 42201 and the parser\'s detail', async () => {
    const r = await call(url, 'POST', `/subjects/${subject('badavro')}/versions`, { schema: '{"type":"record","fields":[]}' });
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(42201);
    expect(r.body.message).toMatch(/^Invalid schema of type AVRO, details: /);
  });

  it('stores the Java canonical text, so a reformatted schema is the same schema', async () => {
    const s = subject('canonical');
    const pretty = '{\n  "type" : "record",\n  "name" : "Pretty",\n  "namespace" : "com.example",\n  "fields" : [ { "name" : "n", "type" : { "type" : "long" } } ]\n}';
    const reg = await call(url, 'POST', `/subjects/${s}/versions`, { schema: pretty });
    expect((await call(url, 'GET', `/schemas/ids/${reg.body.id}`)).body.schema)
      .toBe('{"type":"record","name":"Pretty","namespace":"com.example","fields":[{"name":"n","type":"long"}]}');
    const compact = '{"type":"record","name":"Pretty","namespace":"com.example","fields":[{"name":"n","type":"long"}]}';
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schema: compact })).body).toEqual(reg.body);
    expect((await call(url, 'POST', `/subjects/${s}`, { schema: compact })).body.version).toBe(1);
  });

  it('checks JSON Schema changes: 409 for a changed property type, 42201 for a schema that is not one', async () => {
    const s = subject('json-evolve');
    const v1 = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'JSON', schema: JSON.stringify(v1) })).status).toBe(200);
    const changed = { ...v1, properties: { a: { type: 'integer' } } };
    const refused = await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'JSON', schema: JSON.stringify(changed) });
    expect(refused).toMatchObject({ status: 409, body: { error_code: 409 } });
    expect(refused.body.message).toContain(`incompatible with an earlier schema for subject "${s}"`);
    const added = { ...v1, properties: { a: { type: 'string' }, b: { type: 'integer' } } };
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'JSON', schema: JSON.stringify(added) })).status).toBe(200);
    const invalid = await call(url, 'POST', `/subjects/${subject('json-invalid')}/versions`, { schemaType: 'JSON', schema: '[1,2]' });
    expect(invalid).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(invalid.body.message).toMatch(/^Invalid schema of type JSON, details: /);
  });

  it('checks Protobuf changes: 409 for a changed field kind, 42201 for text that is not a .proto', async () => {
    const s = subject('proto-evolve');
    const v1 = 'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  string id = 1;\n  int64 cents = 2;\n}\n';
    const reg = await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'PROTOBUF', schema: v1 });
    expect(reg.status).toBe(200);
    expect((await call(url, 'GET', `/schemas/ids/${reg.body.id}`)).body.schemaType).toBe('PROTOBUF');
    const changed = v1.replace('int64 cents = 2;', 'Money cents = 2;\n}\n\nmessage Money {\n  int64 units = 1;');
    const refused = await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'PROTOBUF', schema: changed });
    expect(refused).toMatchObject({ status: 409, body: { error_code: 409 } });
    const added = v1.replace('int64 cents = 2;', 'int64 cents = 2;\n  string note = 3;');
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'PROTOBUF', schema: added })).status).toBe(200);
    const invalid = await call(url, 'POST', `/subjects/${subject('proto-invalid')}/versions`, { schemaType: 'PROTOBUF', schema: 'message {' });
    expect(invalid).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(invalid.body.message).toMatch(/^Invalid schema of type PROTOBUF, details: /);
  });

  it('normalizes when asked (normalize=true) or configured (normalize: true), so reordered keys are the same schema', async () => {
    const s = subject('normalize');
    const one = '{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer"}}}';
    const reordered = '{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}';
    const reg = await call(url, 'POST', `/subjects/${s}/versions?normalize=true`, { schemaType: 'JSON', schema: one });
    expect((await call(url, 'GET', `/schemas/ids/${reg.body.id}`)).body.schema)
      .toBe('{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}');
    expect((await call(url, 'POST', `/subjects/${s}?normalize=true`, { schemaType: 'JSON', schema: reordered })).body.id).toBe(reg.body.id);
    expect(await call(url, 'POST', `/subjects/${s}`, { schemaType: 'JSON', schema: one })).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect((await call(url, 'PUT', `/config/${s}`, { normalize: true })).body).toEqual({ normalize: true });
    expect((await call(url, 'GET', `/config/${s}`)).body).toEqual({ normalize: true });
    expect((await call(url, 'POST', `/subjects/${s}`, { schemaType: 'JSON', schema: one })).body.id).toBe(reg.body.id);
    expect((await call(url, 'POST', `/subjects/${s}/versions`, { schemaType: 'JSON', schema: reordered })).body).toEqual(reg.body);
  });
});
