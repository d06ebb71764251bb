/** Running `main()` in a throw-away project folder and capturing what it prints. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ColorSupportLevel } from 'chalk';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly colorLevel?: ColorSupportLevel;
}

/**
 * Runs `detect <args>` in `cwd` through `main()`. The process's working folder is switched
 * for the run, because lowering resolves test-event files against it.
 */
export async function runCli(cwd: string, args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
    env: options.env ?? {},
    colorLevel: options.colorLevel ?? 0,
  };
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(['node', 'detect', ...args], io);
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** A new empty project folder with `files` (relative path → content). */
export function makeProject(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'detect-cli-'));
  for (const [rel, content] of Object.entries(files)) writeFile(dir, rel, content);
  return dir;
}

export function writeFile(dir: string, rel: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), content);
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file below `dir` with its bytes (as latin1 text), sorted: a byte-level snapshot. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out[r] = readFileSync(join(d, e.name), 'latin1');
    }
  };
  walk(dir, '');
  return out;
}

/** A valid detection named `name` with one matching and one non-matching test. */
export function detection(name: string, options: { id?: string; rule?: string; failing?: boolean } = {}): string {
  const rule = options.rule ?? 'Netcat Remote Code Execution in Container';
  const id = options.id ?? '2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11';
  const matching = options.failing ? 'Some other rule' : rule;
  return `detection ${name} {
  title: "Netcat in a container"
  id: "${id}"
  severity: critical
  description: "Falco saw netcat in a container."
  attack {
    execution: T1059.004
  }
  condition: rule == "${rule}" and proc.name in ["nc", "ncat"]
  test "fires" matches { "rule": "${matching}", "output_fields": { "proc.name": "nc" } }
  test "other rule" does not match { "rule": "x", "output_fields": { "proc.name": "nc" } }
}
`;
}
