/** SaslAuthenticate (key 36). Declared for later; not advertised yet. */
import { bytes, defineApi, int16, int64, nullableString } from '../schema.js';

export const SaslAuthenticate = defineApi({
  key: 36,
  name: 'SaslAuthenticate',
  versions: [0, 2],
  flexibleSince: 2,
  request: {
    authBytes: bytes(),
  },
  response: {
    errorCode: int16(),
    errorMessage: nullableString(),
    authBytes: bytes(),
    sessionLifetimeMs: int64({ since: 1 }),
  },
});
