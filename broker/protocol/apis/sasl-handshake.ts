/** SaslHandshake (key 17). Declared for later; not advertised yet. */
import { array, defineApi, int16, string } from '../schema.js';

export const SaslHandshake = defineApi({
  key: 17,
  name: 'SaslHandshake',
  versions: [0, 1],
  request: {
    mechanism: string(),
  },
  response: {
    errorCode: int16(),
    mechanisms: array(string()),
  },
});
