/**
 * SASL over the wire client against a fake broker that speaks ApiVersions, SaslHandshake and
 * SaslAuthenticate (the bundled broker has no SASL). The fake checks SCRAM proofs with its own
 * server-side computation (RFC 5802 §3).
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiVersions } from '../../../../broker/protocol/apis/api-versions.js';
import { SaslAuthenticate } from '../../../../broker/protocol/apis/sasl-authenticate.js';
import { SaslHandshake } from '../../../../broker/protocol/apis/sasl-handshake.js';
import { Reader } from '../../../../broker/protocol/reader.js';
import { readHeaderPrefix, readHeaderRest, writeResponseHeader } from '../../../../broker/protocol/request-header.js';
import { Writer } from '../../../../broker/protocol/writer.js';
import { BrokerConnection, type SaslCredentials } from '../../../../runtime/kafka/wire/broker-connection.js';
import { KafkaError } from '../../../../runtime/kafka/wire/kafka-error.js';

const USER = 'connect';
const PASSWORD = 'pa55=word,';
const SALT = Buffer.from('0123456789abcdef');

function scramServer() {
  let clientFirstBare = '';
  let serverFirst = '';
  const salted = pbkdf2Sync(PASSWORD, SALT, 4096, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  return (message: string): string | null => {
    if (message.startsWith('n,,')) {
      clientFirstBare = message.slice(3);
      const nonce = /r=([^,]+)/.exec(clientFirstBare)![1]!;
      serverFirst = `r=${nonce}server-nonce,s=${SALT.toString('base64')},i=4096`;
      return serverFirst;
    }
    const withoutProof = message.slice(0, message.indexOf(',p='));
    const proof = Buffer.from(message.slice(message.indexOf(',p=') + 3), 'base64');
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
    if (!createHash('sha256').update(clientKey).digest().equals(storedKey)) return null;
    return `v=${hmac(hmac(salted, 'Server Key'), authMessage).toString('base64')}`;
  };
}

function fakeSaslBroker(mechanisms: string[]): Promise<{ port: number; mechanismsAsked: string[]; close: () => void }> {
  const mechanismsAsked: string[] = [];
  const server = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    let mechanism = '';
    const scram = scramServer();
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const r = new Reader(frame);
        const h = readHeaderPrefix(r);
        const w = new Writer();
        if (h.apiKey === ApiVersions.key) {
          readHeaderRest(r, h.apiVersion >= 3);
          writeResponseHeader(w, h.apiKey, h.correlationId, h.apiVersion >= 3);
          ApiVersions.response.encode(w, h.apiVersion, { errorCode: 0, apiKeys: [
            { apiKey: 17, minVersion: 0, maxVersion: 1 }, { apiKey: 18, minVersion: 0, maxVersion: 3 }, { apiKey: 36, minVersion: 0, maxVersion: 2 },
          ] });
        } else if (h.apiKey === SaslHandshake.key) {
          readHeaderRest(r, false);
          mechanism = SaslHandshake.request.decode(r, h.apiVersion).mechanism;
          mechanismsAsked.push(mechanism);
          writeResponseHeader(w, h.apiKey, h.correlationId, false);
          SaslHandshake.response.encode(w, h.apiVersion, { errorCode: mechanisms.includes(mechanism) ? 0 : 33, mechanisms });
        } else {
          const flexible = h.apiVersion >= 2;
          readHeaderRest(r, flexible);
          const auth = SaslAuthenticate.request.decode(r, h.apiVersion).authBytes.toString();
          let reply: string | null;
          if (mechanism === 'PLAIN') reply = auth === `\0${USER}\0${PASSWORD}` ? '' : null;
          else reply = scram(auth);
          writeResponseHeader(w, h.apiKey, h.correlationId, flexible);
          SaslAuthenticate.response.encode(w, h.apiVersion, reply === null
            ? { errorCode: 58, errorMessage: 'Authentication failed: Invalid username or password', authBytes: Buffer.alloc(0) }
            : { errorCode: 0, errorMessage: null, authBytes: Buffer.from(reply) });
        }
        const body = w.toBuffer();
        const size = Buffer.alloc(4);
        size.writeInt32BE(body.length);
        socket.write(Buffer.concat([size, body]));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ port: (server.address() as net.AddressInfo).port, mechanismsAsked, close: () => server.close() });
  }));
}

async function open(port: number, sasl: SaslCredentials): Promise<BrokerConnection> {
  return BrokerConnection.open({ host: '127.0.0.1', port }, { clientId: 'sasl-test', sasl, requestTimeoutMs: 5000 });
}

describe('SASL authentication', () => {
  it('authenticates with PLAIN and with SCRAM-SHA-256', async () => {
    const fake = await fakeSaslBroker(['PLAIN', 'SCRAM-SHA-256']);
    try {
      (await open(fake.port, { mechanism: 'PLAIN', username: USER, password: PASSWORD })).close();
      (await open(fake.port, { mechanism: 'SCRAM-SHA-256', username: USER, password: PASSWORD })).close();
      expect(fake.mechanismsAsked).toEqual(['PLAIN', 'SCRAM-SHA-256']);
    } finally {
      fake.close();
    }
  });

  it('fails with the broker\'s reason on a wrong password or a disabled mechanism', async () => {
    const fake = await fakeSaslBroker(['SCRAM-SHA-256']);
    try {
      await expect(open(fake.port, { mechanism: 'SCRAM-SHA-256', username: USER, password: 'wrong' }))
        .rejects.toMatchObject({ type: 'SASL_AUTHENTICATION_FAILED', message: expect.stringContaining('Invalid username or password') });
      await expect(open(fake.port, { mechanism: 'PLAIN', username: USER, password: PASSWORD }))
        .rejects.toThrow(KafkaError);
    } finally {
      fake.close();
    }
  });
});
