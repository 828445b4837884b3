/** Names and property keys of Confluent's Connect ↔ Avro mapping (AvroData's constants). */
export const AVRO_NAMESPACE = 'io.confluent.connect.avro';
export const DEFAULT_RECORD_NAME = 'ConnectDefault';
export const DEFAULT_RECORD_FULL_NAME = `${AVRO_NAMESPACE}.${DEFAULT_RECORD_NAME}`;
export const MAP_ENTRY_NAME = 'MapEntry';
export const MAP_ENTRY_FULL_NAME = `${AVRO_NAMESPACE}.${MAP_ENTRY_NAME}`;
export const UNION_NAME = `${AVRO_NAMESPACE}.Union`;
export const KEY_FIELD = 'key';
export const VALUE_FIELD = 'value';

export const CONNECT_NAME_PROP = 'connect.name';
export const CONNECT_DOC_PROP = 'connect.doc';
export const CONNECT_VERSION_PROP = 'connect.version';
export const CONNECT_PARAMETERS_PROP = 'connect.parameters';
export const CONNECT_DEFAULT_PROP = 'connect.default';
export const CONNECT_TYPE_PROP = 'connect.type';
export const CONNECT_INTERNAL_TYPE_PROP = 'connect.internal.type';
export const LOGICAL_TYPE_PROP = 'logicalType';
export const DECIMAL_SCALE_PROP = 'scale';
export const DECIMAL_PRECISION_PROP = 'precision';
export const DECIMAL_PRECISION_DEFAULT = 64;

/** Connect parameters that carry Avro-only details. */
export const PRECISION_PARAMETER = 'connect.decimal.precision';
export const FIXED_SIZE_PARAMETER = 'connect.fixed.size';
export const RECORD_DOC_PARAMETER = `${AVRO_NAMESPACE}.record.doc`;
export const FIELD_DOC_PARAMETER_PREFIX = `${AVRO_NAMESPACE}.field.doc.`;
export const FIELD_DEFAULT_FLAG_PARAMETER = `${AVRO_NAMESPACE}.field.default`;
export const ENUM_PARAMETER = `${AVRO_NAMESPACE}.Enum`;
export const ENUM_DOC_PARAMETER_PREFIX = `${AVRO_NAMESPACE}.enum.doc.`;
export const ENUM_DEFAULT_PARAMETER_PREFIX = `${AVRO_NAMESPACE}.enum.default.`;
/** Connect parameters starting with this are copied to Avro props as strings. */
export const AVRO_PARAMETER_PREFIX = 'avro';

export const LOGICAL_DECIMAL = 'decimal';
export const LOGICAL_DATE = 'date';
export const LOGICAL_TIME_MILLIS = 'time-millis';
export const LOGICAL_TIMESTAMP_MILLIS = 'timestamp-millis';
