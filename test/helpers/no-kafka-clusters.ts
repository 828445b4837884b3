/** The `kafka` of hand-built connector and task contexts in tests of connectors that reach no other cluster: connecting fails loudly. */
import type { KafkaClusters } from '../../connectors/sdk/kafka-clusters.js';

export const noKafkaClusters: KafkaClusters = {
  connect() {
    throw new Error('this test gives the connector no Kafka clusters');
  },
};
