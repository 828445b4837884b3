/** The version the Elasticsearch sink plugin reports. */
export const ELASTICSEARCH_CONNECTOR_VERSION = '0.1.0';
