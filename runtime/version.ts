/** ferry's version, reported by `GET /` and as the bundled plugins' version. */
export const FERRY_VERSION = '0.1.0';
