import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { distributedWorkerSpec } from '../../../../runtime/config/worker-config.js';
import {
  generateSessionKey, isValidSignature, readRequestSignature, signatureHeaders, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER,
} from '../../../../runtime/control/distributed/request-signature.js';
import { BadRequestError } from '../../../../runtime/errors.js';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const body = Buffer.from('[{"task.class":"T","a":"b"}]');

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('internal request signatures', () => {
  it('signs the body bytes with an HMAC of the session key, base64 in X-Connect-Authorization', () => {
    const headers = signatureHeaders(key, 'HmacSHA256', body);
    expect(headers).toEqual({
      'X-Connect-Authorization': createHmac('sha256', key).update(body).digest('base64'),
      'X-Connect-Request-Signature-Algorithm': 'HmacSHA256',
    });
    const read = readRequestSignature(lowerCased(headers), body)!;
    expect(isValidSignature(read, key)).toBe(true);
    expect(isValidSignature(read, Buffer.alloc(32))).toBe(false);
    expect(isValidSignature({ ...read, body: Buffer.from('[]') }, key)).toBe(false);
  });

  it('signs a bodyless request over zero bytes', () => {
    const headers = signatureHeaders(key, 'HmacSHA512', Buffer.alloc(0));
    expect(headers[SIGNATURE_HEADER]).toBe(createHmac('sha512', key).digest('base64'));
  });

  it('reads an unsigned request as null and refuses an unknown algorithm or a signature that is not base64 with 400', () => {
    expect(readRequestSignature({}, body)).toBeNull();
    expect(readRequestSignature({ [SIGNATURE_HEADER.toLowerCase()]: 'abcd' }, body)).toBeNull();
    const unknown = { [SIGNATURE_HEADER.toLowerCase()]: 'abcd', [SIGNATURE_ALGORITHM_HEADER.toLowerCase()]: 'HmacFoo' };
    expect(() => readRequestSignature(unknown, body)).toThrow(new BadRequestError('Algorithm HmacFoo not available'));
    const notBase64 = { [SIGNATURE_HEADER.toLowerCase()]: 'ab-d', [SIGNATURE_ALGORITHM_HEADER.toLowerCase()]: 'HmacSHA256' };
    expect(() => readRequestSignature(notBase64, body)).toThrow(new BadRequestError('Illegal base64 character 2d'));
  });

  it('keeps the algorithm as the request spells it, so the verification list decides (Java looks names up ignoring case)', () => {
    const headers = { [SIGNATURE_HEADER.toLowerCase()]: 'abcd', [SIGNATURE_ALGORITHM_HEADER.toLowerCase()]: 'hmacsha256' };
    expect(readRequestSignature(headers, body)?.algorithm).toBe('hmacsha256');
  });

  it('generates keys of the algorithm\'s default size or inter.worker.key.size bits', () => {
    expect(generateSessionKey('HmacSHA256', null, 5)).toMatchObject({ algorithm: 'HmacSHA256', creationTimestamp: 5 });
    expect(generateSessionKey('HmacSHA256', null, 5).key.length).toBe(32);
    expect(generateSessionKey('hmacsha512', null, 5)).toMatchObject({ algorithm: 'HmacSHA512' });
    expect(generateSessionKey('HmacSHA256', 128, 5).key.length).toBe(16);
  });
});

describe('inter.worker.* worker properties', () => {
  const minimal = {
    'group.id': 'g', 'config.storage.topic': 'c', 'offset.storage.topic': 'o', 'status.storage.topic': 's',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  };

  it('refuses algorithms ferry cannot sign or verify with, and keys shorter than 40 bits', () => {
    const issues = (extra: Record<string, string>) => distributedWorkerSpec.validate({ ...minimal, ...extra }).issues.map((i) => i.name);
    expect(issues({ 'inter.worker.signature.algorithm': 'HmacFoo', 'inter.worker.verification.algorithms': 'HmacFoo' }))
      .toEqual(['inter.worker.signature.algorithm', 'inter.worker.verification.algorithms']);
    expect(issues({ 'inter.worker.key.generation.algorithm': 'AES' })).toEqual(['inter.worker.key.generation.algorithm']);
    expect(issues({ 'inter.worker.key.size': '32' })).toEqual(['inter.worker.key.size']);
    expect(issues({ 'inter.worker.signature.algorithm': 'HmacSHA512', 'inter.worker.verification.algorithms': 'HmacSHA256,HmacSHA512' }))
      .toEqual([]);
  });
});
