/**
 * A registered .proto file loaded for encoding and decoding: protobufjs types (the well-known
 * imports ferry supplies itself; any other import is the schema of the registry reference with that
 * name, loaded with its own imports) and the message-index paths of its messages — the position of
 * each message among the message declarations (enums skipped) at its nesting level, as Confluent
 * numbers them.
 */
import protobuf from 'protobufjs';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { parseProtoFile } from '../../../../registry/schemas/protobuf-parser.js';
import type { ProtoMessage, ProtoType } from '../../../../registry/schemas/protobuf-schema-model.js';
import { addKnownProtoFile } from './known-proto-files.js';

export class LoadedProto {
  private constructor(
    private readonly root: protobuf.Root,
    private readonly packageName: string | undefined,
    private readonly topLevel: readonly ProtoMessage[],
  ) {}

  /** `references`: the text of each referenced file by import path. */
  static load(text: string, references: ReadonlyMap<string, string> = new Map()): LoadedProto {
    const file = parseProtoFile(text);
    const root = new protobuf.Root();
    const loaded = new Set<string>();
    const addImports = (imports: readonly string[]): void => {
      for (const path of imports) {
        if (addKnownProtoFile(root, path, loaded)) continue;
        const referenced = references.get(path);
        if (referenced === undefined) throw new DataError(`The Protobuf schema imports ${path}, which is neither a well-known file nor one of its references`);
        loaded.add(path);
        const imported = parseProtoFile(referenced);
        addImports([...imported.imports, ...imported.publicImports]);
        protobuf.parse(referenced, root, { keepCase: true });
      }
    };
    addImports([...file.imports, ...file.publicImports]);
    protobuf.parse(text, root, { keepCase: true });
    root.resolveAll();
    return new LoadedProto(root, file.packageName, messagesOf(file.types));
  }

  /** The message an index path names; throws DataError when there is none. */
  messageAt(indexes: readonly number[]): { readonly type: protobuf.Type; readonly name: string } {
    const name = nameAt(this.packageName, this.topLevel, indexes);
    return { type: this.root.lookupType(name), name };
  }

  /** The index path of the message named `fullName` (package included), or undefined when the file has none. */
  indexesOf(fullName: string): number[] | undefined {
    const search = (messages: readonly ProtoMessage[], prefix: string): number[] | undefined => {
      for (const [i, m] of messages.entries()) {
        const name = prefix === '' ? m.name : `${prefix}.${m.name}`;
        if (name === fullName) return [i];
        const nested = search(messagesOf(m.nestedTypes), name);
        if (nested !== undefined) return [i, ...nested];
      }
      return undefined;
    };
    return search(this.topLevel, this.packageName ?? '');
  }
}

/** The full name of the message an index path names in .proto text (no imports needed); DataError when there is none. */
export function messageNameAt(text: string, indexes: readonly number[]): string {
  const file = parseProtoFile(text);
  return nameAt(file.packageName, messagesOf(file.types), indexes);
}

function nameAt(packageName: string | undefined, topLevel: readonly ProtoMessage[], indexes: readonly number[]): string {
  let candidates = topLevel;
  const path: string[] = [];
  for (const index of indexes) {
    const message = candidates[index];
    if (message === undefined) throw new DataError(`Invalid message indexes [${indexes.join(', ')}]: no message at position ${index}`);
    path.push(message.name);
    candidates = messagesOf(message.nestedTypes);
  }
  return [...(packageName === undefined ? [] : [packageName]), ...path].join('.');
}

function messagesOf(types: readonly ProtoType[]): ProtoMessage[] {
  return types.filter((t): t is ProtoMessage => t.kind === 'message');
}
