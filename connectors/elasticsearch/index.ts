/** The Elasticsearch sink's plugin descriptor. */
export { elasticsearchSinkPlugin } from './elasticsearch-sink-plugin.js';
