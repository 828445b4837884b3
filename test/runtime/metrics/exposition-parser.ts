/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: it throws on
 * anything Prometheus would reject or that makes a scrape ambiguous (a sample outside its
 * family, a family split in two, a TYPE after samples, a bad name, escape or value, the same
 * series twice), and returns the families with their parsed samples.
 */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ParsedFamily {
  readonly name: string;
  help: string | undefined;
  type: string | undefined;
  readonly samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'summary', 'histogram', 'untyped']);

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('The exposition must end with a newline');
  const families = new Map<string, ParsedFamily>();
  const series = new Set<string>();
  let current: ParsedFamily | undefined;
  const familyFor = (name: string, lineNo: number): ParsedFamily => {
    let family = families.get(name);
    if (family === undefined) {
      family = { name, help: undefined, type: undefined, samples: [] };
      families.set(name, family);
    } else if (family !== current) {
      throw new Error(`line ${lineNo}: family ${name} continues after another family began`);
    }
    current = family;
    return family;
  };
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return;
      const [, keyword, name, rest] = match as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`line ${lineNo}: invalid metric name ${name}`);
      const family = familyFor(name, lineNo);
      if (keyword === 'HELP') {
        if (family.help !== undefined) throw new Error(`line ${lineNo}: second HELP for ${name}`);
        family.help = unescape(rest, false, lineNo);
      } else {
        if (family.type !== undefined) throw new Error(`line ${lineNo}: second TYPE for ${name}`);
        if (family.samples.length > 0) throw new Error(`line ${lineNo}: TYPE for ${name} after its samples`);
        if (!TYPES.has(rest)) throw new Error(`line ${lineNo}: unknown type ${rest}`);
        family.type = rest;
      }
      return;
    }
    const sample = parseSample(line, lineNo);
    const family = current !== undefined && belongsTo(sample.name, current) ? current : familyFor(sample.name, lineNo);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (series.has(key)) throw new Error(`line ${lineNo}: duplicate series ${key}`);
    series.add(key);
    family.samples.push(sample);
  });
  return families;
}

function belongsTo(sampleName: string, family: ParsedFamily): boolean {
  if (sampleName === family.name) return true;
  if (family.type === 'summary') return sampleName === `${family.name}_sum` || sampleName === `${family.name}_count`;
  if (family.type === 'histogram') return [`${family.name}_sum`, `${family.name}_count`, `${family.name}_bucket`].includes(sampleName);
  return false;
}

function parseSample(line: string, lineNo: number): ParsedSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`line ${lineNo}: no metric name in '${line}'`);
  const name = nameMatch[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
      if (!labelMatch) throw new Error(`line ${lineNo}: bad label at '${line.slice(i)}'`);
      const labelName = labelMatch[1]!;
      if (!LABEL.test(labelName) || labelName.startsWith('__')) throw new Error(`line ${lineNo}: invalid label name ${labelName}`);
      if (labelName in labels) throw new Error(`line ${lineNo}: label ${labelName} given twice`);
      i += labelMatch[0].length;
      let raw = '';
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`line ${lineNo}: unterminated label value`);
        if (line[i] === '\\') {
          raw += line.slice(i, i + 2);
          i += 2;
        } else {
          raw += line[i];
          i++;
        }
      }
      i++;
      labels[labelName] = unescape(raw, true, lineNo);
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`line ${lineNo}: expected , or } at '${line.slice(i)}'`);
    }
    i++;
  }
  const rest = line.slice(i);
  const valueMatch = /^ +(\S+)( +-?\d+)?$/.exec(rest);
  if (!valueMatch) throw new Error(`line ${lineNo}: bad value part '${rest}'`);
  const text = valueMatch[1]!;
  const value = text === 'NaN' ? NaN : text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new Error(`line ${lineNo}: bad value ${text}`);
  return { name, labels, value };
}

function unescape(text: string, labelValue: boolean, lineNo: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') throw new Error(`line ${lineNo}: raw newline`);
    if (c !== '\\') {
      if (labelValue && c === '"') throw new Error(`line ${lineNo}: unescaped quote`);
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === '"' && labelValue) out += '"';
    else throw new Error(`line ${lineNo}: bad escape \\${next ?? ''}`);
  }
  return out;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none, throws when several. */
export function valueOf(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const found: ParsedSample[] = [];
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) found.push(sample);
    }
  }
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
