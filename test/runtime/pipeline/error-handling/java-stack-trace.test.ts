import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { describeThrown, javaStackTrace } from '../../../../runtime/pipeline/error-handling/java-stack-trace.js';

describe('javaStackTrace', () => {
  it('prints the error as "Name: message" followed by tab-indented frames, every line ending in a newline', () => {
    const trace = javaStackTrace(new DataError('bad value'));
    const lines = trace.split('\n');
    expect(lines[0]).toBe('DataError: bad value');
    expect(lines[1]).toMatch(/^\tat \S/);
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -1).every((l) => l.startsWith('\tat '))).toBe(true);
  });

  it('follows the cause chain with "Caused by:" and stops at a cycle', () => {
    const inner = new Error('inner');
    const outer = new Error('outer', { cause: inner });
    (inner as { cause?: unknown }).cause = outer;
    const headlines = javaStackTrace(outer).split('\n').filter((l) => !l.startsWith('\tat ') && l !== '');
    expect(headlines).toEqual(['Error: outer', 'Caused by: Error: inner']);
  });

  it('describes a thrown non-Error value as an Error with its text', () => {
    expect(describeThrown('boom')).toEqual({ className: 'Error', message: 'boom', frames: [] });
    expect(javaStackTrace('boom')).toBe('Error: boom\n');
    expect(javaStackTrace(new RangeError())).toMatch(/^RangeError\n/);
  });
});
