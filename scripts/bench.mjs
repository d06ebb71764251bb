#!/usr/bin/env node
/**
 * `npm run bench`: measures `detect compile … --target all` as a whole process.
 *
 * 1. Generates N varied detections (every operator, case modes, lists, macros, thresholds,
 *    sequences, inline tests) into a temporary folder, deterministically from a seed.
 * 2. Runs `node bin/detect.js compile <dir> --target all --out <tmp>` several times and reports
 *    the median wall time and the median peak RSS (read from the child's own
 *    `process.resourceUsage().maxRSS` through a preload module, so no external tool is needed).
 * 3. Times the cold start of compiling a single detection the same way.
 * 4. Reports the compile's CPU time (all threads), and the floor its output sets: writing and
 *    hashing as many files of the same sizes, with nothing compiled.
 * The headline figures run with the Kusto verdict cache warm (every run after the first does);
 * the same runs with `--no-cache` (every query analysed by Kusto.Language) are printed too.
 *
 * Options: `--count N` (default 10000), `--runs R` (default 5), `--disk` (work in the temp
 * folder instead of /dev/shm), `--generate DIR` (only write
 * the corpus, for profiling), `--json` (last line is
 * `{"detections":N,"wall_ms":M,"peak_rss_mb":R,"single_ms":S}`).
 * Goals on the 2-core reference machine: N=10000 in <= 1500 ms and <= 250 MB; one in <= 200 ms.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const COUNT = option('--count', 10_000);
const RUNS = option('--runs', 5);
const JSON_OUT = args.includes('--json');

/** Small deterministic PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(20261123);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;

const RULES = [
  'Terminal shell in container',
  'Read sensitive file untrusted',
  'Write below binary dir',
  'Netcat Remote Code Execution in Container',
  'Kubernetes Client Tool Launched in Container',
  'Delete or rename shell history',
];
const STRING_FIELDS = ['proc.cmdline', 'proc.name', 'proc.pname', 'fd.name', 'container.name', 'container.image.repository', 'k8s.ns.name', 'user.name'];
const ATTACK = [
  ['execution', 'T1059.004'],
  ['credential-access', 'T1003.008'],
  ['persistence', 'T1098.004'],
  ['defense-evasion', 'T1070.003'],
  ['discovery', 'T1046'],
  ['command-and-control', 'T1095'],
];
const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'];
const WORDS = ['bash', 'nc', 'curl', 'wget', 'kubectl', 'ssh-keygen', '/etc/shadow', 'python', 'nmap', 'socat'];

function comparison(i) {
  const f = pick(STRING_FIELDS);
  const w = pick(WORDS);
  switch (i % 12) {
    case 0: return `${f} == "${w}"`;
    case 1: return `${f} != "${w}"`;
    case 2: return `${f} contains "${w}"`;
    case 3: return `${f} startswith "${w}" nocase`;
    case 4: return `${f} endswith "${w}"`;
    case 5: return `${f} regex "^${w.replace(/[^a-z]/g, '')}[a-z]*$"`;
    case 6: return `${f} in ["${w}", "${pick(WORDS)}"]`;
    case 7: return `proc.name in bench_list_${i % 50}`;
    case 8: return `${f} exists`;
    case 9: return `user.uid >= ${Math.floor(rand() * 1000)}`;
    case 10: return `not ${f} contains "${w}" cased`;
    default: return `bench_macro_${i % 50}`;
  }
}

function event(rule, cmd) {
  return JSON.stringify({
    rule,
    priority: 'Warning',
    time: '2026-11-23T10:00:00.000000000Z',
    hostname: 'gke-prod-eu-default-pool-1a2b3c4d-x1y2',
    source: 'syscall',
    tags: ['container'],
    output_fields: { 'proc.cmdline': cmd, 'proc.name': cmd.split(' ')[0], 'container.id': 'abc123def456', 'user.uid': 0 },
  });
}

function detection(i) {
  const rule = pick(RULES);
  const [tactic, technique] = pick(ATTACK);
  const lines = [
    `detection bench_${String(i).padStart(5, '0')} {`,
    `  title: "Bench detection ${i}"`,
    `  id: "${uuid()}"`,
    `  version: ${1 + (i % 3)}`,
    `  severity: ${pick(SEVERITIES)}`,
    `  description: "Generated detection ${i} for the benchmark."`,
    `  tags: ["bench", "t${i % 7}"]`,
    `  attack {`,
    `    ${tactic}: ${technique}`,
    `  }`,
  ];
  const cond = `rule == "${rule}" and (${comparison(i)} or ${comparison(i + 5)}) and ${comparison(i + 3)}`;
  if (i % 10 === 0) {
    lines.push(`  sequence by container.id within 10m {`);
    lines.push(`    step first: rule == "${rule}" and ${comparison(i + 1)}`);
    lines.push(`    step second: ${comparison(i + 2)}`);
    lines.push(`  }`);
  } else {
    lines.push(`  condition: ${cond}`);
    if (i % 10 === 1) lines.push(`  threshold: count >= ${2 + (i % 5)} by container.id within 15m`);
  }
  // Valid for every target: thresholds run at least once per window, and sequences are not
  // suppressed (Kibana cannot suppress EQL sequence alerts).
  if (i % 10 === 1) lines.push(`  schedule: every 5m lookback 15m`);
  else if (i % 3 === 0) lines.push(`  schedule: realtime`);
  else lines.push(`  schedule: every ${5 + (i % 4) * 5}m lookback ${10 + (i % 4) * 5}m`);
  if (i % 4 === 0 && i % 10 !== 0) lines.push(`  suppress: by container.id for 1h`);
  lines.push(`  output: time, cluster, container.name, proc.cmdline`);
  lines.push(`  entities {`, `    host: hostname`, `    container: container.id`, `    process: proc.cmdline`, `  }`);
  lines.push(`  test "fires" matches ${event(rule, `${pick(WORDS)} -x`)}`);
  lines.push(`  test "other rule" does not match ${event('Some other rule', 'ls')}`);
  lines.push(`}`, '');
  return lines.join('\n');
}

function generate(dir, count) {
  mkdirSync(dir, { recursive: true });
  const shared = [];
  for (let l = 0; l < 50; l++) shared.push(`list bench_list_${l} = ["${pick(WORDS)}", "${pick(WORDS)}", "${pick(WORDS)}"]`);
  for (let m = 0; m < 50; m++) shared.push(`macro bench_macro_${m} = ${comparison(m * 7 + 1)} and container.id exists`);
  writeFileSync(join(dir, 'shared.det'), shared.join('\n') + '\n');
  const perFile = 100;
  for (let f = 0; f * perFile < count; f++) {
    const parts = [];
    for (let i = f * perFile; i < Math.min(count, (f + 1) * perFile); i++) parts.push(detection(i));
    writeFileSync(join(dir, `bench_${String(f).padStart(4, '0')}.det`), parts.join('\n'));
  }
}

// The child's peak RSS and CPU time (all its threads), read in the child itself on exit.
const preload = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs';
   process.on('exit', () => {
     const u = process.resourceUsage();
     if (process.env.BENCH_USAGE_FILE) writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ maxRSS: u.maxRSS, cpu: u.userCPUTime + u.systemCPUTime }));
   });`,
)}`;

function run(inputDir, outDir, usageFile, extra = []) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', preload, join(root, 'bin/detect.js'), ...extra, 'compile', inputDir, '--target', 'all', '--out', outDir, '--no-color'], {
    env: { ...process.env, BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    process.stderr.write(result.stdout.slice(0, 4000) + result.stderr.slice(0, 4000));
    throw new Error(`compile exited with ${result.status}`);
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return { wallMs, rssMb: usage.maxRSS / 1024, cpuMs: usage.cpu / 1000 };
}

/** Every file below `dir`: [path relative to it, size in bytes]. */
function filesBelow(dir, rel = '') {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    return e.isDirectory() ? filesBelow(dir, p) : [[p, statSync(join(dir, p)).size]];
  });
}

