/** A mistake in how the command was invoked or in the input it was given: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** `showUsage`: the mistake is best answered with the whole usage text, not a one-line hint. */
  constructor(message: string, readonly showUsage = false) {
    super(message);
  }
}
