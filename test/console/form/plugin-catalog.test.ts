import { describe, expect, it } from 'vitest';
import { classKindOfKey, countByTab, filterPlugins, shortPluginName } from '../../../console/src/form/plugin-catalog.js';
import { pluginList } from './worker-answers.js';

describe('the plugin picker', () => {
  const plugins = pluginList(false);

  it('shows short names without package and Connector suffix', () => {
    expect(shortPluginName('org.apache.kafka.connect.file.FileStreamSourceConnector')).toBe('FileStreamSource');
    expect(shortPluginName('io.debezium.connector.mysql.MySqlConnector')).toBe('MySql');
    expect(shortPluginName('FileStreamSink')).toBe('FileStreamSink');
    expect(shortPluginName('a.b.Connector')).toBe('Connector');
  });

  it('lists only connectors, sorted by short name, in the tab chosen', () => {
    const all = filterPlugins(plugins, 'all', '');
    expect(all.map((p) => shortPluginName(p.class))).toEqual([
      'ElasticsearchSink', 'FileStreamSink', 'FileStreamSource', 'MariaDb', 'MirrorCheckpoint', 'MirrorHeartbeat',
      'MirrorSource', 'MySql', 'S3Sink', 'S3Source',
    ]);
    expect(filterPlugins(plugins, 'sink', '').map((p) => shortPluginName(p.class))).toEqual(['ElasticsearchSink', 'FileStreamSink', 'S3Sink']);
    expect(filterPlugins(plugins, 'source', '').every((p) => p.type === 'source')).toBe(true);
    expect(countByTab(plugins)).toEqual({ all: 10, source: 7, sink: 3 });
  });

  it('searches short names and full classes, ignoring case', () => {
    expect(filterPlugins(plugins, 'all', 'file').map((p) => p.class)).toEqual([
      'org.apache.kafka.connect.file.FileStreamSinkConnector', 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    ]);
    expect(filterPlugins(plugins, 'source', '  DEBEZIUM ').map((p) => shortPluginName(p.class))).toEqual(['MariaDb', 'MySql']);
    expect(filterPlugins(plugins, 'sink', 'mirror')).toEqual([]);
  });

  it('knows which plugin type a CLASS key takes', () => {
    expect(classKindOfKey('value.converter')).toBe('converter');
    expect(classKindOfKey('header.converter')).toBe('header_converter');
    expect(classKindOfKey('transforms.route.type')).toBe('transformation');
    expect(classKindOfKey('predicates.p.type')).toBe('predicate');
    expect(classKindOfKey('connector.class')).toBeNull();
  });
});
