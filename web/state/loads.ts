// Which load is the one the user asked for last. Every way of opening a capture (drop, Open…, Load sample,
// a `src=` or `cap=` link, the sample at start) begins a load here; beginning one aborts the signal of the
// one before, which stops its download and its read in the worker. Whatever an earlier load still
// delivers (progress, its result, its error) is applied only while it is current, so the last request
// wins whatever order the answers come in.

export interface LoadTicket {
  /** Rising; the worker knows the load by it. */
  readonly id: number;
  /** Aborted when the user begins another load or cancels this one. */
  readonly signal: AbortSignal;
  /** Still the load the user asked for last (a cancelled load stays current: its outcome is shown). */
  current(): boolean;
}

export class Loads {
  private seq = 0;
  private latest: { ticket: LoadTicket; abort: AbortController } | null = null;

  begin(): LoadTicket {
    this.latest?.abort.abort();
    const abort = new AbortController();
    const id = ++this.seq;
    const ticket: LoadTicket = { id, signal: abort.signal, current: () => this.latest?.ticket.id === id };
    this.latest = { ticket, abort };
    return ticket;
  }

  /** Stops the current load (Cancel); it stays current, so its outcome (frames read so far, or why not) shows. */
  cancel(): void {
    this.latest?.abort.abort();
  }
}

export const loads = new Loads();
