/**
 * An HTTP server that answers as Elasticsearch (8, 9, 7) or OpenSearch (2, 1) does for what a sink
 * connector uses: root info, indices and mappings, `_bulk`, single-document APIs, data streams,
 * templates, refresh/count/search, basic auth, REST compatibility headers and gzip bodies, plus
 * fault injection. Written from Elasticsearch's reference documentation; the pieces live in
 * `./elasticsearch/`, one concept per file. No Elasticsearch server can run on the test machines.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BulkExecutor } from './elasticsearch/bulk.js';
import { Cluster } from './elasticsearch/cluster.js';
import { EsError } from './elasticsearch/errors.js';
import { Faults } from './elasticsearch/faults.js';
import { answer, checkAuth, negotiate, RawAnswer, readBody, type Credentials } from './elasticsearch/http-exchange.js';
import { randomUuid } from './elasticsearch/index-store.js';
import { modeProfile, type EsMode } from './elasticsearch/modes.js';
import { Router } from './elasticsearch/routes.js';

export type { EsMode } from './elasticsearch/modes.js';

export interface EsTestServerOptions {
  mode?: EsMode;
  username?: string;
  password?: string;
}

export interface EsTestServer {
  readonly url: string;
  readonly mode: string;
  close(): Promise<void>;
  /** Documents of an index (or of a data stream's backing indices): id → { source, version, seqNo }. */
  documents(index: string): Map<string, { source: unknown; version: number; seqNo: number }>;
  /** How many live documents an index (or data stream) holds, real-time, without copying them; 0 when it does not exist. */
  count(index: string): number;
  /** id → version of every live document of an index (or data stream), real-time, without copying sources. */
  versions(index: string): Map<string, number>;
  /** Names of all indices, data stream backing indices included. */
  indices(): string[];
  /** What GET /<index>/_mapping returns under `.mappings`. */
  mapping(index: string): unknown | undefined;
  dataStreams(): string[];
  /** Fault injection: the next `count` bulk requests answer `status` as a whole (e.g. 429, 503, 500). */
  failNextBulks(status: number, count: number): void;
  /** The next `count` bulk item actions answer 429 es_rejected_execution_exception individually (errors:true). */
  rejectNextItems(count: number): void;
  /** Slow down every response by ms (0 to stop). */
  setLatency(ms: number): void;
  /** Counters for assertions: bulk requests, items, per-status item counts. */
  stats(): { bulkRequests: number; items: number; itemStatuses: Record<string, number> };
  deleteIndex(index: string): void;
}

const REFRESH_TICK_MS = 100;

export async function startElasticsearchTestServer(options: EsTestServerOptions = {}): Promise<EsTestServer> {
  const profile = modeProfile(options.mode ?? 'es8');
  const credentials: Credentials | undefined = options.username !== undefined
    ? { username: options.username, password: options.password ?? '' }
    : undefined;
  const cluster = new Cluster(profile);
  const faults = new Faults();
  const bulk = new BulkExecutor(cluster, faults);
  const clusterUuid = randomUuid();
  const router = new Router({ profile, cluster, bulk, faults, clusterUuid });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    const base = { profile, head, latencyMs: faults.latencyMs };
    try {
      const body = await readBody(req);
      const denied = checkAuth(req, credentials, profile);
      if (denied instanceof RawAnswer) return await answer(req, res, denied.status, denied.body, base, denied.headers);
      if (denied !== undefined) {
        return await answer(req, res, denied.status, denied.response(), base, { 'www-authenticate': (denied.extra.header as Record<string, string[]>)['WWW-Authenticate'] });
      }
      const negotiated = negotiate(req, profile, body.length > 0);
      if (negotiated instanceof RawAnswer) return await answer(req, res, negotiated.status, negotiated.body, base);
      if (negotiated instanceof EsError) return await answer(req, res, negotiated.status, negotiated.response(), base);
      // The raw path, not a URL's: `/..` is an (invalid) index name, not a parent directory.
      const rawUrl = req.url ?? '/';
      const queryAt = rawUrl.indexOf('?');
      const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
      const params = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
      try {
        const result = router.route({ method: req.method ?? 'GET', path, params, body });
        await answer(req, res, result.status, result.body, { ...base, negotiated });
      } catch (err) {
        if (!(err instanceof EsError)) throw err;
        await answer(req, res, err.status, err.response(), { ...base, negotiated });
      }
    } catch (err) {
      const error = err instanceof EsError ? err : new EsError(500, 'exception', (err as Error).message);
      if (!res.headersSent) await answer(req, res, error.status, error.response(), base);
      else res.destroy();
    }
  };

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  // Periodic refresh, as `index.refresh_interval` (1 s by default) makes writes searchable.
  const lastRefresh = new Map<string, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const index of cluster.indices.values()) {
      const interval = index.refreshIntervalMs;
      if (interval < 0) continue;
      if (now - (lastRefresh.get(index.name) ?? index.creationDate) >= interval) {
        index.refresh();
        lastRefresh.set(index.name, now);
      }
    }
  }, REFRESH_TICK_MS);
  timer.unref();

  const targetsOf = (name: string) => {
    const stream = cluster.dataStreams.get(name);
    return stream !== undefined ? stream.backingIndices : [cluster.indices.get(name)].filter((i) => i !== undefined);
  };

  const documentsOf = (name: string): Map<string, { source: unknown; version: number; seqNo: number }> => {
    const result = new Map<string, { source: unknown; version: number; seqNo: number }>();
    for (const index of targetsOf(name)) {
      for (const [id, doc] of index.documents) result.set(id, { source: structuredClone(doc.source), version: doc.version, seqNo: doc.seqNo });
    }
    return result;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    mode: profile.mode,
    async close() {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    documents: documentsOf,
    count: (name) => targetsOf(name).reduce((n, index) => n + index.documents.size, 0),
    versions(name) {
      const result = new Map<string, number>();
      for (const index of targetsOf(name)) for (const [id, doc] of index.documents) result.set(id, doc.version);
      return result;
    },
    indices: () => [...cluster.indices.keys()].sort(),
    mapping(name) {
      const index = cluster.indices.get(name) ?? cluster.dataStreams.get(name)?.writeIndex;
      return index === undefined ? undefined : structuredClone(index.mappings);
    },
    dataStreams: () => [...cluster.dataStreams.keys()].sort(),
    failNextBulks: (status, count) => faults.failNextBulks(status, count),
    rejectNextItems: (count) => faults.rejectNextItems(count),
    setLatency(ms) {
      faults.latencyMs = Math.max(0, ms);
    },
    stats: () => structuredClone(bulk.stats),
    deleteIndex(name) {
      if (cluster.dataStreams.has(name)) cluster.deleteDataStream(name);
      else if (cluster.indices.has(name)) cluster.indices.delete(name);
    },
  };
}
