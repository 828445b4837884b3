/**
 * Reads `.proto` text (proto2 and proto3) into the Wire-shaped elements of protobuf-schema-model.ts.
 * It keeps what the canonical text needs; checking that names resolve and numbers are unique is left
 * to protobufjs (protobuf-schema.ts). Not supported: `group` fields and editions (`edition = ...`),
 * both reported as errors.
 */
import { MAX_TAG } from './protobuf-schema-model.js';
import type {
  ProtoEnum,
  ProtoEnumConstant,
  ProtoExtend,
  ProtoField,
  ProtoFile,
  ProtoLabel,
  ProtoMessage,
  ProtoOneOf,
  ProtoOption,
  ProtoOptionValue,
  ProtoRanges,
  ProtoRpc,
  ProtoService,
  ProtoType,
} from './protobuf-schema-model.js';

export class ProtoSyntaxError extends Error {}

interface Token {
  readonly kind: 'word' | 'number' | 'string' | 'symbol';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export function parseProtoFile(text: string): ProtoFile {
  return new ProtoParser(tokenize(text)).file();
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (what: string): never => {
    throw new ProtoSyntaxError(`Syntax error in line ${line}, column ${i - lineStart + 1}: ${what}`);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = ++i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment');
      for (let k = i; k < end; k++) {
        if (text[k] === '\n') {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 2;
      continue;
    }
    const column = i - lineStart + 1;
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256));
    if (word !== null) {
      tokens.push({ kind: 'word', text: word[0], line, column });
      i += word[0].length;
      continue;
    }
    const number = /^(?:0[xX][0-9A-Fa-f]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fF]?)/.exec(text.slice(i, i + 256));
    if (number !== null && (/\d/.test(c) || (c === '.' && /\d/.test(text[i + 1] ?? '')))) {
      tokens.push({ kind: 'number', text: number[0], line, column });
      i += number[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (text[i] !== c) {
        if (i >= text.length || text[i] === '\n') fail('unterminated string');
        if (text[i] === '\\') {
          const [decoded, length] = readEscape(text, i);
          value += decoded;
          i += length;
        } else {
          value += text[i++];
        }
      }
      i++;
      tokens.push({ kind: 'string', text: value, line, column });
      continue;
    }
    if ('{}[]()<>=;,.:-+/'.includes(c)) {
      tokens.push({ kind: 'symbol', text: c, line, column });
      i++;
      continue;
    }
    fail(`unexpected character '${c}'`);
  }
  return tokens;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

function readEscape(text: string, at: number): [string, number] {
  const c = text[at + 1] ?? '';
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c]!, 2];
  const hex = /^[xX]([0-9A-Fa-f]{1,2})/.exec(text.slice(at + 1));
  if (hex !== null) return [String.fromCharCode(parseInt(hex[1]!, 16)), 1 + hex[0].length];
  const octal = /^[0-7]{1,3}/.exec(text.slice(at + 1));
  if (octal !== null) return [String.fromCharCode(parseInt(octal[0], 8)), 1 + octal[0].length];
  const unicode = /^u([0-9A-Fa-f]{4})/.exec(text.slice(at + 1));
  if (unicode !== null) return [String.fromCharCode(parseInt(unicode[1]!, 16)), 6];
  return [c, 2];
}

interface MutableMessage {
  reserveds: ProtoRanges[];
  options: ProtoOption[];
  fields: ProtoField[];
  oneOfs: ProtoOneOf[];
  extensions: ProtoRanges[];
  extends: ProtoExtend[];
  nestedTypes: ProtoType[];
}

