/**
 * Kafka's basic-auth extension reads its users through JAAS: the `KafkaConnect` entry of the file
 * named by `java.security.auth.login.config`, e.g.
 *
 *   KafkaConnect {
 *     org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
 *       file="/etc/connect/credentials.properties";
 *   };
 *
 * ferry reads such a file only to find that `file` option: the KafkaConnect entry must hold a
 * PropertyFileLoginModule (the only login module ferry implements). Java's syntax is followed:
 * `//` and `/* *\/` comments, option values bare or double-quoted.
 */
import { RestSecurityError } from './rest-security-error.js';

interface JaasModule {
  readonly className: string;
  readonly flag: string;
  readonly options: ReadonlyMap<string, string>;
}

const PUNCTUATION = new Set(['{', '}', ';', '=']);

function tokenize(text: string, source: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new RestSecurityError(`${source}: unterminated comment`);
      i = end + 2;
    } else if (PUNCTUATION.has(c)) {
      tokens.push(c);
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw new RestSecurityError(`${source}: unterminated quoted value`);
      i++;
      tokens.push(`"${value}`);
    } else {
      let word = '';
      while (i < text.length && !/\s/.test(text[i]!) && !PUNCTUATION.has(text[i]!) && text[i] !== '"' && !text.startsWith('//', i) && !text.startsWith('/*', i)) {
        word += text[i];
        i++;
      }
      tokens.push(word);
    }
  }
  return tokens;
}

const unquote = (token: string) => (token.startsWith('"') ? token.slice(1) : token);

/** Every entry of a JAAS file with its login modules, in file order. */
export function parseJaasFile(text: string, source = 'JAAS file'): Map<string, JaasModule[]> {
  const tokens = tokenize(text, source);
  const entries = new Map<string, JaasModule[]>();
  let at = 0;
  const next = (what: string): string => {
    const token = tokens[at++];
    if (token === undefined) throw new RestSecurityError(`${source}: ended where ${what} was expected`);
    return token;
  };
  const expect = (punctuation: string) => {
    const token = next(`'${punctuation}'`);
    if (token !== punctuation) throw new RestSecurityError(`${source}: expected '${punctuation}' but found '${unquote(token)}'`);
  };
  while (at < tokens.length) {
    const name = unquote(next('an entry name'));
    expect('{');
    const modules: JaasModule[] = [];
    while (tokens[at] !== '}') {
      const className = next('a login module class');
      if (PUNCTUATION.has(className)) throw new RestSecurityError(`${source}: expected a login module class in entry ${name}`);
      const flag = next('a control flag');
      const options = new Map<string, string>();
      while (tokens[at] !== ';') {
        const key = next('an option or \';\'');
        if (PUNCTUATION.has(key)) throw new RestSecurityError(`${source}: expected an option of ${className}`);
        expect('=');
        const value = next('an option value');
        if (PUNCTUATION.has(value)) throw new RestSecurityError(`${source}: option ${key} of ${className} has no value`);
        options.set(key, unquote(value));
      }
      expect(';');
      modules.push({ className: unquote(className), flag, options });
    }
    expect('}');
    if (tokens[at] === ';') at++;
    entries.set(name, modules);
  }
  return entries;
}

export const KAFKA_CONNECT_JAAS_ENTRY = 'KafkaConnect';
const PROPERTY_FILE_LOGIN_MODULE = 'PropertyFileLoginModule';

/** The `file` option of the PropertyFileLoginModule in the KafkaConnect entry. */
export function credentialsFileFromJaas(text: string, source = 'JAAS file'): string {
  const modules = parseJaasFile(text, source).get(KAFKA_CONNECT_JAAS_ENTRY);
  if (!modules) throw new RestSecurityError(`${source} has no ${KAFKA_CONNECT_JAAS_ENTRY} entry`);
  const module = modules.find((m) => m.className.split('.').pop() === PROPERTY_FILE_LOGIN_MODULE);
  if (!module) {
    const found = modules.map((m) => m.className).join(', ') || 'no login module';
    throw new RestSecurityError(`${source}: the ${KAFKA_CONNECT_JAAS_ENTRY} entry has ${found}; ferry supports only ${PROPERTY_FILE_LOGIN_MODULE}`);
  }
  const file = module.options.get('file');
  if (!file) throw new RestSecurityError(`${source}: ${PROPERTY_FILE_LOGIN_MODULE} in ${KAFKA_CONNECT_JAAS_ENTRY} has no file option`);
  return file;
}
