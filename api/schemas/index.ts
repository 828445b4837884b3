/** Every shared schema, registered by `$id` on the server before any route refers to it. */
import { connectorSchemas } from './connector.js';
import { errorSchemas } from './error.js';
import { healthSchemas } from './health.js';
import { loggerSchemas } from './loggers.js';
import { monitoringSchemas } from './monitoring.js';
import { offsetSchemas } from './offsets.js';
import { paramSchemas } from './params.js';
import { pluginSchemas } from './plugin.js';
import { serverInfoSchemas } from './server-info.js';
import { statusSchemas } from './status.js';
import { taskConfigSchemas } from './task-configs.js';
import { topicSchemas } from './topics.js';

export const sharedSchemas: readonly { $id: string }[] = [
  ...errorSchemas,
  ...serverInfoSchemas,
  ...paramSchemas,
  ...statusSchemas,
  ...connectorSchemas,
  ...pluginSchemas,
  ...taskConfigSchemas,
  ...topicSchemas,
  ...offsetSchemas,
  ...loggerSchemas,
  ...healthSchemas,
  ...monitoringSchemas,
];
