import { describe, expect, it } from 'vitest';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../../../runtime/metrics/exposition-format.js';
import type { MetricFamily } from '../../../runtime/metrics/metric-family.js';
import { parseExposition, valueOf } from './exposition-parser.js';

describe('the text exposition format', () => {
  it('writes HELP and TYPE lines before each family\'s samples', () => {
    const text = renderExposition([
      { name: 'jobs_total', help: 'Jobs done.', type: 'counter', samples: [{ labels: { queue: 'a' }, value: 3 }, { labels: { queue: 'b' }, value: 0 }] },
      { name: 'temperature_celsius', help: 'Now.', type: 'gauge', samples: [{ labels: {}, value: -1.5 }] },
    ]);
    expect(text).toBe([
      '# HELP jobs_total Jobs done.',
      '# TYPE jobs_total counter',
      'jobs_total{queue="a"} 3',
      'jobs_total{queue="b"} 0',
      '# HELP temperature_celsius Now.',
      '# TYPE temperature_celsius gauge',
      'temperature_celsius -1.5',
      '',
    ].join('\n'));
    expect(EXPOSITION_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('escapes backslashes, quotes and newlines in label values so they read back unchanged', () => {
    const nasty = 'C:\\dir\\"quoted"\nnext line ✓';
    const text = renderExposition([{ name: 'x', help: 'h', type: 'gauge', samples: [{ labels: { connector: nasty }, value: 1 }] }]);
    expect(text).toContain('x{connector="C:\\\\dir\\\\\\"quoted\\"\\nnext line ✓"} 1');
    expect(parseExposition(text).get('x')!.samples[0]!.labels.connector).toBe(nasty);
  });

  it('escapes backslashes and newlines in help text but keeps quotes', () => {
    const text = renderExposition([{ name: 'x', help: 'a "b" \\ c\nd', type: 'gauge', samples: [] }]);
    expect(text).toContain('# HELP x a "b" \\\\ c\\nd\n');
    expect(parseExposition(text).get('x')!.help).toBe('a "b" \\ c\nd');
  });

  it('spells special values as Prometheus does', () => {
    const samples = [NaN, Infinity, -Infinity, 0.25, 1e21].map((value, i) => ({ labels: { i: String(i) }, value }));
    const text = renderExposition([{ name: 'v', help: 'h', type: 'gauge', samples }]);
    expect(text.split('\n').slice(2, 7)).toEqual(['v{i="0"} NaN', 'v{i="1"} +Inf', 'v{i="2"} -Inf', 'v{i="3"} 0.25', 'v{i="4"} 1e+21']);
    const parsed = parseExposition(text);
    expect(valueOf(parsed, 'v', { i: '1' })).toBe(Infinity);
    expect(valueOf(parsed, 'v', { i: '4' })).toBe(1e21);
  });

  it('writes summaries as _sum and _count samples under one family', () => {
    const family: MetricFamily = {
      name: 'put_seconds', help: 'h', type: 'summary',
      samples: [{ suffix: '_sum', labels: { task: '0' }, value: 1.5 }, { suffix: '_count', labels: { task: '0' }, value: 3 }],
    };
    const parsed = parseExposition(renderExposition([family]));
    expect(parsed.get('put_seconds')!.samples.map((s) => [s.name, s.value])).toEqual([['put_seconds_sum', 1.5], ['put_seconds_count', 3]]);
  });

  it('refuses invalid metric and label names and a family rendered twice rather than emit an unparsable scrape', () => {
    expect(() => renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(/Invalid metric name/);
    expect(() => renderExposition([{ name: 'x', help: '', type: 'gauge', samples: [{ labels: { 'a-b': '1' }, value: 1 }] }])).toThrow(/Invalid label name/);
    expect(() => renderExposition([{ name: 'x', help: '', type: 'gauge', samples: [{ labels: { __name: '1' }, value: 1 }] }])).toThrow(/Invalid label name/);
    const twice: MetricFamily = { name: 'x', help: '', type: 'gauge', samples: [] };
    expect(() => renderExposition([twice, twice])).toThrow(/twice/);
  });
});

describe('the test parser', () => {
  it('rejects what Prometheus would reject', () => {
    expect(() => parseExposition('x 1')).toThrow(/newline/);
    expect(() => parseExposition('x{a="1} 1\n')).toThrow();
    expect(() => parseExposition('x{a="\\q"} 1\n')).toThrow(/escape/);
    expect(() => parseExposition('x one\n')).toThrow(/bad value/);
    expect(() => parseExposition('x 1\ny 1\nx 2\n')).toThrow(/continues/);
    expect(() => parseExposition('x{a="1"} 1\nx{a="1"} 2\n')).toThrow(/duplicate/);
    expect(() => parseExposition('x 1\n# TYPE x gauge\n')).toThrow(/after its samples/);
  });
});
