export type CheckOutcome = 'PASS' | 'FAIL' | 'SKIP';

export interface CheckLine {
  outcome: CheckOutcome;
  check: string;
  detail: string;
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One line per check, printed as it is decided: `PASS  <check>  <detail>`, `FAIL ...`, `SKIP ...`.
 * The command fails when any check failed, or when every check was skipped; a skipped check (not
 * applicable here) alone does not.
 */
export class CheckReport {
  readonly lines: CheckLine[] = [];

  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

  pass(check: string, detail: string): void {
    this.add('PASS', check, detail);
  }

  fail(check: string, detail: string): void {
    this.add('FAIL', check, detail);
  }

  skip(check: string, detail: string): void {
    this.add('SKIP', check, detail);
  }

  /** Passes with the detail `probe` returns; fails with the message of what it throws. */
  async check(check: string, probe: () => Promise<string>): Promise<boolean> {
    try {
      this.pass(check, await probe());
      return true;
    } catch (error) {
      this.fail(check, errorMessage(error));
      return false;
    }
  }

  get failed(): CheckLine[] {
    return this.lines.filter((line) => line.outcome === 'FAIL');
  }

  /** Whether the command succeeded: nothing failed, and something was checked (all skipped proves nothing). */
  get ok(): boolean {
    return this.failed.length === 0 && this.lines.some((line) => line.outcome === 'PASS');
  }

  /** The closing line; says which checks failed, or that none ran. */
  summary(command: string): string {
    const count = (outcome: CheckOutcome): number => this.lines.filter((line) => line.outcome === outcome).length;
    const skipped = count('SKIP') > 0 ? `, ${count('SKIP')} skipped` : '';
    if (this.failed.length === 0 && count('PASS') === 0) return `${command}: NOTHING CHECKED (every check was skipped: see why above)`;
    if (this.failed.length === 0) return `${command}: OK (${count('PASS')} checks passed${skipped})`;
    return `${command}: FAILED (${this.failed.length} of ${this.lines.length} checks failed: ${this.failed.map((l) => l.check).join(', ')}${skipped})`;
  }

  private add(outcome: CheckOutcome, check: string, detail: string): void {
    this.lines.push({ outcome, check, detail });
    this.print(`${outcome}  ${check.padEnd(42)}  ${detail}`);
  }
}
