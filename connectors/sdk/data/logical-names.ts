/** Schema names that mark Kafka Connect's built-in logical types. */
export const DECIMAL_LOGICAL_NAME = 'org.apache.kafka.connect.data.Decimal';
export const DATE_LOGICAL_NAME = 'org.apache.kafka.connect.data.Date';
export const TIME_LOGICAL_NAME = 'org.apache.kafka.connect.data.Time';
export const TIMESTAMP_LOGICAL_NAME = 'org.apache.kafka.connect.data.Timestamp';
/** The Decimal schema parameter holding the scale, as a decimal string. */
export const DECIMAL_SCALE_PARAMETER = 'scale';
