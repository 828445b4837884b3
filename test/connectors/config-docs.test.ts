/**
 * Connector READMEs carry their configuration reference generated from the config spec, between
 * `<!-- config:start -->` and `<!-- config:end -->`, so the docs cannot drift from the code.
 * `UPDATE_DOCS=1 npx vitest run test/connectors/config-docs.test.ts` rewrites them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { elasticsearchSinkSpec } from '../../connectors/elasticsearch/elasticsearch-sink-config.js';
import { mirrorCheckpointSpec } from '../../connectors/mirror/config/mirror-checkpoint-config.js';
import { mirrorHeartbeatSpec } from '../../connectors/mirror/config/mirror-heartbeat-config.js';
import { mirrorSourceSpec } from '../../connectors/mirror/config/mirror-source-config.js';
import { mysqlSourceSpec } from '../../connectors/mysql/mysql-source-config.js';
import type { ConfigFields, ConfigSpec } from '../../connectors/sdk/config/config-spec.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

const DOCUMENTED: ReadonlyArray<{ readme: string; spec: ConfigSpec<ConfigFields>; title: string }> = [
  { readme: 'connectors/mysql/README.md', spec: mysqlSourceSpec as unknown as ConfigSpec<ConfigFields>, title: 'Configuration reference' },
  { readme: 'connectors/elasticsearch/README.md', spec: elasticsearchSinkSpec as unknown as ConfigSpec<ConfigFields>, title: 'Configuration reference' },
  { readme: 'connectors/mirror/docs/mirror-source-config.md', spec: mirrorSourceSpec as unknown as ConfigSpec<ConfigFields>, title: 'MirrorSourceConnector configuration' },
  { readme: 'connectors/mirror/docs/mirror-checkpoint-config.md', spec: mirrorCheckpointSpec as unknown as ConfigSpec<ConfigFields>, title: 'MirrorCheckpointConnector configuration' },
  { readme: 'connectors/mirror/docs/mirror-heartbeat-config.md', spec: mirrorHeartbeatSpec as unknown as ConfigSpec<ConfigFields>, title: 'MirrorHeartbeatConnector configuration' },
];

const START = '<!-- config:start -->';
const END = '<!-- config:end -->';

describe('connector configuration references', () => {
  for (const { readme, spec, title } of DOCUMENTED) {
    it(`${readme} documents every key of its spec as the spec declares it`, () => {
      const file = path.join(ROOT, readme);
      const text = fs.readFileSync(file, 'utf8');
      const start = text.indexOf(START);
      const end = text.indexOf(END);
      expect(start, `${readme} has no ${START} marker`).toBeGreaterThanOrEqual(0);
      expect(end).toBeGreaterThan(start);
      const generated = `${START}\n${spec.toMarkdown({ title })}${END}`;
      const current = text.slice(start, end + END.length);
      if (process.env.UPDATE_DOCS === '1' && current !== generated) {
        fs.writeFileSync(file, text.slice(0, start) + generated + text.slice(end + END.length));
        return;
      }
      expect(current, `run UPDATE_DOCS=1 npx vitest run test/connectors/config-docs.test.ts`).toBe(generated);
    });
  }
});
