/**
 * Builds the web console into dist/console, served by every worker at /ui (api/routes/console.ts).
 * `base` must match that mount point: asset URLs in index.html are absolute (/ui/assets/...).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/ui/',
  plugins: [preact()],
  build: {
    outDir: path.resolve(here, '../dist/console'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // `npx vite console` against a worker on 8083: the API calls go there.
    proxy: Object.fromEntries(['/connectors', '/connector-plugins', '/metrics', '/health', '/admin', '/openapi.json']
      .map((prefix) => [prefix, 'http://127.0.0.1:8083'])),
  },
});
