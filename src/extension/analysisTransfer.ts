// Moving an `Analysis` from the analysis worker to the extension host without blocking it.
//
// An `Analysis` is plain data, so `postMessage`'s structured clone could carry it whole, but
// for a 1 MB file it is megabytes of clone data (every statement with its ranges, one
// expectation record per `expect` line) and deserialising it in one piece blocks the receiving
// thread far beyond the 50 ms goal ("one-piece clone" in docs/performance.md): the very block
// the worker exists to avoid. So the worker sends it in
// pieces and the host asks for each next piece only after it has handled the last one, which
// leaves the event loop free between pieces:
//   - a head: the analysis with every long array carved out (left empty) and a list of the
//     holes (where each array goes, how long it is);
//   - the items of each hole, `CHUNK_ITEMS` at a time;
//   - lists of the scenario that hold the very objects of `scenario.statements` (`events`,
//     `endpoints`, ...) travel as indices into it, so they stay shared, as `parse` made them,
//     instead of being sent (and kept in memory) twice.
// Pure data in, pure data out: no worker, no `vscode`, so it is tested and benched directly.

import type { Analysis } from '../core/index';

/** Items per piece: about 200 KB of clone data for statements, a few ms to deserialise. */
export const CHUNK_ITEMS = 400;
/** Arrays up to this long stay in the head. */
const SMALL_ARRAY = 64;
/** How deep into the analysis arrays are looked for (analysis > runs > trace > field). */
const MAX_DEPTH = 4;
/** Lists of the scenario whose items are also statements (same objects). */
const SHARED_LISTS = ['settings', 'endpoints', 'links', 'variants', 'events'] as const;

export type PathKey = string | number;

export interface Hole {
  path: PathKey[];
  length: number;
}

export interface SharedRef {
  /** The scenario field (one of SHARED_LISTS). */
  key: string;
  /** Index into scenario.statements of each item. */
  indices: Int32Array;
}

export interface TransferHead {
  skeleton: unknown;
  holes: Hole[];
  refs: SharedRef[];
  /** How many pieces follow the head. */
  pieces: number;
}

export interface TransferPiece {
  hole: number;
  items: unknown[];
}

/** The sending side: splits one analysis into a head and pieces. */
export class AnalysisSender {
  readonly head: TransferHead;
  private readonly arrays: unknown[][] = [];
  private hole = 0;
  private offset = 0;

  constructor(analysis: Analysis) {
    const scenario: Record<string, unknown> = { ...analysis.scenario };
    const statements = analysis.scenario.statements;
    const indexOf = new Map<unknown, number>();
    statements.forEach((s, i) => indexOf.set(s, i));
    const refs: SharedRef[] = [];
    for (const key of SHARED_LISTS) {
      const list = scenario[key];
      if (!Array.isArray(list) || list.length <= SMALL_ARRAY) continue;
      const indices = new Int32Array(list.length);
      let all = true;
      for (let i = 0; i < list.length && all; i++) {
        const at = indexOf.get(list[i]);
        if (at === undefined) all = false;
        else indices[i] = at;
      }
      if (!all) continue;
      refs.push({ key, indices });
      scenario[key] = [];
    }
    const holes: Hole[] = [];
    const skeleton = this.carve({ ...analysis, scenario }, [], holes, 0);
    let pieces = 0;
    for (const h of holes) pieces += Math.ceil(h.length / CHUNK_ITEMS);
    this.head = { skeleton, holes, refs, pieces };
  }

  /** The next piece, or undefined when all were sent. */
  next(): TransferPiece | undefined {
    while (this.hole < this.arrays.length && this.offset >= this.arrays[this.hole].length) {
      this.hole++;
      this.offset = 0;
    }
    if (this.hole >= this.arrays.length) return undefined;
    const items = this.arrays[this.hole].slice(this.offset, this.offset + CHUNK_ITEMS);
    this.offset += CHUNK_ITEMS;
    return { hole: this.hole, items };
  }

  /** A copy of `value` down to MAX_DEPTH with every long array replaced by [] (and noted). */
  private carve(value: unknown, path: PathKey[], holes: Hole[], depth: number): unknown {
    if (Array.isArray(value)) {
      if (value.length > SMALL_ARRAY) {
        holes.push({ path, length: value.length });
        this.arrays.push(value);
        return [];
      }
      return depth < MAX_DEPTH ? value.map((v, i) => this.carve(v, [...path, i], holes, depth + 1)) : value;
    }
    if (depth < MAX_DEPTH && value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.carve(v, [...path, k], holes, depth + 1);
      return out;
    }
    return value;
  }
}

/** The receiving side: fills the head's holes piece by piece, then gives the analysis. */
export class AnalysisReceiver {
  private readonly root: Record<string, unknown>;
  private readonly targets: unknown[][] = [];
  private received = 0;

  constructor(private readonly head: TransferHead) {
    this.root = head.skeleton as Record<string, unknown>;
    for (const h of head.holes) {
      const arr: unknown[] = [];
      setAt(this.root, h.path, arr);
      this.targets.push(arr);
    }
  }

  get done(): boolean {
    return this.received >= this.head.pieces;
  }

  add(piece: TransferPiece): void {
    const target = this.targets[piece.hole];
    if (!target) throw new Error(`analysis transfer: no hole ${piece.hole}`);
    for (const item of piece.items) target.push(item);
    this.received++;
  }

  /** The whole analysis; only once every piece has arrived. */
  result(): Analysis {
    if (!this.done) throw new Error('analysis transfer: pieces missing');
    const scenario = this.root.scenario as Record<string, unknown>;
    const statements = scenario.statements as unknown[];
    for (const ref of this.head.refs) scenario[ref.key] = Array.from(ref.indices, (i) => statements[i]);
    return this.root as unknown as Analysis;
  }
}

function setAt(root: Record<string, unknown>, path: readonly PathKey[], value: unknown): void {
  let at: Record<PathKey, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) at = at[path[i]] as Record<PathKey, unknown>;
  at[path[path.length - 1]] = value;
}
