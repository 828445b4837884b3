/** MirrorMaker's DefaultGroupFilter: `groups` minus `groups.exclude`, whole-name Java regexes. */
import { NameFilter } from './name-filter.js';

/** `groups` default. */
export const DEFAULT_GROUPS: readonly string[] = Object.freeze(['.*']);
/** `groups.exclude` default: console consumers, Connect's sink groups, Kafka's own. */
export const DEFAULT_GROUPS_EXCLUDE: readonly string[] = Object.freeze(['console-consumer-.*', 'connect-.*', '__.*']);

export class GroupFilter extends NameFilter {
  shouldReplicateGroup(group: string): boolean {
    return this.passes(group);
  }
}
