/**
 * A DDL statement the parser does not understand (or cannot apply): it names the statement and
 * the offset (and line:column) where parsing stopped, so a user can find the culprit in the binlog
 * or in SHOW CREATE TABLE output.
 */
export class DdlParseError extends Error {
  override readonly name = 'DdlParseError';
  /** The statement text (the whole input when the statement could not be delimited). */
  readonly statement: string;
  /** Offset in `statement` where parsing stopped. */
  readonly position: number;

  constructor(reason: string, statement: string, position: number) {
    const before = statement.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    const near = statement.slice(position, position + 40).replace(/\s+/g, ' ');
    const shown = statement.length > 300 ? `${statement.slice(0, 300)}...` : statement;
    super(`Cannot parse DDL: ${reason} at line ${line}, column ${column}${near ? ` near '${near}'` : ' at the end'} in statement: ${shown}`);
    this.statement = statement;
    this.position = position;
  }
}
