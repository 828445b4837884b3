/** TopicNameMatches: true for records whose whole topic name matches `pattern` (a Java regex). */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { defineConfig, string, validators } from '../../../connectors/sdk/config/config-spec.js';
import { compileJavaRegex, javaRegexValidator } from '../transforms/java-regex.js';
import type { RecordPredicate } from '../../../connectors/sdk/transform.js';
import { predicatePlugin } from './predicate-plugin.js';

export const topicNameMatchesSpec = defineConfig({
  'pattern': string({
    doc: 'Java regular expression the whole topic name must match.',
    validator: [validators.nonEmptyString(), javaRegexValidator],
  }),
});

class TopicNameMatches implements RecordPredicate {
  #pattern = /^$/;

  configure(config: RawConfig): void {
    this.#pattern = compileJavaRegex(topicNameMatchesSpec.parse(config).pattern, { fullMatch: true });
  }

  test(record: ConnectRecord): boolean {
    return typeof record.topic === 'string' && this.#pattern.test(record.topic);
  }
}

export const topicNameMatchesPlugin = predicatePlugin(
  'TopicNameMatches',
  'True for records whose topic name matches a regular expression.',
  topicNameMatchesSpec,
  () => new TopicNameMatches(),
);
