/** ApiVersions (key 18). Its response header never has a tag section (see request-header.ts). */
import { array, defineApi, int16, int32, int64, string, bool } from '../schema.js';

export const ApiVersions = defineApi({
  key: 18,
  name: 'ApiVersions',
  versions: [0, 3],
  flexibleSince: 3,
  request: {
    clientSoftwareName: string({ since: 3 }),
    clientSoftwareVersion: string({ since: 3 }),
  },
  response: {
    errorCode: int16(),
    apiKeys: array({
      apiKey: int16(),
      minVersion: int16(),
      maxVersion: int16(),
    }),
    throttleTimeMs: int32({ since: 1 }),
    supportedFeatures: array({ name: string(), minVersion: int16(), maxVersion: int16() }, { since: 3, tag: 0 }),
    finalizedFeaturesEpoch: int64({ since: 3, tag: 1, default: -1 }),
    finalizedFeatures: array({ name: string(), maxVersionLevel: int16(), minVersionLevel: int16() }, { since: 3, tag: 2 }),
    zkMigrationReady: bool({ since: 3, tag: 3 }),
  },
});
