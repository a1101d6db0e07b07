// Hive-style partition directories (`date=2026-12-06/capture=host1.pcapng`), which Spark, Trino, Hive,
// ClickHouse, BigQuery and DuckDB read as columns of one table.

/** Hive's escaping of partition values (FileUtils.escapePathName; Spark's is the same): %XX for these. */
const ESCAPED = /[\x00-\x1f"#%'*/:=?\\\x7f{[\]^]/g;

export function escapePartitionValue(v: string): string {
  return v.replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Hive's directory for a null partition value (a frame without a timestamp has no date). */
export const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** `date=YYYY-MM-DD` of a UTC day number (days since 1970), or the null partition for NaN. */
export function datePartition(day: number): string {
  if (Number.isNaN(day)) return `date=${NULL_PARTITION}`;
  return `date=${new Date(day * 86400000).toISOString().slice(0, 10)}`;
}

export function capturePartition(name: string): string {
  return `capture=${escapePartitionValue(name)}`;
}
