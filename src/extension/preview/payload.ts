// Turns an analysis into the messages the webview draws from. The extension renders the
// sequence diagram's Mermaid text (the core's renderers are the one source of diagram text for
// the preview, the command line and Markdown export); the Ladder and the Timeline are laid out
// by the page, with the same core renderers, from the trace (`ladder`) at the width its pane
// has, which only the page knows. Pure: no vscode import.

import type { Analysis } from '../../core/index';
import type { Trace, TraceSegment } from '../../core/trace';
import { renderSequence, type StateNotes } from '../../core/render/sequence';
import {
  chooseWindow,
  encodeLadderTrace,
  type AboutDocument,
  encodeSegmentRows,
  type ProblemRow,
  type SegmentRow,
  type SourceInfo,
  type SequenceView,
  type ToWebview,
  type VariantView,
} from '../../protocol';

export function segmentRow(s: TraceSegment): SegmentRow {
  return {
    n: s.n,
    sentAt: s.sentAt,
    arrivedAt: s.arrivedAt,
    from: s.from,
    to: s.to,
    flags: s.flags.join(','),
    seq: s.seq,
    ack: s.ack,
    len: s.len,
    fate: s.fate,
    retransmission: s.retransmission,
    injected: s.injected,
    causeLine: s.causeLine,
    note: s.note,
  };
}

/** How the preview draws: the user's settings (`tcpscn.preview.*`). */
export interface PreviewOptions {
  /** State-change notes in the sequence diagram (`tcpscn.preview.stateNotes`); `short` by default. */
  stateNotes?: StateNotes;
}

/**
 * The sequence diagram of `trace`, windowed when the trace is big; `from` asks for a window start.
 * The preview's diagram is compact (see SequenceOptions.compact): it sits in a side pane.
 */
export function sequenceView(
  trace: Trace,
  from?: number,
  options: PreviewOptions = {},
): { sequence: SequenceView; segments: SegmentRow[] } {
  const window = chooseWindow(trace.segments.length, from);
  const look = { compact: true, stateNotes: options.stateNotes ?? 'short' } as const;
  if (!window) {
    const r = renderSequence(trace, look);
    return {
      sequence: { text: r.text, arrowSegments: r.arrowSegments, window: null },
      segments: trace.segments.map(segmentRow),
    };
  }
  const r = renderSequence(trace, { ...look, fromSegment: window.from, toSegment: window.to });
  const segments = trace.segments.filter((s) => s.n >= window.from && s.n <= window.to).map(segmentRow);
  return { sequence: { text: r.text, arrowSegments: r.arrowSegments, window }, segments };
}

export function variantView(trace: Trace, windowFrom?: number, options: PreviewOptions = {}): VariantView {
  const { sequence, segments } = sequenceView(trace, windowFrom, options);
  return {
    label: trace.variant,
    sequence,
    segmentRows: encodeSegmentRows(segments),
    ...encodeLadderTrace(trace),
    hazards: trace.hazards.map((h) => ({
      t: h.t,
      kind: h.kind,
      endpoint: h.endpoint,
      segment: h.segment,
      message: h.message,
    })),
    errors: trace.errors.map((e) => ({
      t: e.t,
      endpoint: e.endpoint,
      call: e.call,
      code: e.code,
      line: e.line,
      ...(e.response !== undefined ? { response: e.response } : {}),
      ...(e.expectedBy !== undefined ? { expectedBy: e.expectedBy } : {}),
    })),
    expectations: trace.expectations.map((x) => ({ line: x.line, text: x.text, ok: x.ok, message: x.message })),
    truncated: trace.truncated,
    endedAt: trace.endedAt,
  };
}

/** The diagnostics the banner lists: errors and warnings, not failed expectations (the summary shows those). */
export function problemRows(analysis: Analysis): ProblemRow[] {
  return analysis.diagnostics
    .filter((d) => d.code !== 'expectation-failed' && d.severity !== 'info')
    .map((d) => ({
      severity: d.severity,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      message: d.message,
    }));
}

/**
 * The `update` message for a document's analysis. `windows` holds, per variant label, the
 * first segment of the window the user moved to in a big trace; `kernelRuns` are runs of this
 * version on the machine's kernel (tcpscn.verify), shown after the model's variants.
 */
export function buildUpdate(
  analysis: Analysis,
  document: SourceInfo & AboutDocument,
  windows: ReadonlyMap<string, number> = new Map(),
  kernelRuns: readonly Trace[] = [],
  options: PreviewOptions = {},
): ToWebview {
  const runnable = !analysis.hasErrors;
  const { uri, fileName, version, locked } = document;
  return {
    type: 'update',
    uri,
    source: { fileName, version, locked },
    title: analysis.scenario.title?.value ?? '',
    runnable,
    problems: problemRows(analysis),
    variants: runnable
      ? [...analysis.runs, ...kernelRuns].map((t) => variantView(t, windows.get(t.variant), options))
      : [],
  };
}
