// Lets the thread's event loop run (messages, timers) in the middle of a long read. A worker reading
// from a stream whose reads are answered from a buffer (DecompressionStream) otherwise never leaves
// its microtasks, and the queries the UI sends it wait until the whole file is read.
// A MessageChannel round trip has none of setTimeout's 1-4 ms clamp.

/** Returns after one turn of the event loop. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close(); // an open port would keep a Node process alive
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/** Passes `src` through, turning the event loop at least every `everyMs` of reading. */
export async function* withEventTurns<T>(src: AsyncIterable<T>, everyMs = 20): AsyncGenerator<T> {
  let last = performance.now();
  for await (const v of src) {
    yield v;
    const now = performance.now();
    if (now - last >= everyMs) {
      await yieldToEvents();
      last = performance.now();
    }
  }
}
