/** ApiVersions: advertises exactly the APIs this broker has handlers for (broker notes §0). */
import { ApiVersions } from '../../protocol/apis/api-versions.js';
import { handler, type ApiHandler } from '../api-handler.js';

export function apiVersionsHandler(served: () => Iterable<ApiHandler>): ApiHandler {
  return handler(ApiVersions, () => ({
    errorCode: 0,
    apiKeys: [...served()]
      .map(({ api }) => ({ apiKey: api.key, minVersion: api.advertisedMin, maxVersion: api.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey),
    throttleTimeMs: 0,
  }));
}
