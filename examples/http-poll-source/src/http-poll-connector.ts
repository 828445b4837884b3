/** The connector: checks its config and hands it to one task (one URL is one stream). */
import { ConnectError, type Connector, type RawConfig } from 'ferry/sdk';
import { httpPollSpec } from './http-poll-config.js';

export class HttpPollSourceConnector implements Connector {
  #config: RawConfig | null = null;

  start(config: RawConfig): void {
    httpPollSpec.parse(config);
    this.#config = { ...config };
  }

  taskConfigs(): RawConfig[] {
    if (this.#config === null) throw new ConnectError('task configs were asked for before the connector started');
    return [{ ...this.#config }];
  }

  stop(): void {
    this.#config = null;
  }
}
