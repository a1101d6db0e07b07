// DuckDB in-process for tests that read back what the CLI writes as Parquet (devDependency only).
import { DuckDBInstance } from '@duckdb/node-api';

export type Rows = Array<Record<string, unknown>>;

/** A fresh in-memory database: run(sql) gives rows as JSON values (BIGINT as text). close() frees it. */
export async function duck(): Promise<{ run: (sql: string) => Promise<Rows>; close: () => void }> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  return {
    run: async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson() as Rows,
    close: () => {
      con.closeSync();
      db.closeSync();
    },
  };
}

/** SQL text literal. */
export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
