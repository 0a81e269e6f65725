// Model against kernel: two traces of one scenario aligned aspect by aspect (segments, each
// connection's states, errors), each with a verdict: `same`, `timing only` (same structure, some
// time off by more than the tolerance), or `differs` (with the first difference). Pure: no I/O,
// no clock, so every rule here is unit-tested (test/unit/verifyCompare.test.ts).
//
// What is compared, and why:
// - Sequence numbers relative to each side's ISN (the kernel's ISNs are random): a SYN from A to
//   B sets A's base towards B; seq is taken from the sender's base, ack from the receiver's.
//   Where the scenario writes ISNs, the kernel's trace is already in the model's numbers (the
//   wire rewrites them, isn.ts), and relative numbers still compare the same way.
// - PSH is shown but not compared: Linux sets it per GSO burst (every second full segment),
//   which tells nothing about TCP's state.
// - States shorter than 1 ms are dropped from both sides: the model passes through some states
//   in 0 ms, and the kernel passes through FIN_WAIT_2 inside one segment's processing.
// - TIME_WAIT's end is never a difference of timing ("known": Linux holds it TCP_TIMEWAIT_LEN,
//   60 s); a kernel run that stopped while TIME_WAIT was still held counts as reaching CLOSED.
// - Nor is the end of an orphaned FIN_WAIT_2 by `fin_timeout`: Linux holds it in the same
//   timewait socket (tcp_close -> tcp_time_wait(sk, TCP_FIN_WAIT2, tmo), inet_twsk_schedule),
//   whose 60 s timer lands on a 512-jiffy (2.048 s at HZ=250) granule of the timer wheel
//   (calc_wheel_index), so its end falls anywhere in about 2 s with the jiffies' phase: no model
//   can place it within the tolerance.

import type { Trace, TraceEndpoint, TraceError, TraceSegment, TraceTransition } from '../core/trace';
import { formatDuration } from '../core/duration';

export const DEFAULT_TOLERANCE_MS = 20;
/** States held less than this are not compared. */
const FLEETING_MS = 1;

export type Verdict = 'same' | 'timing only' | 'differs';
export type RowMark = 'same' | 'timing' | 'known' | 'model only' | 'kernel only' | 'differs';

export interface AspectResult {
  verdict: Verdict;
  /** The first structural difference, or (for `timing only`) the first time difference. */
  first: string | null;
  /** The largest time difference among aligned rows (TIME_WAIT's end aside), ms. */
  worstMs: number;
}

export interface SegmentView {
  n: number;
  from: string;
  to: string;
  /** The 4-tuple's direction (address:port > address:port): what is compared, since two traces
   * may name a segment of an earlier incarnation after different incarnations. */
  path: string;
  flags: string[];
  relSeq: number;
  relAck: number | null;
  len: number;
  fate: string;
  sentAt: number;
}

export interface SegmentRow {
  model: SegmentView | null;
  kernel: SegmentView | null;
  mark: RowMark;
}

export interface StateEntry {
  state: string;
  at: number;
  /** What caused the move into this state (TraceTransition.cause); absent for a chain's first state. */
  cause?: string;
}

export interface ChainRow {
  endpoint: string;
  /** 1-based position of the connection among the endpoint's TCBs (listener included). */
  index: number;
  model: StateEntry[] | null;
  kernel: StateEntry[] | null;
  mark: RowMark;
  /** Where the chains part, when they do. */
  note: string;
}

export interface ErrorRow {
  model: TraceError | null;
  kernel: TraceError | null;
  mark: RowMark;
}

export interface Comparison {
  segments: { rows: SegmentRow[]; result: AspectResult };
  states: { rows: ChainRow[]; result: AspectResult };
  errors: { rows: ErrorRow[]; result: AspectResult };
  /** True when no aspect `differs`. */
  sameStructure: boolean;
  /** True when, in addition, every aligned time is within the tolerance. */
  withinTolerance: boolean;
  toleranceMs: number;
}

export interface CompareOptions {
  toleranceMs?: number;
  /** The kernel run stopped while TIME_WAIT was still held (see the file comment). */
  kernelCutInTimeWait?: boolean;
}

