/**
 * The bearer tokens file: one token per line, optionally preceded by a name and a colon
 * (`ci-pipeline: 9d2f...`); blank lines and lines starting with `#` are skipped. A token must be
 * RFC 6750 token68 text (letters, digits, `-._~+/`, then optional `=` padding), so a colon always
 * separates the name. Unnamed tokens are named `line <n>`. Errors never quote a token.
 */
import { BearerTokens } from './credential-store.js';
import { RestSecurityError } from './rest-security-error.js';
import { readSecretFile } from './secret-file.js';

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

export function parseBearerTokens(text: string, source = 'tokens file'): BearerTokens {
  const tokens: [string, string][] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? `line ${index + 1}` : line.slice(0, colon).trim();
    const token = colon < 0 ? line : line.slice(colon + 1).trim();
    if (name === '') throw new RestSecurityError(`${source}: line ${index + 1} has an empty name before ':'`);
    if (!TOKEN68.test(token)) {
      throw new RestSecurityError(`${source}: line ${index + 1} is not a token (letters, digits, -._~+/ and trailing =)`);
    }
    tokens.push([name, token]);
  });
  if (tokens.length === 0) throw new RestSecurityError(`${source} has no tokens`);
  return new BearerTokens(tokens);
}

export async function readBearerTokensFile(path: string): Promise<BearerTokens> {
  return parseBearerTokens(await readSecretFile(path, 'tokens file'), `tokens file ${path}`);
}
