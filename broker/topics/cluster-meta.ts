/**
 * `meta.properties` in the data directory: the node id and the cluster id, a random UUID in
 * Kafka's 22-character base64url form, created once and kept across restarts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../log/log-files.js';

export const META_PROPERTIES = 'meta.properties';

/** A random Kafka UUID (16 bytes, base64url, never all zeros). */
export function randomKafkaUuid(): string {
  for (;;) {
    const bytes = randomBytes(16);
    if (bytes.some((b) => b !== 0)) return bytes.toString('base64url');
  }
}

export function readProperties(file: string): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq > 0) out.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  return out;
}

/** Reads the cluster id (creating meta.properties on first start) and records the node id. */
export function loadClusterMeta(dataDir: string, nodeId: number): { clusterId: string } {
  const file = path.join(dataDir, META_PROPERTIES);
  const props = readProperties(file);
  let clusterId = props.get('cluster.id');
  const valid = clusterId !== undefined && /^[A-Za-z0-9_-]{22}$/.test(clusterId);
  if (!valid) clusterId = randomKafkaUuid();
  if (!valid || props.get('node.id') !== String(nodeId)) {
    writeFileAtomic(file, `#ferry broker\nversion=1\nnode.id=${nodeId}\ncluster.id=${clusterId}\n`);
  }
  return { clusterId: clusterId! };
}
