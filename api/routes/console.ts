/**
 * The web console (built by `npm run build` into dist/console) at /ui on every worker.
 *
 * - `/ui` redirects to `/ui/` so the page's relative URLs resolve under the mount point.
 * - A path whose last segment has a file extension is a file of the build: served with its
 *   content type, or 404. Vite's hashed files under assets/ never change, so they are cached for a
 *   year; everything else (index.html) is revalidated on each load so a new build shows at once.
 * - Any other path (`/ui/connectors/x`) is a page of the single-page app: index.html, so deep
 *   links survive a reload.
 * - No build: 404 with a one-line message saying to run npm run build.
 *
 * index.html carries a Content-Security-Policy allowing only this origin's scripts, styles and
 * API (plus inline style attributes and data: images): the console keeps REST credentials in the
 * tab's sessionStorage, so injected script must not run, and no other site may frame its buttons.
 *
 * These files are public: the login page must load before the user has credentials
 * (`isConsoleRequest` lets the auth hook skip them). Everything the console shows comes from the
 * REST API, which stays behind authentication.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { documented } from './openapi/route-docs.js';

export const CONSOLE_PATH = '/ui';

export interface ConsoleOptions {
  /** Directory holding the built console (index.html, assets/). */
  dir: string;
}

export const CONSOLE_NOT_BUILT = 'The web console is not built: run npm run build.';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');
const REVALIDATE = 'no-cache';

/**
 * dist/console of the installation this module belongs to: compiled, this file is in
 * dist/api/routes; from the sources (vitest), the repository root is the first directory upwards
 * with a package.json.
 */
export function defaultConsoleDir(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'dist') return path.join(dir, 'console');
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'console');
  }
  return path.resolve('dist', 'console');
}

/** The path of a URL without its query string. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** GET or HEAD of /ui or below: answered without REST credentials. */
export function isConsoleRequest(request: Pick<FastifyRequest, 'method' | 'url'>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const urlPath = pathOf(request.url);
  return urlPath === CONSOLE_PATH || urlPath.startsWith(`${CONSOLE_PATH}/`);
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(404).type('application/json').send({ error_code: 404, message });
}

async function readFileOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
    throw error;
  }
}

async function serveIndex(dir: string, reply: FastifyReply): Promise<FastifyReply> {
  const html = await readFileOrNull(path.join(dir, 'index.html'));
  if (!html) return notFound(reply, CONSOLE_NOT_BUILT);
  return reply
    .header('cache-control', REVALIDATE)
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .type(CONTENT_TYPES['.html']!)
    .send(html);
}

export function registerConsoleRoutes(app: FastifyInstance, options: ConsoleOptions): void {
  const root = path.resolve(options.dir);

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const urlPath = pathOf(request.url);
    if (urlPath === CONSOLE_PATH) {
      const query = request.url.slice(urlPath.length);
      return reply.redirect(`${CONSOLE_PATH}/${query}`, 302);
    }
    let relative: string;
    try {
      relative = decodeURIComponent(urlPath.slice(CONSOLE_PATH.length + 1));
    } catch {
      return notFound(reply, `Malformed path ${urlPath}`);
    }
    const lastSegment = relative.slice(relative.lastIndexOf('/') + 1);
    if (!path.extname(lastSegment)) return serveIndex(root, reply);

    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep)) return notFound(reply, `No file ${urlPath}`);
    const body = await readFileOrNull(file);
    if (!body) {
      if (!existsSync(path.join(root, 'index.html'))) return notFound(reply, CONSOLE_NOT_BUILT);
      return notFound(reply, `No file ${urlPath} in the web console`);
    }
    const immutable = relative.startsWith('assets/');
    return reply
      .header('cache-control', immutable ? IMMUTABLE : REVALIDATE)
      .header('x-content-type-options', 'nosniff')
      .type(CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream')
      .send(body);
  };

  // Internal: the console is not part of the REST API's OpenAPI document.
  app.get(CONSOLE_PATH, { schema: documented({ hide: true }) }, handler);
  app.get(`${CONSOLE_PATH}/*`, { schema: documented({ hide: true }) }, handler);
}
