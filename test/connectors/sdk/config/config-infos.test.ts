import { describe, expect, it } from 'vitest';
import { commonConnectorSpec, sinkConnectorSpec } from '../../../../runtime/config/connector-config.js';
import { addIssues, defineConfig, int, list, mergeConfigInfos, password, string, validators } from '../../../../connectors/sdk/config/config-spec.js';

describe('Kafka Connect config entities', () => {
  it('describes a key exactly like Kafka\'s ConfigKeyInfo for tasks.max', () => {
    const doc = commonConnectorSpec.fields['tasks.max'].doc;
    expect(JSON.stringify(commonConnectorSpec.describe()[2])).toBe(
      `{"name":"tasks.max","type":"INT","required":false,"default_value":"1","importance":"HIGH","documentation":${JSON.stringify(doc)},`
      + '"group":"Common","order":3,"width":"SHORT","display_name":"Tasks max","dependents":[]}',
    );
  });

  it('produces the validate response body byte for byte for a small plugin', () => {
    const plugin = defineConfig({
      'file': string({ doc: 'Output file.', default: null, importance: 'HIGH', group: 'File', width: 'LONG', displayName: 'File' }),
      'batch.size': int({ doc: 'Batch size.', default: 100, validator: validators.atLeast(1), importance: 'LOW', group: 'File' }),
      'topics': list({ doc: 'Topics.', importance: 'HIGH' }),
      'secret': password({ doc: 'Secret.', default: null, importance: 'MEDIUM', dependents: ['file'] }),
    });
    const body = plugin.toConfigInfos('org.example.FileSink', { 'batch.size': '0', topics: 'a, b', secret: 'pw', 'x.y': null, extra: 'kept' });
    expect(JSON.stringify(body)).toBe(
      '{"name":"org.example.FileSink","error_count":2,"groups":["File"],"configs":['
      + '{"definition":null,"value":{"name":"x.y","value":null,"recommended_values":[],'
      + '"errors":["Null value can not be supplied as the configuration value."],"visible":true}},'
      + '{"definition":{"name":"file","type":"STRING","required":false,"default_value":null,"importance":"HIGH",'
      + '"documentation":"Output file.","group":"File","order":1,"width":"LONG","display_name":"File","dependents":[]},'
      + '"value":{"name":"file","value":null,"recommended_values":[],"errors":[],"visible":true}},'
      + '{"definition":{"name":"batch.size","type":"INT","required":false,"default_value":"100","importance":"LOW",'
      + '"documentation":"Batch size.","group":"File","order":2,"width":"NONE","display_name":"batch.size","dependents":[]},'
      + '"value":{"name":"batch.size","value":"0","recommended_values":[],'
      + '"errors":["Invalid value 0 for configuration batch.size: Value must be at least 1"],"visible":true}},'
      + '{"definition":{"name":"topics","type":"LIST","required":true,"default_value":null,"importance":"HIGH",'
      + '"documentation":"Topics.","group":null,"order":-1,"width":"NONE","display_name":"topics","dependents":[]},'
      + '"value":{"name":"topics","value":"a,b","recommended_values":[],"errors":[],"visible":true}},'
      + '{"definition":{"name":"secret","type":"PASSWORD","required":false,"default_value":null,"importance":"MEDIUM",'
      + '"documentation":"Secret.","group":null,"order":-1,"width":"NONE","display_name":"secret","dependents":["file"]},'
      + '"value":{"name":"secret","value":"[hidden]","recommended_values":[],"errors":[],"visible":true}}]}',
    );
  });

  it('validates a sink connector the way Kafka reports it: framework keys, then plugin keys', () => {
    const fileSink = defineConfig({
      file: string({ doc: 'Destination file.', default: null, importance: 'HIGH' }),
    });
    const spec = sinkConnectorSpec.merge(fileSink, { onConflict: 'override' });
    const body = spec.toConfigInfos('FileStreamSink', { 'connector.class': 'FileStreamSink', name: 'my-sink', 'tasks.max': 1 });
    const doc = (name: string) => (spec.fields as Record<string, { doc: string }>)[name].doc;
    const def = (name: string, type: string, required: boolean, dflt: string | null, importance: string,
      group: string | null, order: number, width: string, display: string) => ({
      name, type, required, default_value: dflt, importance, documentation: doc(name), group, order, width, display_name: display, dependents: [],
    });
    const val = (name: string, value: string | null, errors: string[] = []) => ({ name, value, recommended_values: [], errors, visible: true });
    const neither = 'Must configure one of topics or topics.regex';
    const expected = {
      name: 'FileStreamSink',
      error_count: 2,
      groups: ['Common', 'Transforms', 'Predicates', 'Error Handling'],
      configs: [
        { definition: def('name', 'STRING', true, null, 'HIGH', 'Common', 1, 'MEDIUM', 'Connector name'), value: val('name', 'my-sink') },
        { definition: def('connector.class', 'STRING', true, null, 'HIGH', 'Common', 2, 'LONG', 'Connector class'), value: val('connector.class', 'FileStreamSink') },
        { definition: def('tasks.max', 'INT', false, '1', 'HIGH', 'Common', 3, 'SHORT', 'Tasks max'), value: val('tasks.max', '1') },
        { definition: def('tasks.max.enforce', 'BOOLEAN', false, 'true', 'LOW', 'Common', 4, 'SHORT', 'Enforce tasks max'), value: val('tasks.max.enforce', 'true') },
        { definition: def('key.converter', 'CLASS', false, null, 'LOW', 'Common', 5, 'SHORT', 'Key converter class'), value: val('key.converter', null) },
        { definition: def('value.converter', 'CLASS', false, null, 'LOW', 'Common', 6, 'SHORT', 'Value converter class'), value: val('value.converter', null) },
        { definition: def('header.converter', 'CLASS', false, null, 'LOW', 'Common', 7, 'SHORT', 'Header converter class'), value: val('header.converter', null) },
        { definition: def('transforms', 'LIST', false, '', 'LOW', 'Transforms', 8, 'LONG', 'Transforms'), value: val('transforms', '') },
        { definition: def('predicates', 'LIST', false, '', 'LOW', 'Predicates', 9, 'LONG', 'Predicates'), value: val('predicates', '') },
        { definition: def('config.action.reload', 'STRING', false, 'restart', 'LOW', 'Common', 10, 'MEDIUM', 'Reload Action'), value: val('config.action.reload', 'restart') },
        { definition: def('errors.retry.timeout', 'LONG', false, '0', 'MEDIUM', 'Error Handling', 1, 'MEDIUM', 'Retry Timeout for Errors'), value: val('errors.retry.timeout', '0') },
        { definition: def('errors.retry.delay.max.ms', 'LONG', false, '60000', 'MEDIUM', 'Error Handling', 2, 'MEDIUM', 'Maximum Delay Between Retries for Errors'), value: val('errors.retry.delay.max.ms', '60000') },
        { definition: def('errors.tolerance', 'STRING', false, 'none', 'MEDIUM', 'Error Handling', 3, 'SHORT', 'Error Tolerance'), value: val('errors.tolerance', 'none') },
        { definition: def('errors.log.enable', 'BOOLEAN', false, 'false', 'MEDIUM', 'Error Handling', 4, 'SHORT', 'Log Errors'), value: val('errors.log.enable', 'false') },
        { definition: def('errors.log.include.messages', 'BOOLEAN', false, 'false', 'MEDIUM', 'Error Handling', 5, 'SHORT', 'Log Error Details'), value: val('errors.log.include.messages', 'false') },
        { definition: def('topics', 'LIST', false, '', 'HIGH', 'Common', 4, 'LONG', 'Topics'), value: val('topics', '', [neither]) },
        { definition: def('topics.regex', 'STRING', false, '', 'HIGH', 'Common', 4, 'LONG', 'Topics regex'), value: val('topics.regex', '', [neither]) },
        { definition: def('errors.deadletterqueue.topic.name', 'STRING', false, '', 'MEDIUM', 'Error Handling', 6, 'MEDIUM', 'Dead Letter Queue Topic Name'), value: val('errors.deadletterqueue.topic.name', '') },
        { definition: def('errors.deadletterqueue.topic.replication.factor', 'SHORT', false, '3', 'MEDIUM', 'Error Handling', 7, 'MEDIUM', 'Dead Letter Queue Topic Replication Factor'), value: val('errors.deadletterqueue.topic.replication.factor', '3') },
        { definition: def('errors.deadletterqueue.context.headers.enable', 'BOOLEAN', false, 'false', 'MEDIUM', 'Error Handling', 8, 'MEDIUM', 'Enable Error Context Headers'), value: val('errors.deadletterqueue.context.headers.enable', 'false') },
        { definition: def('file', 'STRING', false, null, 'HIGH', null, -1, 'NONE', 'file'), value: val('file', null) },
      ],
    };
    expect(JSON.stringify(body)).toBe(JSON.stringify(expected));
  });

  it('merges several validate results, summing errors and listing each group once', () => {
    const a = defineConfig({ x: int({ doc: 'x', default: 1, group: 'A' }) }).toConfigInfos('p', {});
    const b = defineConfig({ y: int({ doc: 'y' }) }).toConfigInfos('p', {});
    const merged = mergeConfigInfos('p', a, b);
    expect(merged.error_count).toBe(1);
    expect(merged.groups).toEqual(['A']);
    expect(merged.configs.map((c) => c.definition?.name)).toEqual(['x', 'y']);
  });

  it('attaches issues from a connector\'s own validation to the reported keys', () => {
    const spec = defineConfig({ url: string({ doc: 'u' }) });
    const validation = addIssues(spec.validate({ url: 'x' }), [
      { name: 'url', message: 'Could not connect' },
      { name: 'table', message: 'No such table' },
    ]);
    const body = spec.toConfigInfos('p', validation);
    expect(body.error_count).toBe(2);
    expect(body.configs.map((c) => [c.definition?.name ?? null, c.value?.errors])).toEqual([
      [null, ['No such table']],
      ['url', ['Could not connect']],
    ]);
  });
});
