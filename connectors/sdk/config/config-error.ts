/** The one error a config spec throws: every problem found in a config, each tied to a key. */

export interface FieldIssue {
  /** The dotted Kafka key the problem is reported against. */
  readonly name: string;
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  readonly retriable = false;
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(formatIssues(issues));
    this.issues = issues;
  }

  /** The messages alone, in the order Kafka's 400 response lists them. */
  get messages(): string[] {
    return this.issues.map((i) => i.message);
  }
}

function formatIssues(issues: readonly FieldIssue[]): string {
  const lines = issues.map((i) => (i.message.includes(i.name) ? i.message : `${i.name}: ${i.message}`));
  return `Configuration is invalid and contains the following ${issues.length} error(s):\n${lines.join('\n')}`;
}
