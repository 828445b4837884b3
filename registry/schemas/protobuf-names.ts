/**
 * Protobuf type names: the full names of the types a file and its imports declare, and how a name
 * written in a field or rpc finds one (protobuf scoping: from the innermost enclosing message out to
 * the package, then the name as written; a leading dot means already full).
 */
import type { ProtoFile, ProtoType } from './protobuf-schema-model.js';

export interface DeclaredProtoType {
  readonly packageName: string;
  /** '' for the file itself, else the import path (reference name) of the file declaring it. */
  readonly source: string;
  readonly element: ProtoType;
}

/** Every message and enum by full name (without a leading dot), imported files first. */
export function declaredProtoTypes(file: ProtoFile, dependencies: ReadonlyMap<string, ProtoFile>): Map<string, DeclaredProtoType> {
  const types = new Map<string, DeclaredProtoType>();
  const add = (declaring: ProtoFile, source: string): void => {
    const packageName = declaring.packageName ?? '';
    const visit = (elements: readonly ProtoType[], prefix: string): void => {
      for (const element of elements) {
        const name = prefix === '' ? element.name : `${prefix}.${element.name}`;
        types.set(name, { packageName, source, element });
        if (element.kind === 'message') visit(element.nestedTypes, name);
      }
    };
    visit(declaring.types, packageName);
  };
  for (const [path, dependency] of dependencies) add(dependency, path);
  add(file, '');
  return types;
}

/**
 * The full name (no leading dot) `type` refers to from inside the messages `scope` of package
 * `packageName`, or undefined when `isDeclared` knows none of the candidates.
 */
export function resolveProtoTypeName(
  type: string,
  packageName: string,
  scope: readonly string[],
  isDeclared: (fullName: string) => boolean,
): string | undefined {
  if (type.startsWith('.')) return isDeclared(type.slice(1)) ? type.slice(1) : undefined;
  const prefix = [...(packageName === '' ? [] : packageName.split('.')), ...scope];
  for (let length = prefix.length; length > 0; length--) {
    const candidate = `${prefix.slice(0, length).join('.')}.${type}`;
    if (isDeclared(candidate)) return candidate;
  }
  return isDeclared(type) ? type : undefined;
}
