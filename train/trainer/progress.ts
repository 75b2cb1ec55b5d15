/**
 * Progress of one mini-epoch: a redrawn bar on a TTY, a plain line per quarter otherwise (CI logs,
 * pipes), so long runs show life without flooding a log file.
 */
export class Progress {
  private lastQuarter = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, loss: number): void {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const text = `${this.label} ${done}/${this.total} img  loss ${loss.toFixed(4)}  ${rate.toFixed(0)} img/s`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round((done / this.total) * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
      return;
    }
    const quarter = Math.floor((done / this.total) * 4);
    if (quarter > this.lastQuarter && quarter < 4) {
      this.lastQuarter = quarter;
      this.stream.write(`${text}\n`);
    }
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }
}
