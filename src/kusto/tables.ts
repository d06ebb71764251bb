/**
 * The Sentinel table schemas the generated KQL is analysed against: `data/sentinel-tables.json`,
 * built by `scripts/build-sentinel-tables.mjs` from the Azure-Sentinel validation schemas in
 * `shared/reference/sentinel/`. Read once, on first use.
 */
import { readFileSync } from 'node:fs';

export interface KustoColumn {
  readonly name: string;
  /** Kusto scalar type: string, datetime, int, long, real, bool, dynamic, guid, timespan. */
  readonly type: string;
}

export interface KustoTable {
  readonly name: string;
  readonly columns: readonly KustoColumn[];
}

const DATA_URL = new URL('../../data/sentinel-tables.json', import.meta.url);

let tables: readonly KustoTable[] | undefined;

/** The bundled Sentinel tables (`CommonSecurityLog`, `Syslog`), sorted by name. */
export function sentinelTables(): readonly KustoTable[] {
  if (!tables) {
    const data = JSON.parse(readFileSync(DATA_URL, 'utf8')) as { tables: Record<string, KustoColumn[]> };
    tables = Object.keys(data.tables)
      .sort()
      .map((name) => ({ name, columns: data.tables[name] ?? [] }));
  }
  return tables;
}

/** The Kusto schema text of a table, `(['A']:string, ['B']:datetime, …)`. */
export function schemaText(columns: readonly KustoColumn[]): string {
  return `(${columns.map((c) => `['${c.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']:${c.type}`).join(', ')})`;
}
