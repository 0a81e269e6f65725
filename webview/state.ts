// Everything the page knows, in one object: what it saves with vscode.setState (tab, variant,
// zoom of each diagram), the document the extension last described, and the editor's cursor
// line. The page's parts read it; only the message handlers in main.ts change it, through the
// methods below, and a switch to another document resets it in one place (openDocument).

import type { Trace } from '../src/core/trace';
import {
  decodeLadderTrace,
  decodeSegmentRows,
  decodeTraceEvents,
  type TraceEvents,
  isWebviewState,
  type ProblemRow,
  type SegmentRow,
  type SourceInfo,
  type TabKind,
  type ToWebview,
  type Transform,
  type VariantView,
  type ViewKind,
  type WebviewState,
} from '../src/protocol';

export type UpdateMessage = Extract<ToWebview, { type: 'update' }>;
export type WindowMessage = Extract<ToWebview, { type: 'window' }>;

/** A variant's segment rows, and the line that caused each segment, decoded once. */
export interface DecodedRows {
  rows: SegmentRow[];
  causeLines: Map<number, number | null>;
}

export const paneKey = (view: ViewKind, variant: string): string => `${view}:${variant}`;

export class PreviewState {
  /** What survives a reload (vscode.setState). */
  readonly saved: WebviewState;
  /** The URI of the document shown, or null before the extension's first update. */
  documentUri: string | null = null;
  /** The document the extension last described, or null before its first update. */
  source: SourceInfo | null = null;
  /** The last good variants (an update whose text does not run keeps them). */
  variants: VariantView[] = [];
  /** The text's diagnostics, from the last update. */
  problems: ProblemRow[] = [];
  /** The scenario's title (from the last update that ran). */
  title = '';
  /** The editor's cursor line, whose segments are highlighted (null: none). */
  highlightLine: number | null = null;

  /** A variant's rows, decoded from its segmentRows text the first time they are needed. */
  private readonly decoded = new WeakMap<VariantView, DecodedRows>();
  /** A variant's whole trace, decoded from its two texts the first time the Ladder needs it. */
  private readonly traces = new WeakMap<VariantView, Trace | null>();
  /** A variant's trace without its segments, decoded the first time the Timeline or the Ladder needs it. */
  private readonly events = new WeakMap<VariantView, TraceEvents | null>();
  /**
   * Each variant's last decoded traceEvents, by label: an update whose text for it is the same
   * (a change that moved no state, error or hazard) hands back the same object, so what was laid
   * out from it (the Timeline's chart, kept by that object) is not laid out again.
   */
  private lastEvents = new Map<string, { text: string; events: TraceEvents | null }>();

  constructor(
    restored: unknown,
    private readonly persist: (s: WebviewState) => void,
  ) {
    this.saved = isWebviewState(restored)
      ? restored
      : { uri: '', locked: false, tab: 'sequence', variant: null, transforms: {} };
  }

  /**
   * The document the page's messages are about: the one shown, or before the first update the
   * one the page showed before a reload (the extension drops what is not about its document).
   */
  get uri(): string {
    return this.documentUri ?? this.saved.uri;
  }

  /** Whether a message about `uri` is about the document shown (what is not, the page drops). */
  shows(uri: string): boolean {
    return this.documentUri === uri;
  }

  save(): void {
    this.persist(this.saved);
  }

  /** Whether there are diagrams to show (the document has run at least once). */
  get haveData(): boolean {
    return this.variants.length > 0;
  }

  /**
   * Takes in an update; returns true when it is about another document than the one shown, whose
   * diagrams then start from scratch, not from the old one's (nor at its zoom).
   */
  acceptUpdate(m: UpdateMessage): boolean {
    const another = this.documentUri !== null && this.documentUri !== m.uri;
    if (another) this.openDocument();
    this.documentUri = m.uri;
    this.source = m.source;
    this.problems = m.problems;
    this.saved.uri = m.uri;
    this.saved.locked = m.source.locked;
    if (m.runnable) {
      this.variants = m.variants;
      this.title = m.title;
      if (this.saved.variant !== null && !this.variants.some((v) => v.label === this.saved.variant))
        this.saved.variant = this.variants[0]?.label ?? null;
    }
    this.save();
    return another;
  }

