/** The package's export: what a ferry worker loads from plugin.path. */
import { definePlugins } from 'ferry/sdk';
import { httpPollSpec } from './http-poll-config.js';
import { HttpPollSourceConnector } from './http-poll-connector.js';
import { HttpPollSourceTask } from './http-poll-task.js';

export default definePlugins({
  sdkVersion: '1.0.0',
  connectors: [{
    className: 'example.http.HttpPollSourceConnector',
    aliases: ['HttpPollSource', 'HttpPollSourceConnector'],
    kind: 'source',
    version: '0.1.0',
    taskClassName: 'example.http.HttpPollSourceTask',
    configSpec: httpPollSpec,
    createConnector: () => new HttpPollSourceConnector(),
    createTask: () => new HttpPollSourceTask(),
  }],
});
