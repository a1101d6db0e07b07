// One-line reasons for file errors, as the CLI prints them after the file name.

export function describeIoError(err: unknown, file: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') return 'no such file';
  if (e && e.code === 'EISDIR') return 'is a directory, not a capture file';
  if (e && e.code === 'EACCES') return 'permission denied';
  if (e && e.code === 'ENOSPC') return 'no space left on the device';
  return e && e.message ? e.message : `cannot read ${file}`;
}
