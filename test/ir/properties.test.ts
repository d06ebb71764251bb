import { describe, expect, it } from 'vitest';
import { at, detection, lower, UUID } from '../helpers/det.js';

const COND = '  condition: proc.name == "x"';

describe('detection properties', () => {
  it('reads every metadata property', () => {
    const body = [
      COND,
      '  version: 3',
      '  author: "A", "B"',
      '  tags: ["t1", "t2"]',
      '  references: "https://example.com/a", "http://example.com/b"',
      '  false_positives: ["admins"]',
      '  response: """',
      '    Isolate the pod.',
      '    """',
    ].join('\n');
    const { diagnostics, program } = lower(detection('d', body));
    expect(diagnostics).toEqual([]);
    expect(program.detections[0]).toMatchObject({
      id: UUID,
      title: 'T',
      description: 'D',
      severity: 'low',
      version: 3,
      author: ['A', 'B'],
      tags: ['t1', 't2'],
      references: ['https://example.com/a', 'http://example.com/b'],
      falsePositives: ['admins'],
      response: 'Isolate the pod.',
      triage: '',
    });
  });

  it('accepts one string where a list of strings is expected', () => {
    const { program } = lower(detection('d', `${COND}\n  tags: "single"`));
    expect(program.detections[0]!.tags).toEqual(['single']);
  });

  it('reports an unknown property (DET2001) with a did-you-mean', () => {
    const { diagnostics, program } = lower(detection('d', `${COND}\n  titel: "x"`));
    expect(diagnostics.map(at)).toEqual(['DET2001 7:3']);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', message: 'unknown property `titel`', hint: 'did you mean `title`?' });
    expect(program.detections).toEqual([]);
  });

  it("names the member another format's name means (Falco, Sigma, Elastic, Sentinel), before any did-you-mean", () => {
    const cases: [string, string][] = [
      // edit distance alone would say `test` for `desc` and `title` for `mitre`
      ['desc: "x"', "Falco's `desc` is `description` here: `description: \"What the detection finds and why it matters.\"`"],
      ['mitre { execution: T1059 }', '`mitre` is `attack` here: `attack { execution: T1059.004 }`, one tactic and its techniques per line'],
      ['level: high', "Sigma's `level` is `severity` here: `severity: medium` (informational, low, medium, high or critical)"],
      ['name: "x"', "Elastic's and Sentinel's `name` is `title` here: `title: \"Shell spawned in a container\"`"],
      ['threat { execution: T1059 }', "Elastic's `threat` is `attack` here: `attack { execution: T1059.004 }`, one tactic and its techniques per line"],
      ['interval: 5m', "Elastic's `interval` is `schedule` here: `schedule: every 5m lookback 10m` or `schedule: realtime`"],
      // in any case
      ['QueryFrequency: 5m', "Sentinel's `QueryFrequency` is `schedule` here: `schedule: every 5m lookback 10m` or `schedule: realtime`"],
      ['Tactics: ["Execution"]', "Sentinel's `Tactics` is `attack` here: `attack { execution: T1059.004 }`, one tactic and its techniques per line"],
    ];
    for (const [member, hint] of cases) {
      const { diagnostics } = lower(detection('d', `${COND}\n  ${member}`));
      expect(diagnostics.map(at), member).toEqual(['DET2001 7:3']);
      expect(diagnostics[0], member).toMatchObject({ message: `unknown property \`${member.split(/[:{ ]/)[0]}\``, hint });
    }
  });

  it('lists the known properties when nothing is close', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  colour: "x"`));
    expect(diagnostics.map(at)).toEqual(['DET2001 7:3']);
    expect(diagnostics[0]!.hint).toContain('known properties: title, id, version');
    // the members that are not `key: value` properties too
    for (const key of ['attack', 'entities', 'condition', 'schedule', 'suppress', 'threshold', 'sequence', 'test']) expect(diagnostics[0]!.hint).toContain(key);
  });

  it('reports a property given twice (DET2002) at the second key', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  title: "again"`));
    expect(diagnostics.map(at)).toEqual(['DET2002 7:3']);
    expect(diagnostics[0]!.message).toBe('`title` is given twice (first at test.det:2:3)');
  });

  it('reports each missing required property (DET2003) at the detection name', () => {
    const { diagnostics } = lower(`detection d {\n  severity: high\n${COND}\n}\n`);
    expect(diagnostics.map(at)).toEqual(['DET2003 1:11', 'DET2003 1:11', 'DET2003 1:11']);
    expect(diagnostics.map((d) => d.message).sort()).toEqual([
      'detection `d` has no `description`',
      'detection `d` has no `id`',
      'detection `d` has no `title`',
    ]);
    expect(diagnostics.every((d) => d.hint!.startsWith('add `'))).toBe(true);
  });

  it('reports ill-typed values (DET2004) at the value', () => {
    const body = [
      COND,
      '  version: 0', // 7
      '  tags: [container, "x"]', // 8
      '  references: "not a url"', // 9
      '  triage: 42', // 10
    ].join('\n');
    const { diagnostics } = lower(detection('d', body));
    expect(diagnostics.map(at)).toEqual(['DET2004 7:12', 'DET2004 8:10', 'DET2004 9:15', 'DET2004 10:11']);
    expect(diagnostics[0]!.message).toBe('`version` must be a whole number of at least 1, not 0');
    expect(diagnostics[1]!).toMatchObject({ message: '`tags` must hold strings, not the bare word `container`', hint: 'put it in quotes: "container"' });
    expect(diagnostics[2]!.message).toBe('reference "not a url" is not an http(s) URL');
    expect(diagnostics[3]!.message).toBe('`triage` must be a string, not a number (42)');
  });

  it('rejects an empty title (DET2004)', () => {
    const { diagnostics } = lower(`detection d {\n  title: " "\n  id: "${UUID}"\n  description: "D"\n  severity: low\n${COND}\n}\n`);
    expect(diagnostics.map(at)).toEqual(['DET2004 2:10']);
    expect(diagnostics[0]!.message).toBe('`title` must not be empty');
  });

  it('reports an unknown severity (DET2005) with a did-you-mean', () => {
    const { diagnostics } = lower(`detection d {\n  title: "T"\n  id: "${UUID}"\n  description: "D"\n  severity: hgh\n${COND}\n}\n`);
    expect(diagnostics.map(at)).toEqual(['DET2005 5:13']);
    expect(diagnostics[0]).toMatchObject({ message: 'unknown severity `hgh`', hint: 'did you mean `high`?' });
  });

  it("says a Falco priority is not a severity (DET2005)", () => {
    for (const word of ['warning', 'WARNING', 'notice', 'error', 'emergency']) {
      const { diagnostics } = lower(detection('d', COND).replace('severity: low', `severity: ${word}`));
      expect(diagnostics, word).toMatchObject([
        { code: 'DET2005', message: `unknown severity \`${word}\``, hint: `\`${word}\` is a Falco priority, not a severity: use one of: informational, low, medium, high, critical` },
      ]);
    }
  });

  it('lists the severity levels when nothing is close', () => {
    const { diagnostics } = lower(`detection d {\n  title: "T"\n  id: "${UUID}"\n  description: "D"\n  severity: 5\n${COND}\n}\n`);
    expect(diagnostics.map(at)).toEqual(['DET2005 5:13']);
    expect(diagnostics[0]!.hint).toBe('use one of: informational, low, medium, high, critical');
  });

  it('says when a block is written as a property and the other way round', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  attack: T1059\n  tags {\n    a: b\n  }`));
    expect(diagnostics.map(at)).toEqual(['DET2004 7:3', 'DET2004 8:3']);
    expect(diagnostics[0]!.hint).toBe('write `attack { execution: T1059 }`');
    expect(diagnostics[1]!.message).toBe('`tags` is a `key: value` property, not a block');
  });

  it('reports an unknown block (DET2001)', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  entites {\n    host: hostname\n  }`));
    expect(diagnostics.map(at)).toEqual(['DET2001 7:3']);
    expect(diagnostics[0]!.hint).toBe('did you mean `entities`?');
  });

  it('rejects a detection name that is not file-name safe (DET2004)', () => {
    const { diagnostics } = lower(detection('proc.name', COND));
    expect(diagnostics.map(at)).toEqual(['DET2004 1:11']);
    expect(diagnostics[0]!.hint).toContain('`proc_name`');
  });

  it('rejects a detection name longer than 128 characters, which would give file names the file system refuses (DET2004)', () => {
    expect(lower(detection('d'.repeat(128), COND)).diagnostics).toEqual([]);
    const { diagnostics } = lower(detection('d'.repeat(129), COND));
    expect(diagnostics.map(at)).toEqual(['DET2004 1:11']);
    expect(diagnostics[0]!.message).toBe('detection name is 129 characters long, over 128: it becomes the name of generated files, which file systems limit to 255 bytes');
  });
});

