import { describe, expect, it } from 'vitest';
import type { ConfigInfos } from '../../../console/src/api/types.js';
import { buildFormModel, OTHER_GROUP, orderGroups, widgetFor, type FormModel } from '../../../console/src/form/form-model.js';
import { loadedFormState, newFormState, setValue, showAllErrors, touch, definitionsOf } from '../../../console/src/form/form-state.js';
import { FILE_SINK, FILE_SOURCE, MYSQL, validateAnswer } from './worker-answers.js';

const field = (model: FormModel, key: string) => model.groups.flatMap((group) => group.fields).find((f) => f.key === key);
const keysOf = (model: FormModel, group: string) => model.groups.find((g) => g.title === group)?.fields.map((f) => f.key);

describe('groups and keys of a plugin', () => {
  const answer = validateAnswer({ 'connector.class': FILE_SOURCE, name: '' });
  const advanced = buildFormModel(answer, newFormState(FILE_SOURCE), { advanced: true });

  it('puts Common first, then the groups with the most HIGH keys, then by name', () => {
    // FileStreamSource's own keys have no group: they form one named after the plugin, with 2 HIGH keys.
    expect(advanced.groups.map((g) => g.title)).toEqual([
      'Common', 'FileStreamSource', 'Error Handling', 'Exactly Once Support', 'offsets.topic', 'Predicates', 'Topic Creation', 'Transforms',
    ]);
  });

  it('orders keys by their definition order', () => {
    expect(keysOf(advanced, 'Common')).toEqual([
      'name', 'connector.class', 'tasks.max', 'tasks.max.enforce', 'key.converter', 'value.converter', 'header.converter', 'config.action.reload',
    ]);
  });

  it('orders groups by HIGH count, then name', () => {
    expect(orderGroups([
      { name: 'B', title: 'B', highCount: 1 }, { name: 'A', title: 'A', highCount: 1 },
      { name: 'Many', title: 'Many', highCount: 3 }, { name: 'Common', title: 'Common', highCount: 0 },
    ])).toEqual(['Common', 'Many', 'A', 'B']);
  });

  it('shows in the basic view only HIGH, required and erroneous keys, and says how many it hides', () => {
    const basic = buildFormModel(answer, newFormState(FILE_SOURCE), { advanced: false });
    expect(basic.groups.map((g) => [g.title, g.fields.map((f) => f.key)])).toEqual([
      ['Common', ['name', 'connector.class', 'tasks.max']],
      ['FileStreamSource', ['file', 'topic']],
    ]);
    const all = advanced.groups.reduce((n, g) => n + g.fields.length, 0);
    expect(basic.hiddenInBasic).toBe(all - 5);
  });

  it('adds to the basic view the keys the user set', () => {
    const state = setValue(newFormState(FILE_SOURCE), 'batch.size', '10');
    expect(keysOf(buildFormModel(answer, state, { advanced: false }), 'FileStreamSource')).toEqual(['file', 'topic', 'batch.size']);
  });

  it('marks name, connector.class and keys without default as required, not keys with a null default', () => {
    expect(field(advanced, 'name')?.required).toBe(true);
    expect(field(advanced, 'connector.class')?.required).toBe(true);
    expect(field(advanced, 'topic')?.required).toBe(true);
    expect(field(advanced, 'file')?.required).toBe(false);
    expect(field(advanced, 'tasks.max')?.required).toBe(false);
  });

  it('shows defaults as placeholders and documentation from the definition', () => {
    expect(field(advanced, 'batch.size')).toMatchObject({ value: '', placeholder: '2000', defaultValue: '2000', isSet: false });
    expect(field(advanced, 'tasks.max')?.documentation).toMatch(/tasks/i);
  });
});

