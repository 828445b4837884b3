/** MirrorMaker's DefaultTopicFilter: `topics` minus `topics.exclude`, whole-name Java regexes. */
import { NameFilter } from './name-filter.js';

/** `topics` default. */
export const DEFAULT_TOPICS: readonly string[] = Object.freeze(['.*']);
/** `topics.exclude` default: internal topics of Connect and MirrorMaker, replica topics, Kafka's own. */
export const DEFAULT_TOPICS_EXCLUDE: readonly string[] = Object.freeze(['.*[\\-\\.]internal', '.*\\.replica', '__.*']);

export class TopicFilter extends NameFilter {
  shouldReplicateTopic(topic: string): boolean {
    return this.passes(topic);
  }
}
