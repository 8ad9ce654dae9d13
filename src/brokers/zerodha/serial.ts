/** One job per key at a time: asked again while it runs, it runs once more when it ends. */
export class Serial {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  /** Runs `job` for `key` now, or once more after the run going on; resolves when none is left. */
  run(key: string, job: () => Promise<void>): Promise<void> {
    const going = this.running.get(key);
    if (going !== undefined) {
      this.again.add(key);
      return going;
    }
    const p = (async () => {
      do {
        this.again.delete(key);
        await job();
      } while (this.again.has(key));
    })().finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }
}
