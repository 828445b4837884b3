/**
 * The basic-auth users file, in the format of the `file` option of Kafka's PropertyFileLoginModule:
 * a Java properties file whose keys are user names and values passwords (`alice: s3cret` or
 * `alice=s3cret`; `#` comments; as in Java, trailing spaces belong to the password). Error
 * messages name the file and line, never a password.
 */
import { parseProperties, PropertiesSyntaxError } from '../../runtime/config/properties-file.js';
import { BasicCredentials } from './credential-store.js';
import { RestSecurityError } from './rest-security-error.js';
import { readSecretFile } from './secret-file.js';

export function parseCredentials(text: string, source = 'credentials file'): BasicCredentials {
  let users: Record<string, string>;
  try {
    users = parseProperties(text);
  } catch (err) {
    if (err instanceof PropertiesSyntaxError) throw new RestSecurityError(`${source}: line ${err.line} cannot be read`);
    throw err;
  }
  const entries = Object.entries(users);
  if (entries.length === 0) throw new RestSecurityError(`${source} has no users`);
  for (const [user] of entries) {
    if (user.includes(':')) throw new RestSecurityError(`${source}: user names cannot contain ':' (basic authentication splits on it)`);
  }
  return new BasicCredentials(entries);
}

export async function readCredentialsFile(path: string): Promise<BasicCredentials> {
  return parseCredentials(await readSecretFile(path, 'credentials file'), `credentials file ${path}`);
}
