/**
 * Answers of the worker's own code, for the form logic's tests: the validate answer comes from the
 * function behind `PUT /connector-plugins/{class}/config/validate` and the plugin list from the one
 * behind `GET /connector-plugins`, with ferry's built-in plugins, passed through JSON as the
 * browser receives them. No broker is needed for that, and no hand-written answer can drift from
 * what the worker really says.
 */
import type { ConfigInfos, PluginInfo } from '../../../console/src/api/types.js';
import { validateConnectorConfig } from '../../../runtime/control/connector-validation.js';
import { builtinPlugins } from '../../../runtime/plugins/builtin-plugins.js';

const plugins = builtinPlugins();

export const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
export const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
export const MYSQL = 'io.debezium.connector.mysql.MySqlConnector';

export function validateAnswer(config: Record<string, string>): ConfigInfos {
  return JSON.parse(JSON.stringify(validateConnectorConfig(plugins, config).infos)) as ConfigInfos;
}

export function pluginList(connectorsOnly: boolean): PluginInfo[] {
  return JSON.parse(JSON.stringify(plugins.infos(connectorsOnly))) as PluginInfo[];
}
