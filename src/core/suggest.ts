// "Did you mean" for unknown words: the closest candidate by edit distance. A word that
// differs from a candidate only in case (or in `-` versus `_`) is always suggested, because
// that is the commonest slip (`Listen` for `listen`, `time-wait` for `time_wait`).

/** Longest word we compare; longer ones are certainly not a typo of a short keyword. */
const MAX_COMPARED_LENGTH = 64;

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), giving up
 * early once the distance must exceed `limit`. O(len(a) * len(b)) time, O(len(b)) space.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  if (rows[0]!.length < width) for (let k = 0; k < 3; k++) rows[k] = new Int32Array(width * 2);
  // Three rolling rows: i-2, i-1, i (reused across calls; this runs once per unknown word).
  let prevPrev = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j < width; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        d = Math.min(d, prevPrev[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    const t = prevPrev;
    prevPrev = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length]!;
}
const rows: Int32Array[] = [new Int32Array(0), new Int32Array(0), new Int32Array(0)];

function fold(word: string): string {
  return word.toLowerCase().replace(/-/g, '_');
}

/**
 * The candidate closest to `word`, or undefined when none is close enough. A case-only or
 * `-`/`_`-only difference wins outright; otherwise the distance (case-insensitive) must be at
 * most a third of the word's length (at least 1, at most 3).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length === 0 || word.length > MAX_COMPARED_LENGTH) return undefined;
  const folded = fold(word);
  for (const c of candidates) if (c !== word && fold(c) === folded) return c;
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(folded, fold(c), limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined && folded.length >= 3) {
    // A truncated or abbreviated word (`old-dup`, `ESTAB`, `clk`, `cnt`): the one candidate
    // that begins with it, else the one that contains its letters in order.
    const starts = candidates.filter((c) => c !== word && fold(c).startsWith(folded));
    if (starts.length === 1) best = starts[0];
    else if (starts.length === 0) {
      const abbreviates = candidates.filter(
        (c) => c !== word && fold(c).charAt(0) === folded.charAt(0) && isSubsequence(folded, fold(c)),
      );
      if (abbreviates.length === 1) best = abbreviates[0];
    }
  }
  return best;
}

function isSubsequence(short: string, long: string): boolean {
  let k = 0;
  for (let i = 0; i < long.length && k < short.length; i++) if (long[i] === short[k]) k++;
  return k === short.length;
}

/** `; did you mean `X`?` when a close candidate exists, else the empty string. */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  render: (c: string) => string = (c) => `\`${c}\``,
): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean ${render(c)}?`;
}

/**
 * Shortens every `quoted` word of a message that is longer than `max` characters, so a
 * 100 000-character typo does not make a 100 000-character diagnostic. Linear time.
 */
export function clipQuotes(message: string, max = 48): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = message.indexOf('`', i);
    if (open < 0) break;
    const close = message.indexOf('`', open + 1);
    if (close < 0) break;
    const inner = message.slice(open + 1, close);
    out += message.slice(i, open + 1) + (inner.length > max ? `${inner.slice(0, max)}…` : inner) + '`';
    i = close + 1;
  }
  return out + message.slice(i);
}
