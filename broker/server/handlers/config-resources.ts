/** Resource types of the config APIs, and the answer for resources ferry does not alter. */
import { ERR } from '../../protocol/error-codes.js';

export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;

export interface ResourceResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export function unsupportedResource(resourceType: number, resourceName: string): ResourceResult {
  const what = resourceType === RESOURCE_BROKER ? 'broker settings are static in ferry; restart with new settings' : `resource type ${resourceType} is not supported`;
  return { errorCode: ERR.INVALID_REQUEST, errorMessage: what, resourceType, resourceName };
}
