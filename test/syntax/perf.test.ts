import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/syntax/parse.js';

function detection(i: number): string {
  const event = JSON.stringify({
    rule: 'Terminal shell in container',
    priority: 'Warning',
    hostname: 'node-1',
    tags: ['container', 'shell'],
    output_fields: { 'proc.cmdline': `bash -c ${i}`, 'proc.name': 'bash', 'container.id': 'abc123', 'user.uid': 0 },
  });
  return [
    `# detection number ${i}`,
    `detection perf_${i} {`,
    `  title: "Perf detection ${i}"`,
    `  id: "00000000-0000-4000-8000-${String(i).padStart(12, '0')}"`,
    `  version: ${1 + (i % 3)}`,
    '  severity: high',
    '  description: "A generated detection."',
    '  tags: ["perf", "container"]',
    '  attack {',
    '    execution: T1059.004',
    '  }',
    '  condition:',
    '    rule == "Terminal shell in container"',
    `    and (proc.name in ["bash", "sh"] or proc.cmdline contains "x${i}" nocase)`,
    '    and not user.uid >= 1000',
    '  schedule: every 5m lookback 10m',
    '  suppress: by container.id for 1h',
    '  output: time, cluster, container.name, proc.cmdline',
    '  entities {',
    '    host: hostname',
    '    process: proc.cmdline',
    '  }',
    `  test "fires" matches ${event}`,
    `  test "does not fire" does not match [${event}]`,
    '}',
    '',
  ].join('\n');
}

describe('performance', () => {
  it('parses 10,000 detections (100 files of 100) in well under a few seconds', () => {
    const files: string[] = [];
    for (let f = 0; f < 100; f++) {
      const parts: string[] = [];
      for (let i = f * 100; i < (f + 1) * 100; i++) parts.push(detection(i));
      files.push(parts.join('\n'));
    }
    const started = performance.now();
    let blocks = 0;
    for (const [i, text] of files.entries()) {
      const { ast, diagnostics } = parseFile(text, `perf_${i}.det`);
      expect(diagnostics).toEqual([]);
      blocks += ast.blocks.length;
    }
    const ms = performance.now() - started;
    expect(blocks).toBe(10_000);
    // Typically well under a second; the bound is loose so a busy machine does not fail it,
    // but a super-linear slowdown does.
    expect(ms).toBeLessThan(5000);
  });
});