/**
 * The floor set by the output alone: writes as many files of the same sizes as `outDir` holds
 * (ASCII filler), each hashed with SHA-256 as the compiler does for its manifest, into a fresh
 * folder, in one thread, with nothing to compile. Returns its wall and CPU time.
 */
function outputFloor(outDir, into) {
  const files = filesBelow(outDir);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const made = new Set();
  for (const [p, size] of files) {
    const folder = dirname(join(into, p));
    if (!made.has(folder)) mkdirSync(folder, { recursive: true });
    made.add(folder);
    const text = 'x'.repeat(size);
    createHash('sha256').update(text).digest('hex');
    writeFileSync(join(into, p), text);
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const bytes = files.reduce((sum, [, size]) => sum + size, 0);
  return { files: files.length, mb: bytes / 1e6, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const generateOnly = args.indexOf('--generate');
if (generateOnly >= 0) {
  // `--generate DIR`: only write the corpus (for profiling), then stop.
  generate(resolve(args[generateOnly + 1] ?? 'bench-corpus'), COUNT);
  process.exit(0);
}

// Inputs and outputs live in RAM (/dev/shm) when the machine has it, so the figures are the
// compiler's and not the disk's: a --target all compile writes ~6 files per detection, and on
// the reference VM's disk creating a file costs ~0.2-0.35 ms (60,000 files: 10-20 s), against
// ~0.012 ms in RAM. `--disk` keeps them in the temp folder instead.
const scratch = !args.includes('--disk') && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const work = mkdtempSync(join(scratch, 'detect-bench-'));
try {
  const many = join(work, 'many');
  const one = join(work, 'one');
  generate(many, COUNT);
  generate(one, 1);
  rmSync(join(one, 'shared.det'));
  writeFileSync(join(one, 'bench_0000.det'), readFileSync(join(one, 'bench_0000.det'), 'utf8').replace(/ and bench_macro_\d+| or bench_macro_\d+|bench_macro_\d+ and /g, '').replace(/proc\.name in bench_list_\d+/g, 'proc.name in ["nc"]'));
  const rss = join(work, 'usage.json');
  run(many, join(work, 'out-warmup'), rss); // warm the file system cache
  const manyRuns = [];
  for (let r = 0; r < RUNS; r++) manyRuns.push(run(many, join(work, `out-${r}`), rss));
  const oneRuns = [];
  for (let r = 0; r < RUNS; r++) oneRuns.push(run(one, join(work, `one-${r}`), rss));
  // Cold: without the Kusto verdict cache, every query is analysed by Kusto.Language.
  const coldRuns = [];
  for (let r = 0; r < Math.min(RUNS, 3); r++) coldRuns.push(run(many, join(work, `cold-${r}`), rss, ['--no-cache']));
  const coldOne = [];
  for (let r = 0; r < Math.min(RUNS, 3); r++) coldOne.push(run(one, join(work, `cold-one-${r}`), rss, ['--no-cache']));
  const summary = {
    detections: COUNT,
    wall_ms: Math.round(median(manyRuns.map((r) => r.wallMs))),
    peak_rss_mb: Math.round(median(manyRuns.map((r) => r.rssMb))),
    single_ms: Math.round(median(oneRuns.map((r) => r.wallMs))),
  };
  if (!JSON_OUT) {
    console.log(`detections:        ${summary.detections} (${RUNS} runs each, median; files in ${scratch})`);
    console.log(`compile all:       ${summary.wall_ms} ms wall   (goal <= 1500 ms)`);
    console.log(`peak RSS:          ${summary.peak_rss_mb} MB   (goal <= 250 MB)`);
    console.log(`single detection:  ${summary.single_ms} ms wall   (goal <= 200 ms)`);
    console.log('(warm Kusto verdict cache, as every run after the first; without it, --no-cache:)');
    console.log(`compile all, cold: ${Math.round(median(coldRuns.map((r) => r.wallMs)))} ms wall, ${Math.round(median(coldRuns.map((r) => r.rssMb)))} MB`);
    console.log(`single, cold:      ${Math.round(median(coldOne.map((r) => r.wallMs)))} ms wall`);
    const cpu = Math.round(median(manyRuns.map((r) => r.cpuMs)));
    console.log(`CPU of compile all: ${cpu} ms (user + system, all threads; ${(cpu / summary.wall_ms).toFixed(2)} cores busy on average)`);
    const floor = outputFloor(join(work, 'out-0'), join(work, 'floor'));
    console.log(
      `output floor:      ${floor.files} files, ${floor.mb.toFixed(0)} MB: writing and hashing files of the same sizes, nothing compiled, ` +
        `${Math.round(floor.wallMs)} ms wall, ${Math.round(floor.cpuMs)} ms CPU (one thread)`,
    );
  }
  console.log(JSON.stringify(summary));
} finally {
  rmSync(work, { recursive: true, force: true });
}
