import { describe, expect, it } from 'vitest';
import { selectTargets } from '../../src/backends/index.js';
import { compileSentinel } from '../../src/backends/sentinel/index.js';
import { isKustoLoaded } from '../../src/kusto/library.js';
import { builtinSource } from '../../src/source/load.js';

describe('loading Kusto.Language', () => {
  it('happens only when a KQL target runs, not when the registry or the CLI is imported', async () => {
    await import('../../src/cli/main.js');
    selectTargets('all');
    expect(isKustoLoaded()).toBe(false);
    compileSentinel({ irVersion: 1, source: 'falco', detections: [] }, builtinSource(), { analyse: false });
    expect(isKustoLoaded()).toBe(false);
    compileSentinel({ irVersion: 1, source: 'falco', detections: [] }, builtinSource());
    expect(isKustoLoaded()).toBe(true);
  });
});
