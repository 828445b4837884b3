import { describe, expect, it } from 'vitest';
import {
  configForText, configToSubmit, definitionsOf, isProviderReference, loadedFormState, MASK, newFormState,
  replaceConfig, setValue, touch,
} from '../../../console/src/form/form-state.js';
import { FILE_SOURCE, MYSQL, validateAnswer } from './worker-answers.js';

const fileSourceDefinitions = definitionsOf(validateAnswer({ 'connector.class': FILE_SOURCE, name: '' }));

describe('the config a new connector form submits', () => {
  it('is name, connector.class and the keys set to something other than their default', () => {
    let state = newFormState(FILE_SOURCE);
    state = setValue(state, 'topic', 'lines');
    state = setValue(state, 'tasks.max', '1'); // the default
    state = setValue(state, 'batch.size', '500');
    state = setValue(state, 'name', 'local-file-source');
    state = setValue(state, 'file', '/tmp/in.txt');
    const config = configToSubmit(state, fileSourceDefinitions);
    expect(config).toEqual({
      name: 'local-file-source', 'connector.class': FILE_SOURCE, topic: 'lines', 'batch.size': '500', file: '/tmp/in.txt',
    });
    expect(Object.keys(config).slice(0, 2)).toEqual(['name', 'connector.class']);
  });

  it('drops a key whose field was emptied, so it falls back to its default', () => {
    let state = setValue(newFormState(FILE_SOURCE), 'batch.size', '500');
    state = setValue(state, 'batch.size', '');
    expect(state.values).toEqual({});
    expect(configToSubmit(state, fileSourceDefinitions)).toEqual({ name: '', 'connector.class': FILE_SOURCE });
    expect(state.touched.has('batch.size')).toBe(true);
  });

  it('keeps keys the plugin does not declare', () => {
    const state = setValue(newFormState(FILE_SOURCE), 'consumer.override.max.poll.records', '10');
    expect(configToSubmit(state, fileSourceDefinitions)['consumer.override.max.poll.records']).toBe('10');
  });

  it('sends imported keys even when they equal the default, in the imported order', () => {
    const imported = { name: 'n', 'connector.class': FILE_SOURCE, 'tasks.max': '1', topic: 't', file: '/f' };
    const state = replaceConfig(newFormState(FILE_SOURCE), imported);
    const config = configToSubmit(state, fileSourceDefinitions);
    expect(config).toEqual(imported);
    expect(Object.keys(config)).toEqual(Object.keys(imported));
    expect(configForText(state, fileSourceDefinitions)).toEqual(imported);
  });

  it('takes the plugin from connector.class of imported text', () => {
    const state = replaceConfig(newFormState(FILE_SOURCE), { name: 'n', 'connector.class': 'FileStreamSink', topics: 't' });
    expect(state.connectorClass).toBe('FileStreamSink');
    expect(state.values).toEqual({ name: 'n', topics: 't' });
  });

  it('marks a field touched when the user leaves it', () => {
    const state = touch(newFormState(FILE_SOURCE), 'topic');
    expect(state.touched.has('topic')).toBe(true);
    expect(touch(state, 'topic')).toBe(state);
  });
});

describe('secrets of an existing connector', () => {
  const mysqlConfig = {
    'connector.class': MYSQL,
    name: 'inventory',
    'database.hostname': 'db',
    'database.user': 'cdc',
    'database.password': 'hunter2',
    'topic.prefix': 'inv',
  };
  const definitions = definitionsOf(validateAnswer(mysqlConfig));

  it('are masked in text views and sent as loaded when the user did not change them', () => {
    const state = loadedFormState(mysqlConfig, definitions);
    expect([...state.masked]).toEqual(['database.password']);
    expect(configForText(state, definitions)['database.password']).toBe(MASK);
    expect(configToSubmit(state, definitions)['database.password']).toBe('hunter2');
  });

  it('keep the loaded value when JSON comes back with the mask', () => {
    const state = loadedFormState(mysqlConfig, definitions);
    const edited = replaceConfig(state, { ...configForText(state, definitions), 'database.user': 'reader' });
    expect(configToSubmit(edited, definitions)).toMatchObject({ 'database.password': 'hunter2', 'database.user': 'reader' });
    expect(edited.masked.has('database.password')).toBe(true);
  });

  it('are replaced by what the user types, which is then no longer masked', () => {
    const state = setValue(loadedFormState(mysqlConfig, definitions), 'database.password', 'n3w');
    expect(state.masked.size).toBe(0);
    expect(configToSubmit(state, definitions)['database.password']).toBe('n3w');
    expect(configForText(state, definitions)['database.password']).toBe('n3w');
  });

  it('are not masked when they are config provider references, which stay exactly as written', () => {
    const reference = '${file:/etc/ferry/secrets.properties:db.password}';
    const state = loadedFormState({ ...mysqlConfig, 'database.password': reference }, definitions);
    expect(state.masked.size).toBe(0);
    expect(configForText(state, definitions)['database.password']).toBe(reference);
    expect(configToSubmit(state, definitions)['database.password']).toBe(reference);
    expect(isProviderReference(reference)).toBe(true);
    expect(isProviderReference('${env:DB_PASSWORD}')).toBe(true);
    expect(isProviderReference('$notareference')).toBe(false);
  });

  it('keep every loaded key, defaults included, so an edit removes nothing by itself', () => {
    const loaded = { ...mysqlConfig, 'tasks.max': '1' };
    const state = loadedFormState(loaded, definitions);
    expect(configToSubmit(state, definitions)).toEqual({ name: 'inventory', ...loaded });
  });
});
