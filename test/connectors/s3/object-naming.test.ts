import { describe, expect, it } from 'vitest';
import { objectKey, parseObjectName, topicPrefix, type ObjectLayout } from '../../../connectors/s3/storage/object-naming.js';
import { viewOfSuffix } from '../../../connectors/s3/storage/record-views.js';

const CONFLUENT: ObjectLayout = { topicsDir: 'topics', directoryDelim: '/', fileDelim: '+', offsetPadWidth: 10 };

describe('object keys', () => {
  it('are <topics.dir>/<topic>/<encoded partition>/<topic>+<partition>+<offset padded to 10><suffix>, as in Confluent\'s examples', () => {
    expect(objectKey(CONFLUENT, 'orders', 'partition=3', 3, 12000, '.json')).toBe('topics/orders/partition=3/orders+3+0000012000.json');
    expect(objectKey(CONFLUENT, 'orders', 'year=2024/month=06/day=10/hour=13', 3, 12000, '.keys.json'))
      .toBe('topics/orders/year=2024/month=06/day=10/hour=13/orders+3+0000012000.keys.json');
    expect(objectKey(CONFLUENT, 'orders', 'partition=0', 0, 0, '.bin.gz')).toBe('topics/orders/partition=0/orders+0+0000000000.bin.gz');
  });

  it('leave out topics.dir when it is empty and use the configured delimiters and padding', () => {
    const layout: ObjectLayout = { topicsDir: '', directoryDelim: '#', fileDelim: '_', offsetPadWidth: 4 };
    expect(objectKey(layout, 'a.b', 'partition=1', 1, 7, '.json')).toBe('a.b#partition=1#a.b_1_0007.json');
    expect(topicPrefix(layout, 'a.b')).toBe('a.b#');
  });

  it('keep offsets wider than the padding whole', () => {
    expect(objectKey(CONFLUENT, 't', 'partition=0', 0, 12345678901, '.json')).toBe('topics/t/partition=0/t+0+12345678901.json');
  });

  it('parse back into topic, partition, start offset and suffix; names outside the layout give null', () => {
    expect(parseObjectName(CONFLUENT, 'orders', 'topics/orders/region=eu/orders+3+0000012000.headers.json'))
      .toEqual({ topic: 'orders', kafkaPartition: 3, startOffset: 12000, suffix: '.headers.json' });
    expect(parseObjectName(CONFLUENT, 'my_topic', 'topics/my_topic/partition=0/my_topic+0+0000000005.json')?.startOffset).toBe(5);
    expect(parseObjectName(CONFLUENT, 'orders', 'topics/orders/partition=3/README.md')).toBeNull();
    expect(parseObjectName(CONFLUENT, 'orders', 'topics/orders/partition=3/orders+x+0000000001.json')).toBeNull();
    expect(parseObjectName(CONFLUENT, 'orders', 'topics/orders/partition=3/orders+1+00000abc.json')).toBeNull();
  });

  it('tell value files from key, header and metadata side files by suffix', () => {
    const ext = ['.json', '.bin'];
    expect(viewOfSuffix('.json', ext)).toEqual({ view: 'value', extension: '.json', gzip: false });
    expect(viewOfSuffix('.bin.gz', ext)).toEqual({ view: 'value', extension: '.bin', gzip: true });
    expect(viewOfSuffix('.keys.bin', ext)).toEqual({ view: 'keys', extension: '.bin', gzip: false });
    expect(viewOfSuffix('.headers.json.gz', ext)).toEqual({ view: 'headers', extension: '.json', gzip: true });
    expect(viewOfSuffix('.metadata.json', ext)).toEqual({ view: 'metadata', extension: '.json', gzip: false });
    expect(viewOfSuffix('.snappy.parquet', ext)).toBeNull();
  });
});
