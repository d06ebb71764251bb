/**
 * The `falcosidekick-flat` Elastic profile: Falcosidekick's `flattenfields` document paths, and
 * its index template's text mappings of number fields. Cross-checked against the template in
 * shared/reference/elastic/ when that folder is present.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinSource, parseSource } from '../../src/source/load.js';
import { sharedReference } from '../helpers/shared.js';

const { path: TEMPLATE, present } = sharedReference('reference/elastic/falcosidekick-es-index-template.json.tmpl', 'falcosidekick-flat against the index template');

const flat = () => builtinSource().elastic.profiles['falcosidekick-flat']!;

describe('Elastic profile falcosidekick-flat', () => {
  it('puts output fields at their key with every dot made `_`, alert keys as is', () => {
    const p = flat();
    expect(p.fields['proc.cmdline']).toEqual({ path: 'output_fields.proc_cmdline', type: 'text', keyword: 'keyword' });
    expect(p.fields['container.image.repository']?.path).toBe('output_fields.container_image_repository');
    expect(p.fields['proc.aname[2]']?.path).toBe('output_fields.proc_aname[2]');
    expect(p.fields['rule']).toEqual({ path: 'rule', type: 'text', keyword: 'keyword' });
    expect(p.fields['cluster']?.path).toBe('output_fields.cluster');
    expect(p.fields['time']).toEqual({ path: 'time', type: 'date' });
  });

  it('maps the number fields its template lists as text with the keyword, others by their type', () => {
    const p = flat();
    expect(p.fields['fd.rport']).toEqual({ path: 'output_fields.fd_rport', type: 'text', keyword: 'keyword' });
    expect(p.fields['proc.pid']).toEqual({ path: 'output_fields.proc_pid', type: 'long' });
  });

  it('refuses a textFields entry that names no declared field, with a suggestion', () => {
    const text = readFileSync(new URL('../../src/source/falco.source.yaml', import.meta.url), 'utf8').replace(
      'textFields: [fd.lport,',
      'textFields: [fd.lportt,',
    );
    const { diagnostics } = parseSource(text, 'falco.source.yaml');
    expect(diagnostics.map((d) => d.message)).toEqual(['unknown field "fd.lportt"']);
    expect(diagnostics[0]!.hint).toBe('did you mean "fd.lport"?');
  });
});

describe('falcosidekick-flat against shared/reference/elastic/', () => {
  if (!present) {
    it.skip(`skipped: ${TEMPLATE} is absent`, () => {});
    return;
  }

  it('maps every declared output field the template lists as the template does (text + keyword)', () => {
    const raw = readFileSync(TEMPLATE, 'utf8').replace(/\$\{[A-Z]+\}/g, '1');
    const template = JSON.parse(raw) as {
      template: { mappings: { properties: { output_fields: { properties: Record<string, { type: string; fields?: { keyword?: { type: string } } }> } } } };
    };
    const listed = template.template.mappings.properties.output_fields.properties;
    const p = flat();
    let checked = 0;
    for (const f of builtinSource().fields) {
      if (f.location.in !== 'output_fields') continue;
      const key = f.location.key.replaceAll('.', '_');
      const t = listed[key];
      if (t === undefined) continue;
      checked++;
      expect(t.type, key).toBe('text');
      expect(t.fields?.keyword?.type, key).toBe('keyword');
      expect(p.fields[f.name], f.name).toEqual({ path: `output_fields.${key}`, type: 'text', keyword: 'keyword' });
    }
    expect(checked).toBeGreaterThan(30);
  });
});
