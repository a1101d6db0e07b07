// Where the open capture came from: decides what a share link holds and what the address bar shows.
export type CaptureOrigin =
  /** The bundled sample (the default when a link names no capture). */
  | { kind: 'sample'; url: string }
  /** A file the user dropped or picked. */
  | { kind: 'file' }
  /** Fetched for a `src=` link. */
  | { kind: 'url'; url: string }
  /** Embedded in a `cap=` link (the base64url text, and the `name=` beside it when the link has one). */
  | { kind: 'embedded'; data: string; name?: string };
