/**
 * RegexRouter: when `regex` matches the whole topic name, its first match in the topic is
 * replaced by `replacement` (Java's Matcher.matches then replaceFirst; replacement syntax `$1`,
 * `${name}`, `\$`). Other topics are left alone.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { defineConfig, string } from '../../../connectors/sdk/config/config-spec.js';
import { compileJavaRegex, expandJavaReplacement, javaRegexValidator } from './java-regex.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { transformPlugin } from './transform-plugin.js';

export const regexRouterSpec = defineConfig({
  'regex': string({ doc: 'Java regular expression matched against the whole topic name.', validator: javaRegexValidator, importance: 'HIGH' }),
  'replacement': string({ doc: 'The new topic name; $1, $2, ... or ${name} insert the regex\'s groups.', importance: 'HIGH' }),
});

class RegexRouter implements RecordTransform {
  #whole = /^$/;
  #first = /$/;
  #replacement = '';

  configure(config: RawConfig): void {
    const c = regexRouterSpec.parse(config);
    this.#whole = compileJavaRegex(c.regex, { fullMatch: true });
    this.#first = compileJavaRegex(c.regex);
    this.#replacement = c.replacement;
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (!this.#whole.test(record.topic)) return record;
    const match = this.#first.exec(record.topic) as RegExpExecArray;
    let topic: string;
    try {
      const end = match.index + match[0].length;
      topic = record.topic.slice(0, match.index) + expandJavaReplacement(this.#replacement, match) + record.topic.slice(end);
    } catch (err) {
      throw new DataError(`Cannot route topic '${record.topic}' with replacement '${this.#replacement}': ${(err as Error).message}`, { cause: err });
    }
    return { ...record, topic };
  }
}

export const regexRouterPlugin = transformPlugin(
  'RegexRouter',
  'Renames the topic of records whose topic matches a regular expression.',
  regexRouterSpec,
  () => new RegexRouter(),
);