/**
 * Sequence numbers relative to the ISNs of the segment's two sides, as seen in one trace. The
 * ISNs are kept per address:port pair (a 4-tuple's direction), not per endpoint name: a segment
 * of an earlier incarnation that reaches a later one (the old duplicate of the TIME_WAIT
 * stories) is numbered from the ISN of the connection that sent it.
 */
export function relativeNumbers(
  segments: readonly TraceSegment[],
  endpoints: readonly TraceEndpoint[] = [],
): SegmentView[] {
  const where = new Map(endpoints.map((e) => [e.name, `${e.address}:${e.port}`]));
  const at = (name: string) => where.get(name) ?? name;
  const base = new Map<string, number>();
  const out: SegmentView[] = [];
  for (const s of segments) {
    const dir = `${at(s.from)}\u0000${at(s.to)}`;
    const back = `${at(s.to)}\u0000${at(s.from)}`;
    // An original SYN (not a duplicate or an injected one) starts a new incarnation's numbering.
    if (s.flags.includes('SYN') && !s.injected && s.fate !== 'duplicate') base.set(dir, s.seq);
    const sb = base.get(dir);
    const ab = base.get(back);
    out.push({
      n: s.n,
      from: s.from,
      to: s.to,
      path: `${at(s.from)}>${at(s.to)}`,
      flags: s.flags,
      relSeq: sb === undefined ? s.seq : (s.seq - sb) >>> 0,
      relAck: s.ack === null ? null : ab === undefined ? s.ack : (s.ack - ab) >>> 0,
      len: s.len,
      fate: s.fate,
      sentAt: s.sentAt,
    });
  }
  return out;
}

function segmentKey(s: SegmentView): string {
  return [s.path, s.flags.filter((f) => f !== 'PSH').join(','), s.relSeq, s.relAck ?? '-', s.len, s.fate].join('|');
}

/** Longest common subsequence alignment of two lists by key: pairs in order, unmatched on either side. */
export function align<A, B>(
  a: readonly A[],
  b: readonly B[],
  keyA: (x: A) => string,
  keyB: (x: B) => string,
): [A | null, B | null][] {
  const n = a.length;
  const m = b.length;
  const ka = a.map(keyA);
  const kb = b.map(keyB);
  // lcs[i][j]: LCS length of a[i..] and b[j..]
  const lcs: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) lcs.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = ka[i] === kb[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: [A | null, B | null][] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[i] === kb[j]) out.push([a[i++], b[j++]]);
    else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) out.push([a[i++], null]);
    else out.push([null, b[j++]]);
  }
  return out;
}

export function describeSegment(s: SegmentView): string {
  const ack = s.relAck === null ? '-' : String(s.relAck);
  const fate = s.fate === 'delivered' ? '' : ` ${s.fate}`;
  return `#${s.n} ${s.from}->${s.to} ${s.flags.join(',')} ${s.relSeq}/${ack} len ${s.len}${fate} at ${fmtMs(s.sentAt)}`;
}

/** A model or kernel time in the one style (`20ms`, `1.5s`), to 0.1 ms (the kernel's clock jitters below it). */
export function fmtMs(t: number): string {
  return formatDuration(Math.round(t * 10) / 10);
}

function compareSegments(model: Trace, kernel: Trace, tol: number): { rows: SegmentRow[]; result: AspectResult } {
  const pairs = align(
    relativeNumbers(model.segments, model.endpoints),
    relativeNumbers(kernel.segments, kernel.endpoints),
    segmentKey,
    segmentKey,
  );
  pairReordered(pairs, tol);
  const rows: SegmentRow[] = [];
  let first: string | null = null;
  let firstTiming: string | null = null;
  let worst = 0;
  for (const [m, k] of pairs) {
    if (m && k) {
      const dt = Math.abs(m.sentAt - k.sentAt);
      worst = Math.max(worst, dt);
      const late = dt > tol;
      if (late && !firstTiming) firstTiming = `${describeSegment(m)}: the kernel sent it at ${fmtMs(k.sentAt)}`;
      rows.push({ model: m, kernel: k, mark: late ? 'timing' : 'same' });
    } else if (m) {
      first ??= `model only: ${describeSegment(m)}`;
      rows.push({ model: m, kernel: null, mark: 'model only' });
    } else if (k) {
      first ??= `kernel only: ${describeSegment(k)}`;
      rows.push({ model: null, kernel: k, mark: 'kernel only' });
    }
  }
  return { rows, result: verdictOf(first, firstTiming, worst) };
}

