/**
 * A client that costs next to nothing: Produce v8 requests carrying one pre-encoded
 * ~1 MB record batch (like librdkafka's batch.size=1000000), encoded once and written again
 * and again on one connection with a fixed number in flight. Only the request header
 * (correlation id) is built per request, so the figure is the broker's own produce ceiling,
 * without a client's per-record work competing for the two cores.
 */
import net from 'node:net';
import { encodeBatch } from '../../broker/protocol/record-batch.js';
import { Produce } from '../../broker/protocol/apis/produce.js';
import { Reader } from '../../broker/protocol/reader.js';
import { Writer } from '../../broker/protocol/writer.js';
import { writeRequestHeader } from '../../broker/protocol/request-header.js';
import { payload } from './record-payloads.js';

const PRODUCE_VERSION = 8;
const BATCH_BYTES = 1_000_000;
/** Per-record batch overhead (attributes, deltas, lengths) assumed when sizing batches. */
const RECORD_OVERHEAD = 12;

export interface ReplayOptions {
  host: string;
  port: number;
  topic: string;
  recordBytes: number;
  records: number;
  acks: -1 | 1;
  inFlight: number;
}

export interface ReplayOutcome {
  clientCpuSeconds: number;
  recordsPerRequest: number;
}

export function recordsPerReplayBatch(recordBytes: number): number {
  return Math.max(1, Math.floor(BATCH_BYTES / (recordBytes + RECORD_OVERHEAD)));
}

function produceBody(topic: string, acks: number, recordBytes: number, count: number): Buffer {
  const batch = encodeBatch({
    records: Array.from({ length: count }, (_, i) => ({ key: null, value: payload(recordBytes, i) })),
  });
  return Produce.request.encode(new Writer(batch.length + 256), PRODUCE_VERSION, {
    transactionalId: null,
    acks,
    timeoutMs: 30_000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
  }).toBuffer();
}

function frameHead(correlationId: number, bodyBytes: number): Buffer {
  const w = new Writer(64);
  writeRequestHeader(w, { apiKey: Produce.key, apiVersion: PRODUCE_VERSION, correlationId, clientId: 'ferry-bench-replay' }, false);
  const header = w.toBuffer();
  const head = Buffer.allocUnsafe(4 + header.length);
  head.writeInt32BE(header.length + bodyBytes, 0);
  header.copy(head, 4);
  return head;
}

export function replayProduce(o: ReplayOptions): Promise<ReplayOutcome> {
  const perRequest = recordsPerReplayBatch(o.recordBytes);
  const requests = Math.ceil(o.records / perRequest);
  const lastCount = o.records - (requests - 1) * perRequest;
  const fullBody = produceBody(o.topic, o.acks, o.recordBytes, perRequest);
  const lastBody = lastCount === perRequest ? fullBody : produceBody(o.topic, o.acks, o.recordBytes, lastCount);
  const cpu = process.cpuUsage();

  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: o.host, port: o.port });
    socket.setNoDelay(true);
    let sent = 0;
    let answered = 0;
    let pending: Buffer = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    const sendNext = () => {
      const body = sent === requests - 1 ? lastBody : fullBody;
      socket.cork();
      socket.write(frameHead(sent, body.length));
      socket.write(body);
      socket.uncork();
      sent++;
    };
    const onResponse = (frame: Buffer) => {
      const r = new Reader(frame);
      const correlationId = r.int32();
      if (correlationId !== answered) return fail(new Error(`response ${correlationId} arrived when ${answered} was due`));
      const response = Produce.response.decode(r, PRODUCE_VERSION);
      for (const t of response.responses) {
        for (const p of t.partitionResponses) {
          if (p.errorCode !== 0) return fail(new Error(`produce to ${t.name}-${p.index} failed with error ${p.errorCode}: ${p.errorMessage ?? ''}`));
        }
      }
      answered++;
      if (answered === requests) {
        const used = process.cpuUsage(cpu);
        socket.end();
        resolve({ clientCpuSeconds: (used.user + used.system) / 1e6, recordsPerRequest: perRequest });
      } else if (sent < requests) {
        sendNext();
      }
    };
    socket.on('connect', () => {
      while (sent < Math.min(o.inFlight, requests)) sendNext();
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (pending.length < 4 + size) break;
        onResponse(pending.subarray(4, 4 + size));
        pending = pending.subarray(4 + size);
      }
    });
    socket.on('error', fail);
    socket.on('close', () => {
      if (answered < requests) fail(new Error(`broker closed the connection after ${answered} of ${requests} responses`));
    });
  });
}