describe('widgets', () => {
  const answer = validateAnswer({ 'connector.class': FILE_SINK, name: '' });
  const model = buildFormModel(answer, newFormState(FILE_SINK), { advanced: true });

  it('follow the key type', () => {
    expect(field(model, 'errors.log.enable')?.widget).toBe('switch');
    expect(field(model, 'tasks.max')?.widget).toBe('number');
    expect(field(model, 'errors.retry.timeout')?.widget).toBe('number');
    expect(field(model, 'topics')?.widget).toBe('list');
    expect(field(model, 'file')?.widget).toBe('text');
    expect(field(model, 'connector.class')).toMatchObject({ widget: 'readonly', value: FILE_SINK });
    expect(field(model, 'value.converter')).toMatchObject({ widget: 'text', classKind: 'converter' });
  });

  it('show a switch with the value in effect', () => {
    expect(field(model, 'errors.log.enable')?.checked).toBe(false);
    const on = buildFormModel(answer, setValue(newFormState(FILE_SINK), 'errors.log.enable', 'true'), { advanced: true });
    expect(field(on, 'errors.log.enable')?.checked).toBe(true);
  });

  it('offer recommended values as a select, keeping a value that is not among them', () => {
    expect(widgetFor('x', 'STRING', ['a', 'b'], '')).toBe('select');
    expect(widgetFor('x', 'CLASS', ['a'], '')).toBe('select');
    expect(widgetFor('x', 'STRING', [], '')).toBe('text');
    expect(widgetFor('x', 'PASSWORD', [], '')).toBe('password');
    expect(widgetFor('x', 'DOUBLE', [], '')).toBe('number');
    const answerWithChoices: ConfigInfos = {
      ...answer,
      configs: answer.configs.map((c) => (c.definition?.name === 'file' ? { ...c, value: { ...c.value!, recommended_values: ['/a', '/b'] } } : c)),
    };
    const picked = buildFormModel(answerWithChoices, setValue(newFormState(FILE_SINK), 'file', '/c'), { advanced: true });
    expect(field(picked, 'file')).toMatchObject({ widget: 'select', options: ['/c', '/a', '/b'] });
  });

  it('fall back to text for a config provider reference, which stays as written', () => {
    expect(widgetFor('tasks.max', 'INT', [], '${file:/f:tasks}')).toBe('text');
    expect(widgetFor('b', 'BOOLEAN', [], '${env:FLAG}')).toBe('text');
  });

  it('mask a loaded password', () => {
    const config = { 'connector.class': MYSQL, name: 'm', 'database.password': 'hunter2' };
    const mysqlAnswer = validateAnswer(config);
    const state = loadedFormState(config, definitionsOf(mysqlAnswer));
    expect(field(buildFormModel(mysqlAnswer, state, { advanced: false }), 'database.password'))
      .toMatchObject({ widget: 'password', masked: true, value: '', placeholder: 'unchanged (hidden)' });
  });
});

