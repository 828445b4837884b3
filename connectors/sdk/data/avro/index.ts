/** Connect data ↔ Avro (Confluent's AvroData): schema mapping both ways, Java's schema text, values, and avsc types. */
export { AvroData, type AvroReader, type AvroWriter } from './avro-data.js';
export { AVRO_DATA_CONFIG_FIELDS, DEFAULT_AVRO_DATA_SETTINGS, type AvroDataSettings } from './avro-data-config.js';
export type { AvroField, AvroNamed, AvroSchema } from './avro-schema.js';
export { parseAvroSchema } from './avro-schema-parser.js';
export { printAvroSchema } from './avro-schema-printer.js';
export { avroToConnectSchema } from './avro-to-connect-schema.js';
export { connectToAvroSchema } from './connect-to-avro-schema.js';
export { avscTypeOf, type AvscType } from './avsc-type.js';
