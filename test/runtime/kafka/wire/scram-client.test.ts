import { describe, expect, it } from 'vitest';
import { ScramClient } from '../../../../runtime/kafka/wire/scram-client.js';

// RFC 7677 §3: the SCRAM-SHA-256 example exchange.
const NONCE = 'rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';

describe('ScramClient', () => {
  it('produces the RFC 7677 SCRAM-SHA-256 client messages and accepts the server signature', () => {
    const client = new ScramClient('SCRAM-SHA-256', 'user', 'pencil', NONCE);
    expect(client.clientFirst()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(client.clientFinal(SERVER_FIRST)).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(() => client.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).not.toThrow();
  });

  it('rejects a server that does not know the password', () => {
    const client = new ScramClient('SCRAM-SHA-256', 'user', 'not-pencil', NONCE);
    client.clientFinal(SERVER_FIRST);
    expect(() => client.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).toThrow(/signature/);
  });

  it('rejects a server nonce that does not extend the client nonce, and reports server errors', () => {
    const client = new ScramClient('SCRAM-SHA-512', 'user', 'pencil', NONCE);
    expect(() => client.clientFinal('r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toThrow(/nonce/);
    expect(() => client.verifyServerFinal('e=invalid-proof')).toThrow(/invalid-proof/);
  });

  it('escapes "=" and "," in the user name', () => {
    expect(new ScramClient('SCRAM-SHA-512', 'a=b,c', 'x', NONCE).clientFirst()).toBe('n,,n=a=3Db=2Cc,r=rOprNGfwEbeRWgbNEkqO');
  });
});
