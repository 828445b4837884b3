/**
 * Confluent Schema Registry's error responses (reference schema-registry.md §1.5): an HTTP
 * status, an `error_code` and a message, worded as Confluent words them so that clients and
 * users searching for a message find the same thing.
 */
export class RegistryError extends Error {
  constructor(readonly status: number, readonly errorCode: number, message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export const subjectNotFound = (s: string) => new RegistryError(404, 40401, `Subject '${s}' not found.`);
export const versionNotFound = (v: number | string) => new RegistryError(404, 40402, `Version ${v} not found.`);
export const schemaNotFound = (id?: number) => new RegistryError(404, 40403, id === undefined ? 'Schema not found' : `Schema ${id} not found`);
export const subjectSoftDeleted = (s: string) =>
  new RegistryError(404, 40404, `Subject '${s}' was soft deleted.Set permanent=true to delete permanently`);
export const subjectNotSoftDeleted = (s: string) =>
  new RegistryError(404, 40405, `Subject '${s}' was not deleted first before being permanently deleted`);
export const versionSoftDeleted = (s: string, v: number) =>
  new RegistryError(404, 40406, `Subject '${s}' Version ${v} was soft deleted.Set permanent=true to delete permanently`);
export const versionNotSoftDeleted = (s: string, v: number) =>
  new RegistryError(404, 40407, `Subject '${s}' Version ${v} was not deleted first before being permanently deleted`);
export const subjectConfigNotFound = (s: string) =>
  new RegistryError(404, 40408, `Subject '${s}' does not have subject-level compatibility configured`);
export const subjectModeNotFound = (s: string) =>
  new RegistryError(404, 40409, `Subject '${s}' does not have subject-level mode configured`);
/** Confluent 7.x's incompatible-schema code (8.2 moved to 40901; this registry claims 7.x). */
export const incompatibleSchema = (s: string, messages: readonly string[]) =>
  new RegistryError(409, 409, `Schema being registered is incompatible with an earlier schema for subject "${s}", details: [${messages.join(', ')}]`);
/** `message`: the whole text, e.g. `Invalid schema of type AVRO, details: …` (the parsers word it). */
export const invalidSchema = (message: string) => new RegistryError(422, 42201, message);
export const invalidVersion = (v: string) => new RegistryError(422, 42202,
  `The specified version '${v}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
export const invalidCompatibilityLevel = () => new RegistryError(422, 42203,
  'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive');
export const invalidMode = () => new RegistryError(422, 42204, 'Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.');
export const operationNotPermitted = (message: string) => new RegistryError(422, 42205, message);
export const referenceExists = (what: string) => new RegistryError(422, 42206, `One or more references exist to the schema ${what}.`);
export const invalidSubject = (s: string) => new RegistryError(422, 42208, `The specified subject '${s}' is not a valid.`);
export const storeError = (message: string) => new RegistryError(500, 50001, message);
export const storeTimeout = (message: string) => new RegistryError(500, 50002, message);
export const forwardingFailed = (message: string) => new RegistryError(500, 50003, message);
export const leaderNotKnown = () => new RegistryError(500, 50004, 'Leader not known.');
