/** The connector's settings, declared once: validation, defaults and docs all come from here. */
import { boolean, defineConfig, long, string, validators, type ParsedConfig } from 'ferry/sdk';

const httpUrl = validators.validator((value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'must be an http: or https: URL';
  } catch {
    return 'must be an absolute URL, e.g. https://example.com/events';
  }
}, 'an http(s) URL');

export const httpPollSpec = defineConfig({
  'url': string({ doc: 'The URL to GET.', importance: 'HIGH', validator: httpUrl }),
  'topic': string({ doc: 'The topic records are written to.', importance: 'HIGH', validator: validators.nonEmptyString() }),
  'poll.interval.ms': long({
    doc: 'How long to wait between two requests.', default: 5000, importance: 'MEDIUM', validator: validators.atLeast(10),
  }),
  'split.json.array': boolean({
    doc: 'When the answer is a JSON array, write one record per element instead of one for the whole answer.',
    default: true, importance: 'MEDIUM',
  }),
  'id.field': string({
    doc: 'With split.json.array: the element field that grows with each new element (a number or a sortable '
      + 'string). Elements at or below the last one written are skipped, so a restart repeats nothing. Without it, '
      + 'an answer identical to the last one written is skipped.',
    default: null, importance: 'MEDIUM',
  }),
  'request.timeout.ms': long({
    doc: 'How long one request may take before it is abandoned (and retried at the next poll).', default: 10000,
    importance: 'LOW', validator: validators.atLeast(1),
  }),
});

export type HttpPollConfig = ParsedConfig<typeof httpPollSpec>;
