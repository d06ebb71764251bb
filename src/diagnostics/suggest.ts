/**
 * "Did you mean …?" suggestions for misspelt names (fields, properties, macros, lists,
 * tactics). Plain Levenshtein distance; deterministic (ties go to the alphabetically first).
 */

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let curr = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo: distance at most
 * max(2, ⌊len/3⌋) and less than the longer length, compared case-insensitively. `undefined` when nothing is close.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...new Set(candidates)].sort()) {
    if (c === word) continue;
    // The distance is at least the difference in length: skip what cannot be close enough
    // (this keeps a megabyte-long misspelling from costing seconds).
    if (Math.abs(w.length - c.length) > limit) continue;
    const d = levenshtein(w, c.toLowerCase());
    // Never suggest a word that shares nothing with the input (`nc` → `sh`).
    if (d <= limit && d < Math.max(w.length, c.length) && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` Did you mean "x"?`-style hint text, or `fallback` when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, fallback: string): string {
  const s = suggest(word, candidates);
  return s === undefined ? fallback : `did you mean \`${s}\`?`;
}