describe('output and entities', () => {
  it('resolves output fields in order and entities in a fixed kind order', () => {
    const body = `${COND}\n  output: proc.cmdline, time\n  entities {\n    container: container.id\n    host: hostname\n  }`;
    const { diagnostics, program } = lower(detection('d', body));
    expect(diagnostics).toEqual([]);
    const d = program.detections[0]!;
    expect(d.output).toEqual([
      { name: 'proc.cmdline', type: 'string' },
      { name: 'time', type: 'timestamp' },
    ]);
    expect(Object.keys(d.entities)).toEqual(['host', 'container']);
    expect(d.entities.container).toEqual({ name: 'container.id', type: 'string' });
  });

  it('reports output problems: unknown field, quoted field, field listed twice', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  output: proc.cmdlin, "time", hostname, hostname`));
    expect(diagnostics.map(at)).toEqual(['DET3003 7:11', 'DET2004 7:24', 'DET2004 7:42']);
    expect(diagnostics[0]!.hint).toBe('did you mean `proc.cmdline`?');
    expect(diagnostics[1]!.hint).toBe('write the field name without quotes: time');
    expect(diagnostics[2]!.message).toBe('field `hostname` is listed twice in `output`');
  });

  it('reports entity problems: unknown kind, mapped twice, not a field name', () => {
    const body = `${COND}\n  entities {\n    hots: hostname\n    host: hostname\n    host: container.id\n    process: "proc.name"\n  }`;
    const { diagnostics } = lower(detection('d', body));
    expect(diagnostics.map(at)).toEqual(['DET2001 8:5', 'DET2002 10:5', 'DET2004 11:14']);
    expect(diagnostics[0]!.hint).toBe('did you mean `host`?');
  });
});