  /** The one place the page forgets a document: its variants, variant choice and zooms. */
  private openDocument(): void {
    this.variants = [];
    this.lastEvents = new Map();
    this.saved.transforms = {};
    this.saved.variant = null;
  }

  /**
   * Takes in another window of a variant's trace; false when it is not shown any more (nor its
   * document: a window asked for before a switch must not replace the new document's diagram).
   */
  acceptWindow(m: WindowMessage): boolean {
    if (!this.shows(m.uri)) return false;
    const i = this.variants.findIndex((v) => v.label === m.variant);
    if (i < 0) return false;
    this.variants[i] = { ...this.variants[i], sequence: m.sequence, segmentRows: m.segmentRows };
    return true;
  }

  setLocked(locked: boolean): void {
    this.saved.locked = locked;
    if (this.source) this.source = { ...this.source, locked };
    this.save();
  }

  setTab(tab: TabKind): void {
    this.saved.tab = tab;
    this.save();
  }

  setVariant(label: string): void {
    this.saved.variant = label;
    this.save();
  }

  transformOf(key: string): Transform | undefined {
    return this.saved.transforms[key];
  }

  setTransform(key: string, t: Transform): void {
    this.saved.transforms[key] = t;
    this.save();
  }

  /** The Mermaid diagram tab shown, or null on the Trace and Ladder tabs. */
  activeView(): ViewKind | null {
    const tab = this.saved.tab;
    return tab === 'sequence' || tab === 'timeline' ? tab : null;
  }

  variantByLabel(label: string | null): VariantView | undefined {
    return this.variants.find((v) => v.label === label) ?? this.variants[0];
  }

  /** The variant picked in the dropdown (the first when none is). */
  selectedVariant(): VariantView | undefined {
    return this.variantByLabel(this.saved.variant);
  }

  rowsOf(v: VariantView): DecodedRows {
    let d = this.decoded.get(v);
    if (!d) {
      const rows = decodeSegmentRows(v.segmentRows);
      if (!rows)
        console.warn(
          `tcpscn: the segment rows of "${v.label}" are malformed; the Trace tab and click-to-source are off for them`,
        );
      d = { rows: rows ?? [], causeLines: new Map((rows ?? []).map((s) => [s.n, s.causeLine])) };
      this.decoded.set(v, d);
    }
    return d;
  }

  /**
   * What the Timeline lays out at the width it has (src/protocol/ladder.ts): the variant's trace
   * without its segments, decoded once per update and not again while its text stays the same;
   * null (and a warning) when its text is malformed.
   */
  timelineTraceOf(v: VariantView): TraceEvents | null {
    let e = this.events.get(v);
    if (e === undefined) {
      const last = this.lastEvents.get(v.label);
      if (last?.text === v.traceEvents) e = last.events;
      else {
        e = decodeTraceEvents(v.traceEvents);
        if (e === null)
          console.warn(`tcpscn: the trace of "${v.label}" is malformed; its Ladder and Timeline are not drawn`);
      }
      this.events.set(v, e);
      this.lastEvents.set(v.label, { text: v.traceEvents, events: e });
    }
    return e;
  }

  /**
   * The whole trace the Ladder lays out at the width it has, segments included, decoded once per
   * update; null (and a warning) when its text is malformed.
   */
  traceOf(v: VariantView): Trace | null {
    let t = this.traces.get(v);
    if (t === undefined) {
      const events = this.timelineTraceOf(v);
      t = events === null ? null : decodeLadderTrace(v, events);
      if (t === null && events !== null)
        console.warn(`tcpscn: the segments of "${v.label}" are malformed; its Ladder is not drawn`);
      this.traces.set(v, t);
    }
    return t;
  }

  /** The line that caused segment `segment` of `variant`, or null. */
  causeLineOf(variant: string, segment: number): number | null {
    const v = this.variantByLabel(variant);
    return v ? (this.rowsOf(v).causeLines.get(segment) ?? null) : null;
  }
}
