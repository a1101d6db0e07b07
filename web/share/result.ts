// Outcome of an operation that can fail with a message for the user: nothing here throws past its caller.
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };
