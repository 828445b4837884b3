/**
 * The options every `ferry topics` and `ferry groups` command takes (declared once, spread into
 * each command), and what they turn into: the session options and the output writer.
 */
import { readPropertiesFile } from '../../runtime/config/properties-file.js';
import type { TextSink } from '../command-line/command-io.js';
import { oneLine } from '../command-line/one-line.js';
import { UserError } from '../command-line/user-error.js';
import { DEFAULT_BOOTSTRAP_SERVER, type SessionOptions } from './kafka-session.js';

export const CLUSTER_OPTIONS = {
  'bootstrap-server': {
    type: 'string',
    valueName: 'HOST:PORT',
    default: DEFAULT_BOOTSTRAP_SERVER,
    env: 'FERRY_BOOTSTRAP_SERVER',
    description: 'the Kafka cluster, brokers comma-separated; the default is where ferry start runs its broker',
  },
  'command-config': {
    type: 'string',
    valueName: 'FILE',
    description: 'client properties: security.protocol, sasl.*, ssl.*, request.timeout.ms, default.api.timeout.ms',
  },
} as const;

export const JSON_OPTION = {
  json: { type: 'boolean', description: 'print JSON instead of a table' },
} as const;

export async function sessionOptions(options: { 'bootstrap-server': string; 'command-config': string | undefined }, clientId: string): Promise<SessionOptions> {
  const file = options['command-config'];
  let clientProperties: Record<string, string> = {};
  if (file !== undefined) {
    try {
      clientProperties = await readPropertiesFile(file);
    } catch (err) {
      throw new UserError(`cannot read --command-config ${file}: ${oneLine(err)}`, { cause: err });
    }
  }
  return { bootstrapServer: options['bootstrap-server'], clientProperties, clientId };
}

/**
 * Writes to a sink and, when it is a stream whose buffer is full, waits until it drained, so a
 * slow reader of standard output slows the command down instead of filling memory. A stream
 * that failed or closed (the reader went away: EPIPE) ends the wait, and later writes are dropped.
 */
export function drainingWriter(sink: TextSink): (text: string) => Promise<void> {
  type Listener = () => void;
  const stream = sink as TextSink & {
    once?: (event: string, listener: Listener) => unknown;
    off?: (event: string, listener: Listener) => unknown;
    writable?: boolean;
  };
  let broken = false;
  return async (text) => {
    if (broken || stream.writable === false) return;
    const accepted = sink.write(text);
    if (accepted !== false || typeof stream.once !== 'function') return;
    await new Promise<void>((resolve) => {
      const drained = () => done(false);
      const failed = () => done(true);
      const done = (fail: boolean) => {
        broken ||= fail;
        for (const [event, listener] of [['drain', drained], ['error', failed], ['close', failed]] as const) stream.off?.(event, listener);
        resolve();
      };
      stream.once!('drain', drained);
      stream.once!('error', failed);
      stream.once!('close', failed);
    });
  };
}

/** Lines of a byte or text stream, without their line ends (\n or \r\n); a last line without one counts. */
export async function* linesOf(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      yield pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending !== '') yield pending.replace(/\r$/, '');
}
