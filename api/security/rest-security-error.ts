/** A REST security setting that cannot be used: a missing or unreadable file, an unsupported store. */
export class RestSecurityError extends Error {
  override readonly name = 'RestSecurityError';
  readonly code = 'REST_SECURITY_INVALID';
}
