/** Every shared schema, registered by `$id` on the server before any route refers to it. */
import { connectorSchemas } from './connector.js';
import { errorSchemas } from './error.js';
import { paramSchemas } from './params.js';
import { pluginSchemas } from './plugin.js';
import { serverInfoSchemas } from './server-info.js';
import { statusSchemas } from './status.js';

export const sharedSchemas: readonly { $id: string }[] = [
  ...errorSchemas,
  ...serverInfoSchemas,
  ...paramSchemas,
  ...statusSchemas,
  ...connectorSchemas,
  ...pluginSchemas,
];