describe('errors', () => {
  const state = newFormState(FILE_SOURCE);
  const answer = validateAnswer({ 'connector.class': FILE_SOURCE, name: '' });

  it('show at a field only once it was touched, while the count covers them all', () => {
    const untouched = buildFormModel(answer, state, { advanced: false });
    expect(untouched.errorCount).toBe(2);
    expect(field(untouched, 'topic')).toMatchObject({ errors: [], hasErrors: true });
    const touched = buildFormModel(answer, touch(state, 'topic'), { advanced: false });
    expect(field(touched, 'topic')?.errors).toEqual(['Missing required configuration "topic" which has no default value.']);
    expect(field(touched, 'name')?.errors).toEqual([]);
  });

  it('all show after "Validate"', () => {
    const model = buildFormModel(answer, showAllErrors(state), { advanced: false });
    expect(field(model, 'name')?.errors).toEqual(['Invalid value  for configuration name: String may not be empty']);
    expect(field(model, 'topic')?.errors).toHaveLength(1);
  });

  it('are not shown for a value typed after the validated one', () => {
    const validatedValues = { 'tasks.max': 'abc' };
    const bad = validateAnswer({ 'connector.class': FILE_SOURCE, name: 'n', topic: 't', 'tasks.max': 'abc' });
    let typed = setValue(newFormState(FILE_SOURCE), 'tasks.max', 'abc');
    expect(field(buildFormModel(bad, typed, { advanced: false, validatedValues }), 'tasks.max')?.errors)
      .toEqual(['Invalid value abc for configuration tasks.max: Not a number of type INT']);
    typed = setValue(typed, 'tasks.max', '2');
    expect(field(buildFormModel(bad, typed, { advanced: false, validatedValues }), 'tasks.max')?.errors).toEqual([]);
  });

  it('of keys the plugin does not declare, or of hidden keys, go to the summary', () => {
    const answerWithUnknown: ConfigInfos = {
      ...answer,
      error_count: answer.error_count + 2,
      configs: [
        ...answer.configs.map((c) => (c.definition?.name === 'batch.size' ? { ...c, value: { ...c.value!, visible: false, errors: ['hidden but wrong'] } } : c)),
        { definition: null, value: { name: 'mystery', value: 'x', recommended_values: [], errors: ['Unknown key mystery'], visible: true } },
      ],
    };
    const withMystery = setValue(state, 'mystery', 'x');
    const model = buildFormModel(answerWithUnknown, withMystery, { advanced: true });
    expect(model.summaryErrors).toEqual([{ key: 'batch.size', errors: ['hidden but wrong'] }, { key: 'mystery', errors: ['Unknown key mystery'] }]);
    expect(field(model, 'batch.size')).toBeUndefined();
    expect(model.groups.at(-1)).toMatchObject({ name: OTHER_GROUP, fields: [expect.objectContaining({ key: 'mystery', errors: [] })] });
    expect(model.errorCount).toBe(4);
  });
});

describe('dynamic groups for transforms and predicates', () => {
  it('appear per alias after their parent group once the aliases are validated', () => {
    const config = {
      'connector.class': FILE_SINK, name: 'n', topics: 't', transforms: 'route,mask', predicates: 'isTest',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.predicate': 'isTest',
      'predicates.isTest.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    };
    let state = newFormState(FILE_SINK);
    for (const [key, value] of Object.entries(config)) if (key !== 'connector.class') state = setValue(state, key, value);
    const model = buildFormModel(validateAnswer(config), state, { advanced: true });
    const titles = model.groups.map((g) => g.title);
    expect(titles.slice(titles.indexOf('Transforms'), titles.indexOf('Transforms') + 3)).toEqual(['Transforms', 'Transforms: route', 'Transforms: mask']);
    expect(titles[titles.indexOf('Predicates') + 1]).toBe('Predicates: isTest');
    expect(model.groups.find((g) => g.title === 'Transforms: route')).toMatchObject({ dynamic: true });
    expect(keysOf(model, 'Transforms: route')?.slice(0, 3)).toEqual(['transforms.route.type', 'transforms.route.predicate', 'transforms.route.negate']);
    expect(field(model, 'transforms.route.type')).toMatchObject({ classKind: 'transformation', required: true });
    expect(field(model, 'predicates.isTest.pattern')).toMatchObject({ required: true, errors: [] });
  });

  it('before the answer, show a typed alias key under "Other settings"', () => {
    const answer = validateAnswer({ 'connector.class': FILE_SINK, name: '' });
    const state = setValue(newFormState(FILE_SINK), 'transforms.a.type', 'RegexRouter');
    expect(keysOf(buildFormModel(answer, state, { advanced: false }), OTHER_GROUP)).toEqual(['transforms.a.type']);
  });
});

describe('before the first answer', () => {
  it('still shows name and connector.class', () => {
    const model = buildFormModel(null, newFormState(FILE_SOURCE), { advanced: false });
    expect(model.groups.map((g) => [g.title, g.fields.map((f) => f.key)])).toEqual([['Common', ['name', 'connector.class']]]);
    expect(model.errorCount).toBe(0);
  });
});
