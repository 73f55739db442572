/**
 * PGlite has one session. Several connections share it safely only if each has it to itself from
 * its first message until the backend is idle again (ReadyForQuery 'I'): a whole transaction, or
 * a whole extended-protocol sequence up to its Sync. The gate hands the session to one holder at a
 * time, in arrival order.
 */
export class SessionGate {
  private holder: number | null = null;
  private readonly waiting: { holder: number; admit: () => void }[] = [];
  /** When the holder last did something: a holder idle in a transaction too long is ended. */
  lastActivity = Date.now();

  get current(): number | null {
    return this.holder;
  }

  /** Resolves when `holder` has the session (at once if it has it already). */
  acquire(holder: number): Promise<void> {
    if (this.holder === null || this.holder === holder) {
      this.holder = holder;
      this.lastActivity = Date.now();
      return Promise.resolve();
    }
    return new Promise((admit) => this.waiting.push({ holder, admit }));
  }

  /** Gives the session to the next in line. Only the holder releases. */
  release(holder: number) {
    if (this.holder !== holder) return;
    const next = this.waiting.shift();
    this.holder = next?.holder ?? null;
    this.lastActivity = Date.now();
    next?.admit();
  }

  /** Drops a holder that is still waiting (its connection closed). */
  forget(holder: number) {
    const i = this.waiting.findIndex((w) => w.holder === holder);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** Runs `fn` with the session held by `holder`, then releases it. */
  async exclusive<T>(holder: number, fn: () => Promise<T>): Promise<T> {
    await this.acquire(holder);
    try {
      return await fn();
    } finally {
      this.release(holder);
    }
  }
}