class ProtoParser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  file(): ProtoFile {
    let syntax: string | undefined;
    let packageName: string | undefined;
    const imports: string[] = [];
    const publicImports: string[] = [];
    const options: ProtoOption[] = [];
    const types: ProtoType[] = [];
    const extendList: ProtoExtend[] = [];
    const services: ProtoService[] = [];
    while (!this.atEnd()) {
      if (this.accept(';')) continue;
      const keyword = this.word();
      switch (keyword) {
        case 'syntax':
          this.expect('=');
          syntax = this.string();
          if (syntax !== 'proto2' && syntax !== 'proto3') this.fail(`unexpected syntax "${syntax}"`, -1);
          this.expect(';');
          break;
        case 'edition':
          this.fail('editions are not supported', -1);
          break;
        case 'package':
          packageName = this.fullIdent();
          this.expect(';');
          break;
        case 'import': {
          const modifier = this.peek()?.kind === 'word' ? this.word() : undefined;
          const path = this.string();
          (modifier === 'public' ? publicImports : imports).push(path);
          this.expect(';');
          break;
        }
        case 'option':
          options.push(this.optionStatement());
          break;
        case 'message':
          types.push(this.message());
          break;
        case 'enum':
          types.push(this.enumType());
          break;
        case 'extend':
          extendList.push(this.extend());
          break;
        case 'service':
          services.push(this.service());
          break;
        default:
          this.fail(`unexpected '${keyword}'`, -1);
      }
    }
    return { syntax, packageName, imports, publicImports, options, types, extends: extendList, services };
  }

  private message(): ProtoMessage {
    const name = this.word();
    const body: MutableMessage = { reserveds: [], options: [], fields: [], oneOfs: [], extensions: [], extends: [], nestedTypes: [] };
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      if (this.accept('.')) {
        body.fields.push(this.field(`.${this.fullIdent()}`));
        continue;
      }
      const keyword = this.word();
      switch (keyword) {
        case 'message':
          body.nestedTypes.push(this.message());
          break;
        case 'enum':
          body.nestedTypes.push(this.enumType());
          break;
        case 'option':
          body.options.push(this.optionStatement());
          break;
        case 'reserved':
          body.reserveds.push(this.ranges(true));
          break;
        case 'extensions':
          body.extensions.push(this.ranges(false));
          break;
        case 'extend':
          body.extends.push(this.extend());
          break;
        case 'oneof':
          body.oneOfs.push(this.oneOf());
          break;
        default:
          body.fields.push(this.field(keyword));
      }
    }
    return { kind: 'message', name, ...body };
  }

  private field(first: string): ProtoField {
    let label: ProtoLabel | undefined;
    let type: string;
    if (first === 'optional' || first === 'required' || first === 'repeated') {
      label = first;
      type = this.accept('.') ? `.${this.fullIdent()}` : this.typeName(this.word());
    } else {
      type = this.typeName(first);
    }
    if (type === 'group') this.fail('group fields are not supported', -1);
    const name = this.word();
    this.expect('=');
    const tag = this.integer();
    const options = this.accept('[') ? this.optionList() : [];
    this.expect(';');
    const defaultOption = options.find((o) => o.name === 'default');
    const jsonName = options.find((o) => o.name === 'json_name');
    return {
      label,
      type,
      name,
      tag,
      options: options.filter((o) => o !== defaultOption && o !== jsonName),
      defaultValue: defaultOption?.value,
      jsonName: jsonName?.value.kind === 'string' ? jsonName.value.value : undefined,
    };
  }

  /** A type after its first word: dotted names, a leading dot, and `map<K, V>`. */
  private typeName(first: string): string {
    if (first === 'map' && this.accept('<')) {
      const key = this.typeName(this.word());
      this.expect(',');
      const value = this.accept('.') ? `.${this.fullIdent()}` : this.typeName(this.word());
      this.expect('>');
      return `map<${key}, ${value}>`;
    }
    let name = first;
    while (this.accept('.')) name += `.${this.word()}`;
    return name;
  }

  private oneOf(): ProtoOneOf {
    const name = this.word();
    const options: ProtoOption[] = [];
    const fields: ProtoField[] = [];
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      if (this.accept('.')) {
        fields.push(this.field(`.${this.fullIdent()}`));
        continue;
      }
      const keyword = this.word();
      if (keyword === 'option') options.push(this.optionStatement());
      else fields.push(this.field(keyword));
    }
    return { name, options, fields };
  }

  private enumType(): ProtoEnum {
    const name = this.word();
    const reserveds: ProtoRanges[] = [];
    const options: ProtoOption[] = [];
    const constants: ProtoEnumConstant[] = [];
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      const word = this.word();
      if (word === 'option') options.push(this.optionStatement());
      else if (word === 'reserved') reserveds.push(this.ranges(true));
      else {
        this.expect('=');
        const tag = this.integer();
        const constantOptions = this.accept('[') ? this.optionList() : [];
        this.expect(';');
        constants.push({ name: word, tag, options: constantOptions });
      }
    }
    return { kind: 'enum', name, reserveds, options, constants };
  }

  private extend(): ProtoExtend {
    const name = this.accept('.') ? `.${this.fullIdent()}` : this.fullIdent();
    const fields: ProtoField[] = [];
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      fields.push(this.field(this.word()));
    }
    return { name, fields };
  }

  private service(): ProtoService {
    const name = this.word();
    const options: ProtoOption[] = [];
    const rpcs: ProtoRpc[] = [];
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      const keyword = this.word();
      if (keyword === 'option') {
        options.push(this.optionStatement());
        continue;
      }
      if (keyword !== 'rpc') this.fail(`unexpected '${keyword}' in service ${name}`, -1);
      const rpcName = this.word();
      const [requestType, requestStreaming] = this.rpcType();
      if (this.word() !== 'returns') this.fail("'returns' expected", -1);
      const [responseType, responseStreaming] = this.rpcType();
      const rpcOptions: ProtoOption[] = [];
      if (this.accept('{')) {
        while (!this.accept('}')) {
          if (this.accept(';')) continue;
          if (this.word() !== 'option') this.fail("'option' expected", -1);
          rpcOptions.push(this.optionStatement());
        }
        this.accept(';');
      } else {
        this.expect(';');
      }
      rpcs.push({ name: rpcName, requestType, requestStreaming, responseType, responseStreaming, options: rpcOptions });
    }
    return { name, options, rpcs };
  }

  private rpcType(): [string, boolean] {
    this.expect('(');
    let streaming = false;
    let type = this.accept('.') ? `.${this.fullIdent()}` : this.fullIdent();
    if (type === 'stream' && !this.isSymbol(')')) {
      streaming = true;
      type = this.accept('.') ? `.${this.fullIdent()}` : this.fullIdent();
    }
    this.expect(')');
    return [type, streaming];
  }

  private ranges(allowNames: boolean): ProtoRanges {
    const values: Array<ProtoRanges['values'][number]> = [];
    do {
      const next = this.peek();
      if (allowNames && next?.kind === 'string') {
        values.push(this.string());
      } else if (allowNames && next?.kind === 'word' && !/^(max)$/.test(next.text)) {
        values.push(this.word());
      } else {
        const start = this.integer();
        if (this.peek()?.kind === 'word' && this.peek()?.text === 'to') {
          this.word();
          const end = this.peek()?.text === 'max' ? (this.word(), 'max' as const) : this.integer();
          values.push({ start, end: end === 'max' || end >= MAX_TAG ? 'max' : end });
        } else {
          values.push(start);
        }
      }
    } while (this.accept(','));
    const options = this.accept('[') ? this.optionList() : [];
    this.expect(';');
    return { values, options };
  }

  private optionStatement(): ProtoOption {
    const option = this.option();
    this.expect(';');
    return option;
  }

  /** The options inside `[...]` after the `[`. */
  private optionList(): ProtoOption[] {
    const options: ProtoOption[] = [];
    do options.push(this.option());
    while (this.accept(','));
    this.expect(']');
    return options;
  }

  private option(): ProtoOption {
    let name = this.optionNamePart();
    while (this.accept('.')) name += `.${this.optionNamePart()}`;
    this.expect('=');
    return { name, value: this.constant() };
  }

  private optionNamePart(): string {
    if (this.accept('(')) {
      const inner = this.accept('.') ? `.${this.fullIdent()}` : this.fullIdent();
      this.expect(')');
      return `(${inner})`;
    }
    return this.word();
  }

  private constant(): ProtoOptionValue {
    const token = this.peek();
    if (token === undefined) return this.fail('a value expected');
    if (token.kind === 'string') {
      let value = '';
      while (this.peek()?.kind === 'string') value += this.string();
      return { kind: 'string', value };
    }
    if (this.accept('{')) return this.aggregate('}');
    if (this.isSymbol('-') || this.isSymbol('+') || token.kind === 'number') {
      const sign = this.accept('-') ? '-' : (this.accept('+'), '');
      const next = this.next();
      if (next.kind !== 'number' && !/^(inf|nan)$/.test(next.text)) this.fail('a number expected', -1);
      return { kind: 'number', text: sign + next.text };
    }
    const word = this.fullIdent();
    if (word === 'true' || word === 'false') return { kind: 'boolean', text: word };
    if (word === 'inf' || word === 'nan') return { kind: 'number', text: word };
    return { kind: 'enum', text: word };
  }

  /** Text-format message literal: `key: value`, `key { ... }`, `key: [a, b]`; repeated keys make lists. */
  private aggregate(close: string): ProtoOptionValue {
    const entries: Array<[string, ProtoOptionValue]> = [];
    while (!this.accept(close)) {
      if (this.accept(',') || this.accept(';')) continue;
      let key: string;
      if (this.accept('[')) {
        key = `[${this.fullIdent()}]`;
        this.expect(']');
      } else {
        key = this.word();
      }
      let value: ProtoOptionValue;
      if (this.accept(':')) {
        if (this.accept('[')) {
          const items: ProtoOptionValue[] = [];
          while (!this.accept(']')) {
            if (this.accept(',')) continue;
            items.push(this.accept('{') ? this.aggregate('}') : this.constant());
          }
          value = { kind: 'list', items };
        } else {
          value = this.accept('{') ? this.aggregate('}') : this.accept('<') ? this.aggregate('>') : this.constant();
        }
      } else {
        value = this.accept('<') ? this.aggregate('>') : (this.expect('{'), this.aggregate('}'));
      }
      const existing = entries.findIndex(([k]) => k === key);
      if (existing < 0) entries.push([key, value]);
      else {
        const previous = entries[existing]![1];
        entries[existing] = [key, { kind: 'list', items: previous.kind === 'list' ? [...previous.items, value] : [previous, value] }];
      }
    }
    return { kind: 'map', entries };
  }

  private fullIdent(): string {
    let name = this.word();
    while (this.accept('.')) name += `.${this.word()}`;
    return name;
  }

  private integer(): number {
    const negative = this.accept('-');
    const token = this.next();
    if (token.kind !== 'number' || !/^(0[xX][0-9A-Fa-f]+|\d+)$/.test(token.text)) this.fail('an integer expected', -1);
    const value = Number(token.text.startsWith('0') && /^0[0-7]+$/.test(token.text) ? parseInt(token.text, 8) : token.text);
    return negative ? -value : value;
  }

  private word(): string {
    const token = this.next();
    if (token.kind !== 'word') this.fail(`an identifier expected, found '${token.text}'`, -1);
    return token.text;
  }

  private string(): string {
    const token = this.next();
    if (token.kind !== 'string') this.fail(`a string expected, found '${token.text}'`, -1);
    return token.text;
  }

  private expect(symbol: string): void {
    const token = this.next();
    if (token.kind !== 'symbol' || token.text !== symbol) this.fail(`'${symbol}' expected, found '${token.text}'`, -1);
  }

  private accept(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.position++;
    return true;
  }

  private isSymbol(symbol: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'symbol' && token.text === symbol;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (token === undefined) this.fail('unexpected end of input');
    return token;
  }

  private atEnd(): boolean {
    return this.position >= this.tokens.length;
  }

  private fail(what: string, offset = 0): never {
    const token = this.tokens[this.position + offset] ?? this.tokens[this.tokens.length - 1];
    const where = token === undefined ? 'at the start' : `in line ${token.line}, column ${token.column}`;
    throw new ProtoSyntaxError(`Syntax error ${where}: ${what}`);
  }
}
