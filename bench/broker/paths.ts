/** Where things are, for the benchmark compiled to dist/bench/broker/. */
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const FERRY_CLI = path.join(REPO_ROOT, 'dist/cli/ferry.js');
export const LOOPBACK_SINK = path.join(import.meta.dirname, 'loopback-sink.js');
export const OUT_DIR = path.join(REPO_ROOT, 'bench/out');
export const APPEND_FLOOR_SINK = path.join(import.meta.dirname, 'append-floor-sink.js');
