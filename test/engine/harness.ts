/**
 * Runs the Java engine harness (`test/engine/lucene/src/*.java`, Apache Lucene from Debian's
 * `liblucene8-java`): compiles it with `javac` into `test/engine/lucene/build/` when the
 * sources are newer than the classes, then runs ONE JVM over a batch of requests (JSON lines
 * in, JSON lines out).
 *
 * `engineAvailability()` tells whether Java and the Lucene jars are installed; the engine
 * tests skip with its reason locally and fail in CI (CI=true).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HARNESS_DIR = fileURLToPath(new URL('./lucene/', import.meta.url));
const SRC_DIR = join(HARNESS_DIR, 'src');
const BUILD_DIR = join(HARNESS_DIR, 'build');
const JAR_DIR = process.env.LUCENE_JAR_DIR ?? '/usr/share/java';
const JAR_NAMES = ['lucene-core', 'lucene-queryparser', 'lucene-analyzers-common'];

export const INSTALL_HINT = 'install them with: sudo apt-get install -y default-jdk-headless liblucene8-java';

/** The Lucene jars (versioned names preferred over unversioned links), or the missing ones. */
function findJars(): { jars: string[]; missing: string[] } {
  const files = existsSync(JAR_DIR) ? readdirSync(JAR_DIR) : [];
  const jars: string[] = [];
  const missing: string[] = [];
  for (const name of JAR_NAMES) {
    const versioned = files.filter((f) => new RegExp(`^${name}-8\\.[0-9.]+\\.jar$`).test(f)).sort();
    const plain = files.includes(`${name}.jar`) ? [`${name}.jar`] : [];
    const pick = versioned[versioned.length - 1] ?? plain[0];
    if (pick) jars.push(join(JAR_DIR, pick));
    else missing.push(`${JAR_DIR}/${name}-8.*.jar`);
  }
  return { jars, missing };
}

function commandWorks(cmd: string): boolean {
  const r = spawnSync(cmd, ['-version'], { stdio: 'ignore' });
  return r.status === 0;
}

export type Availability = { readonly ok: true; readonly jars: string[] } | { readonly ok: false; readonly reason: string };

let availability: Availability | undefined;

/** Whether `java`, `javac` and the Lucene 8 jars are installed. */
export function engineAvailability(): Availability {
  if (!availability) {
    const problems: string[] = [];
    if (!commandWorks('java')) problems.push('`java` not found');
    if (!commandWorks('javac')) problems.push('`javac` not found');
    const { jars, missing } = findJars();
    if (missing.length > 0) problems.push(`Lucene jars missing: ${missing.join(', ')}`);
    availability = problems.length > 0 ? { ok: false, reason: `${problems.join('; ')}; ${INSTALL_HINT}` } : { ok: true, jars };
  }
  return availability;
}

function newestMtime(dir: string, ext: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const f of readdirSync(dir)) {
    if (f.endsWith(ext)) newest = Math.max(newest, statSync(join(dir, f)).mtimeMs);
  }
  return newest;
}

/** Compiles the harness when a source is newer than the build; returns the class path. */
export function buildHarness(jars: readonly string[]): string {
  const classpath = [BUILD_DIR, ...jars].join(':');
  const built = newestMtime(BUILD_DIR, '.class');
  if (built === 0 || newestMtime(SRC_DIR, '.java') > built) {
    mkdirSync(BUILD_DIR, { recursive: true });
    const sources = readdirSync(SRC_DIR)
      .filter((f) => f.endsWith('.java'))
      .sort()
      .map((f) => join(SRC_DIR, f));
    execFileSync('javac', ['-encoding', 'UTF-8', '-d', BUILD_DIR, '-cp', jars.join(':'), ...sources], { stdio: 'pipe' });
  }
  return classpath;
}

/** Field name → Elasticsearch mapping type, for the harness index. */
export type FieldTypes = Record<string, 'text' | 'keyword' | 'wildcard' | 'long' | 'boolean' | 'date'>;

/** A document as Elasticsearch indexes it: path → values. */
export type EngineDoc = Record<string, (string | number | boolean)[]>;

export type EngineQuery = { readonly lucene: string } | { readonly dsl: unknown };

export interface EngineRequest {
  readonly id: string;
  readonly fields: FieldTypes;
  readonly docs: readonly EngineDoc[];
  readonly queries: readonly EngineQuery[];
}

export interface EngineResult {
  /** Indexes (into `docs`) of the matching documents. */
  readonly matches?: number[];
  /** Class of the top Lucene query, its `toString()`, and every term it consumes. */
  readonly type?: string;
  readonly query?: string;
  readonly terms?: [string, string][];
  readonly error?: string;
}

export interface EngineResponse {
  readonly id: string;
  readonly results?: EngineResult[];
  readonly error?: string;
}

/** Runs all `requests` in one JVM; responses by request id. */
export function runEngine(classpath: string, requests: readonly EngineRequest[]): Map<string, EngineResponse> {
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const r = spawnSync('java', ['-Xss4m', '-cp', classpath, 'EsEngine'], { input, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`engine harness failed (exit ${r.status}): ${r.stderr}`);
  const out = new Map<string, EngineResponse>();
  for (const line of r.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const response = JSON.parse(line) as EngineResponse;
    out.set(response.id, response);
  }
  return out;
}
