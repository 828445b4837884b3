/**
 * A registered .proto file loaded for encoding and decoding: protobufjs types (with the well-known
 * imports ferry supplies; other imports must be registry references, which ferry's converter does
 * not follow yet) and the message-index paths of its messages — the position of each message among
 * the message declarations (enums skipped) at its nesting level, as Confluent numbers them.
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

  static load(text: string): LoadedProto {
    const file = parseProtoFile(text);
    const root = new protobuf.Root();
    const loaded = new Set<string>();
    for (const path of [...file.imports, ...file.publicImports]) {
      if (!addKnownProtoFile(root, path, loaded)) throw new DataError(`The Protobuf schema imports ${path}, a reference ferry's ProtobufConverter does not load`);
    }
    protobuf.parse(text, root, { keepCase: true });
    root.resolveAll();
    return new LoadedProto(root, file.packageName, messagesOf(file.types));
  }

  /** The message an index path names; throws DataError when there is none. */
  messageAt(indexes: readonly number[]): { readonly type: protobuf.Type; readonly name: string } {
    let candidates = this.topLevel;
    const path: string[] = [];
    for (const index of indexes) {
      const message = candidates[index];
      if (message === undefined) throw new DataError(`Invalid message indexes [${indexes.join(', ')}]: no message at position ${index}`);
      path.push(message.name);
      candidates = messagesOf(message.nestedTypes);
    }
    const name = [...(this.packageName === undefined ? [] : [this.packageName]), ...path].join('.');
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

function messagesOf(types: readonly ProtoType[]): ProtoMessage[] {
  return types.filter((t): t is ProtoMessage => t.kind === 'message');
}
