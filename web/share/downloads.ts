// The download of a `src=` link in progress, so the load bar's Cancel can stop it too.
let current: AbortController | null = null;

export function startDownload(): AbortController {
  current?.abort();
  current = new AbortController();
  return current;
}

export function endDownload(ac: AbortController): void {
  if (current === ac) current = null;
}

export function cancelDownload(): void {
  current?.abort();
  current = null;
}
