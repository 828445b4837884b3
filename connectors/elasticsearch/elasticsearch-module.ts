/**
 * @elastic/elasticsearch, loaded the first time a ClientConnection is opened (only sinks talking
 * to Elasticsearch 8 or 9 use it) and then shared by the process. Importing the sink (the
 * worker's plugin list does) does not load the client, which adds
 * about 20 MB of RSS to a process that has loaded the plugin list.
 */
import type * as Elasticsearch from '@elastic/elasticsearch';

export type ElasticsearchModule = typeof Elasticsearch;

let loading: Promise<ElasticsearchModule> | undefined;

export function loadElasticsearchModule(): Promise<ElasticsearchModule> {
  return (loading ??= import('@elastic/elasticsearch'));
}
