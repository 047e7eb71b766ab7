/**
 * A one-line progress bar on a terminal; on a pipe or in CI, a plain line every few seconds.
 */
export class ProgressBar {
  private lastPlain = 0;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
    private readonly plainEverySeconds = 10,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  /** fraction in [0, 1]; text after the bar. */
  update(fraction: number, text: string, seconds: number): void {
    const f = Math.min(1, Math.max(0, fraction));
    if (this.tty) {
      const filled = Math.round(f * this.width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${text}\x1b[K`);
    } else if (seconds - this.lastPlain >= this.plainEverySeconds) {
      this.lastPlain = seconds;
      this.out.write(`${(f * 100).toFixed(0).padStart(3)}% ${text}\n`);
    }
  }

  done(): void {
    if (this.tty) this.out.write('\n');
  }
}
