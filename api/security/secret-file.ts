/** Reads files that hold secrets or key material; errors name the setting and path, never content. */
import { readFile } from 'node:fs/promises';
import { RestSecurityError } from './rest-security-error.js';

export async function readSecretBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new RestSecurityError(`The ${what} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function readSecretFile(path: string, what: string): Promise<string> {
  return (await readSecretBytes(path, what)).toString('utf8');
}
