/**
 * A store of Kusto.Language verdicts, so that KQL analysed once need not be analysed again (nor
 * Kusto.Language loaded, about 2 s) in a later run. A verdict is a pure function of its key:
 * the analyser version, the table schemas, the declared functions and the analysed text, all
 * hashed into the key (`verdictKey`), so a stale entry can never be used.
 *
 * The analyser reads and fills whatever `AnalysisCache` it is given; `FileAnalysisCache` keeps
 * one in a JSON file, read on first use and written by `flush()` (temporary file + rename).
 * Backends never touch the disk: the caller (the CLI pipeline) owns the file and flushes it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A problem as stored: Kusto's code, severity, message, and the offsets in `text`. */
export interface StoredProblem {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
  readonly text: string;
}

/** What the analyser found for one key: the problems, and for a function its result columns. */
export interface Verdict {
  readonly problems: readonly StoredProblem[];
  readonly columns?: readonly { readonly name: string; readonly type: string }[];
}

/** Verdicts by key; `undefined` when the key was never analysed. */
export interface AnalysisCache {
  get(key: string): Verdict | undefined;
  set(key: string, verdict: Verdict): void;
}

/** The key of a verdict: a SHA-256 over its parts, each length-prefixed. */
export function verdictKey(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}\n`);
  return h.digest('hex');
}

/** An in-memory cache (for tests and one-process reuse). */
export class MemoryAnalysisCache implements AnalysisCache {
  readonly entries = new Map<string, Verdict>();
  get(key: string): Verdict | undefined {
    return this.entries.get(key);
  }
  set(key: string, verdict: Verdict): void {
    this.entries.set(key, verdict);
  }
}

const FORMAT = 1;

/** A cache kept in a JSON file (`{"format":1,"verdicts":{key: verdict}}`). */
export class FileAnalysisCache implements AnalysisCache {
  private entries: Map<string, Verdict> | undefined;
  private dirty = false;

  constructor(readonly path: string) {}

  private load(): Map<string, Verdict> {
    if (!this.entries) {
      this.entries = new Map();
      try {
        const data = JSON.parse(readFileSync(this.path, 'utf8')) as { format?: number; verdicts?: Record<string, Verdict> };
        if (data.format === FORMAT && data.verdicts) for (const [k, v] of Object.entries(data.verdicts)) this.entries.set(k, v);
      } catch {
        // absent or unreadable: start empty
      }
    }
    return this.entries;
  }

  get(key: string): Verdict | undefined {
    return this.load().get(key);
  }

  set(key: string, verdict: Verdict): void {
    this.load().set(key, verdict);
    this.dirty = true;
  }

  /** Writes the file if anything was added (sorted keys, so the file is deterministic). */
  flush(): void {
    if (!this.dirty || !this.entries) return;
    const verdicts: Record<string, Verdict> = {};
    for (const k of [...this.entries.keys()].sort()) verdicts[k] = this.entries.get(k) as Verdict;
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, verdicts })}\n`);
    renameSync(tmp, this.path);
    this.dirty = false;
  }
}
