/**
 * One pino JSON record as a line for people: local time, level, component, connector/task
 * where the record names them, the message, then the other fields as compact key=value pairs.
 * An error's stack follows on indented lines for error and fatal records. Colours only when
 * asked for (see log-colors.ts).
 */

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS: Readonly<Record<number, string>> = { 10: '90', 20: '34', 30: '32', 40: '33', 50: '31', 60: '1;31' };
const ERROR_LEVEL = 50;

/** Fields shown in their own place, or not at all (pid, hostname: the same on every line). */
const PLACED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component', 'connector', 'task', 'herder']);

export function formatPrettyLine(record: Record<string, unknown>, colors: boolean): string {
  const paint = (code: string, text: string) => (colors ? `\u001b[${code}m${text}\u001b[0m` : text);
  const level = typeof record['level'] === 'number' ? record['level'] : 30;
  const parts: string[] = [
    paint('2', clock(record['time'])),
    paint(LEVEL_COLORS[level] ?? '0', (LEVEL_NAMES[level] ?? String(level)).padEnd(5)),
  ];
  const where = [record['herder'], record['component']].filter((v) => v !== undefined).map(String).join(' ');
  if (where !== '') parts.push(paint('36', where));
  const connector = record['connector'];
  if (connector !== undefined) parts.push(paint('35', record['task'] === undefined ? String(connector) : `${String(connector)}/${String(record['task'])}`));
  if (record['msg'] !== undefined) parts.push(String(record['msg']));
  let stack = '';
  for (const [key, value] of Object.entries(record)) {
    if (PLACED.has(key) || value === undefined) continue;
    if (key === 'err' && isErrorRecord(value)) {
      parts.push(`${paint('2', 'err=')}${compact(value.message ?? value.type ?? '')}`);
      if (level >= ERROR_LEVEL && typeof value.stack === 'string') stack = indentedStack(value.stack, paint);
      continue;
    }
    parts.push(`${paint('2', `${key}=`)}${compact(value)}`);
  }
  return `${parts.join(' ')}\n${stack}`;
}

interface ErrorRecord {
  type?: string;
  message?: string;
  stack?: string;
}

function isErrorRecord(value: unknown): value is ErrorRecord {
  return typeof value === 'object' && value !== null && ('message' in value || 'stack' in value);
}

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** A value as it reads best on one line: bare when it is a word, else JSON. */
function compact(value: unknown): string {
  if (typeof value === 'string') return value !== '' && !/[\s"=]/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

function indentedStack(stack: string, paint: (code: string, text: string) => string): string {
  // The first line repeats the message already on the log line.
  return stack.split('\n').slice(1).map((line) => `${paint('2', `    ${line.trim()}`)}\n`).join('');
}
