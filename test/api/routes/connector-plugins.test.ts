import { afterAll, describe, expect, it } from 'vitest';
import { createApiHarness } from '../api-harness.js';

const api = createApiHarness();

afterAll(async () => {
  await api.app.close();
});

describe('GET /connector-plugins', () => {
  it('lists connector plugins only by default', async () => {
    const res = await api.send('GET', '/connector-plugins');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { class: 'org.example.FileSinkConnector', type: 'sink', version: '1.0.0' },
      { class: 'org.example.FileSourceConnector', type: 'source', version: '1.0.0' },
    ]);
  });

  it('lists every plugin with connectorsOnly=false, leaving out an absent version', async () => {
    const res = await api.send('GET', '/connector-plugins?connectorsOnly=false');
    expect(res.json).toContainEqual({ class: 'org.example.InsertField', type: 'transformation' });
  });
});

describe('GET /connector-plugins/{p}/config', () => {
  it('answers with the plugin config definitions', async () => {
    const res = await api.send('GET', '/connector-plugins/FileSinkConnector/config');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{
      name: 'tasks.max',
      type: 'INT',
      required: false,
      default_value: '1',
      importance: 'HIGH',
      documentation: 'Maximum number of tasks to use for this connector.',
      group: 'Common',
      order: 3,
      width: 'SHORT',
      display_name: 'Tasks max',
      dependents: [],
    }]);
  });

  it('answers 404 for an unknown plugin', async () => {
    const res = await api.send('GET', '/connector-plugins/Nope/config');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Unknown plugin Nope.' });
  });
});

describe('PUT /connector-plugins/{p}/config/validate', () => {
  it('answers 200 with the validation result, also when it lists errors', async () => {
    const res = await api.send('PUT', '/connector-plugins/FileSinkConnector/config/validate', {
      'connector.class': 'org.example.FileSinkConnector',
      'tasks.max': 'x',
      'extra.key': null,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'org.example.FileSinkConnector',
      error_count: 1,
      groups: ['Common'],
      configs: [{
        definition: { name: 'tasks.max', default_value: '1' },
        value: { name: 'tasks.max', value: 'x', recommended_values: [], errors: ['Invalid value x for configuration tasks.max: Not a number of type INT'], visible: true },
      }],
    });
  });

  it('keeps null values for validation to report', async () => {
    const res = await api.send('PUT', '/connector-plugins/FileSink/config/validate', { 'connector.class': 'FileSink', 'tasks.max': null });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ error_count: 1, configs: [{ value: { value: null, errors: ['Null value can not be supplied as the configuration value.'] } }] });
  });

  it.each([
    ['FileSinkConnector', 'org.example.FileSinkConnector'],
    ['FileSink', 'org.example.FileSinkConnector'],
    ['FileSinkConnector', 'FileSink'],
    ['example.FileSink', 'org.example.FileSinkConnector'],
  ])('accepts path %s with connector.class %s', async (plugin, connectorClass) => {
    const res = await api.send('PUT', `/connector-plugins/${plugin}/config/validate`, { 'connector.class': connectorClass });
    expect(res.status).toBe(200);
  });

  it('answers 400 when connector.class does not match the path plugin', async () => {
    const res = await api.send('PUT', '/connector-plugins/FileSourceConnector/config/validate', { 'connector.class': 'org.example.FileSinkConnector' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error_code: 400,
      message: 'Included connector type org.example.FileSinkConnector does not match request type FileSourceConnector',
    });
  });

  it('answers 400 when the body has no connector.class', async () => {
    const res = await api.send('PUT', '/connector-plugins/FileSinkConnector/config/validate', { 'tasks.max': 1, topics: 't' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'Connector config {tasks.max=1, topics=t} contains no connector type' });
  });

  it('answers 500 for an unknown connector class', async () => {
    const res = await api.send('PUT', '/connector-plugins/Nope/config/validate', { 'connector.class': 'Nope' });
    expect(res.status).toBe(500);
    expect((res.json as { message: string }).message).toContain('Failed to find any class');
  });
});
