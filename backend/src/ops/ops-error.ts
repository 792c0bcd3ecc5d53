/**
 * A refusal or failure an operator can act on: the ops commands print its message alone (no stack)
 * and exit 1. Messages never carry a secret (passwords stay out of URLs shown and of arguments).
 */
export class OpsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpsError';
  }
}
