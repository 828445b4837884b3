/** `ferry broker --set` passes transaction settings by their Kafka names (runs the built CLI). */
import { describe, expect, it } from 'vitest';
import { InitProducerId } from '../../../broker/protocol/apis/init-producer-id.js';
import { ERR } from '../../../broker/protocol/error-codes.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { spawnBroker } from '../../helpers/test-broker.js';

describe('ferry broker --set transaction settings', () => {
  it('bounds transaction.timeout.ms by transaction.max.timeout.ms', async () => {
    const broker = await spawnBroker(tempDir('ferry-txn-cli-'), 0, ['--set', 'transaction.max.timeout.ms=1000']);
    const socket = await RawKafkaSocket.connect(broker.port);
    try {
      const init = async (transactionTimeoutMs: number) => {
        socket.sendRequest(InitProducerId, 4, { transactionalId: 'cli', transactionTimeoutMs, producerId: -1, producerEpoch: -1 });
        return (await socket.readResponse(InitProducerId, 4)).body.errorCode;
      };
      expect(await init(1001)).toBe(ERR.INVALID_TRANSACTION_TIMEOUT);
      expect(await init(1000)).toBe(ERR.NONE);
    } finally {
      socket.destroy();
      broker.child.kill('SIGTERM');
      await broker.exited;
    }
  });
});
