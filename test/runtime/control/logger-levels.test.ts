import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { LoggerLevels, parseLogLevel, workerLoggerLevels } from '../../../runtime/control/logger-levels.js';

interface Line {
  level: number;
  component?: string;
  msg: string;
}

function capturingRoot(level = 'info'): { root: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { root: pino({ level }, stream), lines };
}

const messages = (lines: Line[]) => lines.map((l) => l.msg);

describe('LoggerLevels', () => {
  it('changes what a bound pino logger and the children made from it log', () => {
    const { root, lines } = capturingRoot();
    const worker = root.child({ component: 'worker' });
    const rest = root.child({ component: 'rest' });
    const task = worker.child({ task: 0 });
    const levels = new LoggerLevels(root);
    levels.register('ferry.worker', worker);
    levels.register('ferry.rest', rest);

    task.debug('hidden');
    expect(levels.setLevel('ferry.worker', 'debug')).toEqual(['ferry.worker']);
    task.debug('task debug');
    worker.debug('worker debug');
    rest.debug('rest debug');
    expect(messages(lines)).toEqual(['task debug', 'worker debug']);
  });

  it('sets every logger whose name starts with the namespace, and remembers the namespace itself', () => {
    const { root } = capturingRoot();
    const levels = new LoggerLevels(root);
    levels.register('org.apache.kafka.connect.runtime', root.child({ component: 'worker' }));
    levels.register('org.apache.kafka.connect.runtime.rest', root.child({ component: 'rest' }));
    levels.register('org.apache.kafka.clients', root.child({ component: 'kafka' }));

    expect(levels.setLevel('org.apache.kafka.connect', 'TRACE')).toEqual([
      'org.apache.kafka.connect', 'org.apache.kafka.connect.runtime', 'org.apache.kafka.connect.runtime.rest',
    ]);
    expect(levels.level('org.apache.kafka.connect')?.level).toBe('TRACE');
    expect(levels.level('org.apache.kafka.connect.runtime.rest')?.level).toBe('TRACE');
    expect(levels.level('org.apache.kafka.clients')?.level).toBe('INFO');
  });

  it('sets every logger and the root pino logger for root, so unregistered children follow', () => {
    const { root, lines } = capturingRoot();
    const broker = root.child({ component: 'broker' });
    const levels = new LoggerLevels(root);
    levels.register('ferry.worker', root.child({ component: 'worker' }));
    levels.setLevel('ferry.worker', 'DEBUG');

    expect(levels.setLevel('root', 'WARN')).toEqual(['ferry.worker', 'root']);
    broker.info('broker info');
    broker.warn('broker warn');
    expect(messages(lines)).toEqual(['broker warn']);
    expect(levels.all()).toEqual({
      'ferry.worker': { level: 'WARN', last_modified: expect.any(Number) },
      root: { level: 'WARN', last_modified: expect.any(Number) },
    });
  });

  it('shows names that share a pino logger at its current level', () => {
    const { root } = capturingRoot();
    const levels = workerLoggerLevels(root, {
      worker: root.child({ component: 'worker' }), rest: root.child({ component: 'rest' }), kafka: root.child({ component: 'kafka' }),
    });
    levels.setLevel('org.apache.kafka.connect.runtime', 'ERROR');
    expect(levels.level('ferry.worker')?.level).toBe('ERROR');
    expect(levels.level('ferry.rest')?.level).toBe('ERROR');
    levels.setLevel('ferry.worker', 'DEBUG');
    expect(levels.level('org.apache.kafka.connect.runtime')?.level).toBe('DEBUG');
    expect(Object.keys(levels.all())).toEqual([
      'ferry.kafka', 'ferry.rest', 'ferry.worker', 'org.apache.kafka.clients', 'org.apache.kafka.connect.runtime',
      'org.apache.kafka.connect.runtime.rest', 'root',
    ]);
  });

  it('records the time of a change only when the level actually changed', () => {
    let now = 1000;
    const levels = new LoggerLevels(undefined, { now: () => now });
    levels.setLevel('a.b', 'DEBUG');
    expect(levels.level('a.b')).toEqual({ level: 'DEBUG', last_modified: 1000 });
    now = 2000;
    expect(levels.setLevel('a', 'debug')).toEqual(['a', 'a.b']);
    expect(levels.level('a.b')).toEqual({ level: 'DEBUG', last_modified: 1000 });
    expect(levels.level('a')).toEqual({ level: 'DEBUG', last_modified: 2000 });
  });

  it('silences a logger at OFF and lets it log everything at ALL', () => {
    const { root, lines } = capturingRoot();
    const worker = root.child({ component: 'worker' });
    const levels = new LoggerLevels(root);
    levels.register('ferry.worker', worker);
    levels.setLevel('ferry.worker', 'OFF');
    worker.fatal('silenced');
    expect(levels.level('ferry.worker')?.level).toBe('OFF');
    levels.setLevel('ferry.worker', 'ALL');
    worker.trace('traced');
    expect(messages(lines)).toEqual(['traced']);
    expect(levels.level('ferry.worker')?.level).toBe('ALL');
  });

  it('knows root in any case and no other name it was not told', () => {
    const levels = new LoggerLevels();
    expect(levels.level('ROOT')).toEqual({ level: 'INFO', last_modified: null });
    expect(levels.level('org.example')).toBeNull();
  });

  it('refuses a level log4j does not know', () => {
    const levels = new LoggerLevels();
    expect(() => levels.setLevel('a', 'LOUD')).toThrow("invalid log level 'LOUD'.");
    expect(levels.level('a')).toBeNull();
  });
});

describe('parseLogLevel', () => {
  it('accepts log4j level names in any case', () => {
    expect(['off', 'Fatal', 'ERROR', 'warn', 'info', 'debug', 'trace', 'all'].map(parseLogLevel))
      .toEqual(['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL']);
    expect(parseLogLevel('warning')).toBeUndefined();
  });
});
