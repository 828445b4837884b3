/** The one list of plugins bundled with ferry. Adding a connector means adding it here. */
import { elasticsearchSinkPlugin } from '../../connectors/elasticsearch/index.js';
import { fileStreamSinkPlugin, fileStreamSourcePlugin } from '../../connectors/file/index.js';
import { mirrorCheckpointPlugin, mirrorHeartbeatPlugin, mirrorSourcePlugin } from '../../connectors/mirror/index.js';
import { extractNewRecordStatePlugin, mariaDbConnectorPlugin, mySqlConnectorPlugin } from '../../connectors/mysql/index.js';
import { s3SinkPlugin, s3SourcePlugin } from '../../connectors/s3/index.js';
import { BUILTIN_TRANSFORM_PLUGINS } from '../pipeline/transforms/builtin-transforms.js';
import { BUILTIN_PREDICATE_PLUGINS } from '../pipeline/predicates/builtin-predicates.js';
import { PluginRegistry } from './plugin-registry.js';

export function builtinPlugins(): PluginRegistry {
  return new PluginRegistry({
    connectors: [fileStreamSourcePlugin, fileStreamSinkPlugin, s3SinkPlugin, s3SourcePlugin, mySqlConnectorPlugin, mariaDbConnectorPlugin, elasticsearchSinkPlugin,
      mirrorSourcePlugin, mirrorCheckpointPlugin, mirrorHeartbeatPlugin],
    transforms: [...BUILTIN_TRANSFORM_PLUGINS, extractNewRecordStatePlugin],
    predicates: BUILTIN_PREDICATE_PLUGINS,
  });
}
