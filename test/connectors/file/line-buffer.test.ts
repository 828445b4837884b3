import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../connectors/file/line-buffer.js';

function drain(buffer: LineBuffer): [string, number][] {
  const out: [string, number][] = [];
  for (let line = buffer.nextLine(); line !== null; line = buffer.nextLine()) out.push([line, buffer.consumed]);
  return out;
}

describe('LineBuffer', () => {
  it('splits on \\n, \\r\\n and a lone \\r, reporting the offset after each terminator', () => {
    const buffer = new LineBuffer(64, 'utf8');
    buffer.append(Buffer.from('a\nbb\r\nccc\rd\n\n'));
    expect(drain(buffer)).toEqual([['a', 2], ['bb', 6], ['ccc', 10], ['d', 12], ['', 13]]);
  });

  it('holds back a partial line and a trailing \\r until the next bytes arrive', () => {
    const buffer = new LineBuffer(64, 'utf8');
    buffer.append(Buffer.from('one\ntw'));
    expect(drain(buffer)).toEqual([['one', 4]]);
    buffer.append(Buffer.from('o\r'));
    expect(drain(buffer)).toEqual([]);
    buffer.append(Buffer.from('\nthree\n'));
    expect(drain(buffer)).toEqual([['two', 9], ['three', 15]]);
  });

  it('keeps offsets exact across compaction and growth for lines longer than the buffer', () => {
    const buffer = new LineBuffer(16, 'utf8');
    const long = 'x'.repeat(100);
    const text = `short\n${long}\r\nend\n`;
    const lines: [string, number][] = [];
    for (let i = 0; i < text.length; i += 7) {
      buffer.append(Buffer.from(text.slice(i, i + 7)));
      lines.push(...drain(buffer));
    }
    expect(lines).toEqual([['short', 6], [long, 108], ['end', 112]]);
  });

  it('decodes multi-byte UTF-8 and counts bytes, not characters', () => {
    const buffer = new LineBuffer(64, 'utf8');
    buffer.append(Buffer.from('héllo\n€\n'));
    expect(drain(buffer)).toEqual([['héllo', 7], ['€', 11]]);
  });

  it('hands out the unterminated rest as a last line on request', () => {
    const buffer = new LineBuffer(64, 'utf8');
    buffer.reset(100);
    buffer.append(Buffer.from('a\nbc\r'));
    expect(drain(buffer)).toEqual([['a', 102]]);
    expect(buffer.rest()).toBe('bc');
    expect(buffer.consumed).toBe(105);
    expect(buffer.rest()).toBeNull();
  });
});
