import { describe, expect, it } from 'vitest';
import { parseBearerTokens } from '../../../api/security/bearer-tokens-file.js';
import { parseCredentials } from '../../../api/security/credentials-file.js';
import { credentialsFileFromJaas } from '../../../api/security/jaas-file.js';

describe('credentials file', () => {
  it('reads Kafka PropertyFileLoginModule files: "user: password", "user=password", comments', () => {
    const users = parseCredentials('# Connect REST users\nalice: wonder land\n! old style comment\nbob=builder\ncarol : c:o:l:o:n\n');
    expect(users.size).toBe(3);
    expect(users.verify('alice', 'wonder land')).toBe('alice');
    expect(users.verify('bob', 'builder')).toBe('bob');
    expect(users.verify('carol', 'c:o:l:o:n')).toBe('carol');
    expect(users.verify('alice', 'builder')).toBeUndefined();
    expect(users.verify('dave', '')).toBeUndefined();
  });

  it('keeps trailing spaces as part of the password, as Java properties do', () => {
    const users = parseCredentials('alice: secret  \n');
    expect(users.verify('alice', 'secret')).toBeUndefined();
    expect(users.verify('alice', 'secret  ')).toBe('alice');
  });

  it('refuses a file without users', () => {
    expect(() => parseCredentials('# nobody\n\n', 'users.properties')).toThrow('users.properties has no users');
  });
});

describe('bearer tokens file', () => {
  it('reads one token per line, with an optional name', () => {
    const tokens = parseBearerTokens('# tokens\nci: abc123\n\n  def456==  \nops : Z-._~+/9\n');
    expect(tokens.size).toBe(3);
    expect(tokens.verify('abc123')).toBe('ci');
    expect(tokens.verify('def456==')).toBe('line 4');
    expect(tokens.verify('Z-._~+/9')).toBe('ops');
    expect(tokens.verify('ci')).toBeUndefined();
    expect(tokens.verify('abc12')).toBeUndefined();
  });

  it('points at the bad line without quoting the token', () => {
    expect(() => parseBearerTokens('ci: good\nops: sk live 42!\n', 'tokens')).toThrow(/^tokens: line 2 is not a token/);
    expect(() => parseBearerTokens('ops: sk live 42!\n')).not.toThrow(/sk live/);
    expect(() => parseBearerTokens(': abc\n', 'tokens')).toThrow('tokens: line 1 has an empty name');
    expect(() => parseBearerTokens('\n# none\n', 'tokens')).toThrow('tokens has no tokens');
  });
});

describe('JAAS file', () => {
  it('finds the file option of PropertyFileLoginModule in the KafkaConnect entry', () => {
    const jaas = `
      // written for Kafka's BasicAuthSecurityRestExtension
      KafkaServer { org.apache.kafka.common.security.plain.PlainLoginModule required username="x" password="y"; };
      KafkaConnect {
        /* users of the REST API */
        org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
          file="/etc/kafka/connect \\"rest\\".properties" debug=true;
      };`;
    expect(credentialsFileFromJaas(jaas)).toBe('/etc/kafka/connect "rest".properties');
  });

  it('explains what is missing', () => {
    expect(() => credentialsFileFromJaas('KafkaServer { a.B required; };', 'jaas.conf')).toThrow('jaas.conf has no KafkaConnect entry');
    expect(() => credentialsFileFromJaas('KafkaConnect { com.example.LdapLoginModule required url="ldap://x"; };'))
      .toThrow('the KafkaConnect entry has com.example.LdapLoginModule; ferry supports only PropertyFileLoginModule');
    expect(() => credentialsFileFromJaas('KafkaConnect { x.PropertyFileLoginModule required; };')).toThrow('has no file option');
    expect(() => credentialsFileFromJaas('KafkaConnect { x.PropertyFileLoginModule required file="a"')).toThrow(/ended where/);
  });
});
