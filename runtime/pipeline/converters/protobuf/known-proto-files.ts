/**
 * The well-known .proto files Confluent's Protobuf converter imports without registering them as
 * references (`skip.known.types`), loaded into a protobufjs Root so that schemas importing them
 * parse: `google/protobuf/*.proto` from protobufjs's bundled copies, and the Confluent and
 * google.type files it does not bundle, written here from their published message definitions
 * (only what encoding needs: messages and field numbers; comments and language options left out).
 */
import protobuf from 'protobufjs';

const VENDORED: Readonly<Record<string, string>> = {
  'confluent/meta.proto': `syntax = "proto3";
package confluent;
message Meta {
  string doc = 1;
  map<string, string> params = 2;
  repeated string tags = 3;
}
`,
  'confluent/type/decimal.proto': `syntax = "proto3";
package confluent.type;
message Decimal {
  bytes value = 1;
  uint32 precision = 2;
  int32 scale = 3;
}
`,
  'google/type/date.proto': `syntax = "proto3";
package google.type;
message Date {
  int32 year = 1;
  int32 month = 2;
  int32 day = 3;
}
`,
  'google/type/timeofday.proto': `syntax = "proto3";
package google.type;
message TimeOfDay {
  int32 hours = 1;
  int32 minutes = 2;
  int32 seconds = 3;
  int32 nanos = 4;
}
`,
};

/** Whether an import path is one ferry supplies itself. */
export function isKnownProtoFile(path: string): boolean {
  return Object.hasOwn(VENDORED, path) || protobuf.common.get(path) !== null;
}

/** Adds the known file `path` (and nothing when it is unknown) to `root`; returns whether it was known. */
export function addKnownProtoFile(root: protobuf.Root, path: string, loaded: Set<string>): boolean {
  if (loaded.has(path)) return true;
  const vendored = VENDORED[path];
  if (vendored !== undefined) {
    loaded.add(path);
    protobuf.parse(vendored, root, { keepCase: true });
    return true;
  }
  const bundled = protobuf.common.get(path);
  if (bundled === null) return false;
  loaded.add(path);
  root.addJSON(bundled.nested ?? {});
  return true;
}