/**
 * Segments of different connections sent within the tolerance of each other are independent:
 * two namespaces' kernels may hand them to the wire in either order (two clients connecting at
 * 0 ms). A model-only segment and a kernel-only one with the same key and 4-tuple direction,
 * within the tolerance, are one segment: paired at the model's place, in place (`pairs` is changed).
 */
function pairReordered(pairs: [SegmentView | null, SegmentView | null][], tol: number): void {
  for (let i = 0; i < pairs.length; i++) {
    const m = pairs[i][0];
    if (!m || pairs[i][1]) continue;
    const key = segmentKey(m);
    const j = pairs.findIndex(
      ([mm, k]) => !mm && k !== null && segmentKey(k) === key && Math.abs(k.sentAt - m.sentAt) <= tol,
    );
    if (j < 0) continue;
    pairs[i] = [m, pairs[j][1]];
    pairs.splice(j, 1);
    if (j < i) i--;
  }
}

function verdictOf(first: string | null, firstTiming: string | null, worst: number): AspectResult {
  if (first) return { verdict: 'differs', first, worstMs: worst };
  if (firstTiming) return { verdict: 'timing only', first: firstTiming, worstMs: worst };
  return { verdict: 'same', first: null, worstMs: worst };
}

/** Each TCB's states in order (the state it started from, then every state entered), per endpoint. */
export function stateChains(transitions: readonly TraceTransition[], endedAt: number): Map<string, StateEntry[][]> {
  const byTcb = new Map<number, { endpoint: string; entries: StateEntry[] }>();
  for (const tr of transitions) {
    let c = byTcb.get(tr.tcb);
    if (!c) {
      c = { endpoint: tr.endpoint, entries: [{ state: tr.from, at: tr.t }] };
      byTcb.set(tr.tcb, c);
    }
    c.entries.push({ state: tr.to, at: tr.t, cause: tr.cause });
  }
  const out = new Map<string, StateEntry[][]>();
  for (const { endpoint, entries } of byTcb.values()) {
    const kept = entries.filter((e, i) => {
      const until = i + 1 < entries.length ? entries[i + 1].at : endedAt;
      return i === entries.length - 1 || until - e.at >= FLEETING_MS;
    });
    const merged: StateEntry[] = [];
    for (const e of kept) if (merged.length === 0 || merged[merged.length - 1].state !== e.state) merged.push(e);
    if (!out.has(endpoint)) out.set(endpoint, []);
    out.get(endpoint)!.push(merged);
  }
  return out;
}

function chainText(c: readonly StateEntry[]): string {
  return c.map((e) => e.state).join(' > ');
}

