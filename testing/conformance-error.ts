/** What the kit throws when a connector breaks its contract: an AssertionError naming the check. */
import { AssertionError } from 'node:assert';

export class ConformanceError extends AssertionError {
  readonly check: string;

  constructor(check: string, message: string) {
    super({ message: `${check}: ${message}` });
    this.name = 'ConformanceError';
    this.check = check;
  }
}
