// One-line descriptions of file-system errors, for the CLI's `tunnelscope: FILE: reason` lines.

export function describeIoError(err: unknown, file: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') return 'no such file';
  if (e && e.code === 'EISDIR') return 'is a directory, not a capture file';
  if (e && e.code === 'EACCES') return 'permission denied';
  if (e && e.code === 'ENOSPC') return 'no space left on the device';
  if (e && e.code === 'ENOTDIR') return 'not a directory (a file is in the way)';
  if (e && e.code === 'EROFS') return 'read-only file system';
  return e && e.message ? e.message : `cannot read ${file}`;
}