function compareStates(
  model: Trace,
  kernel: Trace,
  tol: number,
  cutInTimeWait: boolean,
): { rows: ChainRow[]; result: AspectResult } {
  const mc = stateChains(model.transitions, model.endedAt);
  const kc = stateChains(kernel.transitions, kernel.endedAt);
  const endpoints = [...new Set([...model.endpoints.map((e) => e.name), ...mc.keys(), ...kc.keys()])];
  const rows: ChainRow[] = [];
  let first: string | null = null;
  let firstTiming: string | null = null;
  let worst = 0;
  for (const ep of endpoints) {
    const ms = mc.get(ep) ?? [];
    const ks = kc.get(ep) ?? [];
    for (let i = 0; i < Math.max(ms.length, ks.length); i++) {
      const m = ms[i] ?? null;
      const k = ks[i] ?? null;
      const row: ChainRow = { endpoint: ep, index: i + 1, model: m, kernel: k, mark: 'same', note: '' };
      rows.push(row);
      if (!m || !k) {
        row.mark = m ? 'model only' : 'kernel only';
        row.note = `${ep} connection ${i + 1}: ${chainText((m ?? k)!)} only in the ${m ? 'model' : 'kernel'}`;
        first ??= row.note;
        continue;
      }
      // A kernel run stopped during TIME_WAIT has not seen its end: the model's CLOSED after
      // TIME_WAIT is then what Linux would reach after TCP_TIMEWAIT_LEN.
      const kk =
        cutInTimeWait &&
        k.length === m.length - 1 &&
        k[k.length - 1]?.state === 'TIME_WAIT' &&
        m[m.length - 1].state === 'CLOSED'
          ? [...k, { state: 'CLOSED', at: m[m.length - 1].at }]
          : k;
      const sameStates = kk.length === m.length && kk.every((e, j) => e.state === m[j].state);
      if (!sameStates) {
        const j = m.findIndex((e, x) => kk[x]?.state !== e.state);
        const at = j < 0 ? m.length : j;
        row.mark = 'differs';
        row.note = `${ep} connection ${i + 1}: model ${chainText(m)}; kernel ${chainText(k)} (first apart at ${
          m[at]?.state ?? 'end'
        } / ${kk[at]?.state ?? 'end'})`;
        first ??= row.note;
        continue;
      }
      let mark: RowMark = 'same';
      for (let j = 0; j < m.length; j++) {
        const afterTimeWait = j > 0 && m[j - 1].state === 'TIME_WAIT' && m[j].state === 'CLOSED';
        const afterFinTimeout =
          j > 0 && m[j - 1].state === 'FIN_WAIT_2' && m[j].state === 'CLOSED' && m[j].cause === 'fin_timeout';
        if (afterTimeWait || afterFinTimeout) {
          if (kk[j].at !== m[j].at && mark === 'same') mark = 'known';
          continue;
        }
        const dt = Math.abs(kk[j].at - m[j].at);
        worst = Math.max(worst, dt);
        if (dt > tol) {
          mark = 'timing';
          firstTiming ??= `${ep} connection ${i + 1} entered ${m[j].state} at ${fmtMs(m[j].at)} in the model, ${fmtMs(kk[j].at)} in the kernel`;
        }
      }
      row.mark = mark;
    }
  }
  return { rows, result: verdictOf(first, firstTiming, worst) };
}

function compareErrors(model: Trace, kernel: Trace, tol: number): { rows: ErrorRow[]; result: AspectResult } {
  const key = (e: TraceError) => `${e.endpoint}|${e.code}`;
  const pairs = align(model.errors, kernel.errors, key, key);
  const rows: ErrorRow[] = [];
  let first: string | null = null;
  let firstTiming: string | null = null;
  let worst = 0;
  for (const [m, k] of pairs) {
    if (m && k) {
      const dt = Math.abs(m.t - k.t);
      worst = Math.max(worst, dt);
      if (dt > tol)
        firstTiming ??= `${m.endpoint} ${m.code} at ${fmtMs(m.t)} in the model, ${fmtMs(k.t)} in the kernel`;
      rows.push({ model: m, kernel: k, mark: dt > tol ? 'timing' : 'same' });
    } else {
      const e = (m ?? k)!;
      first ??= `${m ? 'model' : 'kernel'} only: ${e.endpoint} ${e.call} ${e.code} at ${fmtMs(e.t)}`;
      rows.push({ model: m, kernel: k, mark: m ? 'model only' : 'kernel only' });
    }
  }
  return { rows, result: verdictOf(first, firstTiming, worst) };
}

export function compareTraces(model: Trace, kernel: Trace, options: CompareOptions = {}): Comparison {
  const tol = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const segments = compareSegments(model, kernel, tol);
  const states = compareStates(model, kernel, tol, options.kernelCutInTimeWait ?? false);
  const errors = compareErrors(model, kernel, tol);
  const results = [segments.result, states.result, errors.result];
  const sameStructure = results.every((r) => r.verdict !== 'differs');
  return {
    segments,
    states,
    errors,
    sameStructure,
    withinTolerance: sameStructure && results.every((r) => r.verdict === 'same'),
    toleranceMs: tol,
  };
}
