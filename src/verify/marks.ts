// The kernel's run as one more variant of the preview, with what differs from the model marked:
// each segment's note says whether the model sent it too (and how much later the kernel did),
// each state change of a connection whose states differ says so, and the label carries the
// verdict. Pure: a trace and its comparison in, a new trace out.

import type { Trace } from '../core/trace';
import type { Comparison, RowMark } from './compare';

const SEGMENT_NOTE: Record<RowMark, string> = {
  same: 'kernel: as the model',
  timing: 'kernel: as the model, at another time',
  known: 'kernel: as the model',
  'model only': '',
  'kernel only': 'kernel only: the model did not send this',
  differs: 'kernel: differs',
};

export function kernelVariantLabel(kernel: string, c: Comparison): string {
  const verdict = c.withinTolerance ? 'same' : c.sameStructure ? 'same structure, other timing' : 'differs';
  return `Linux ${kernel} (kernel: ${verdict})`;
}

export function markKernelTrace(trace: Trace, c: Comparison, kernel: string): Trace {
  const byN = new Map<number, string>();
  for (const r of c.segments.rows) {
    if (!r.kernel) continue;
    let note = SEGMENT_NOTE[r.mark];
    if (r.mark === 'timing' && r.model) {
      const dt = Math.round(r.kernel.sentAt - r.model.sentAt);
      note = `kernel: as the model, ${Math.abs(dt)} ms ${dt > 0 ? 'later' : 'earlier'}`;
    }
    byN.set(r.kernel.n, note);
  }
  const differing = new Set(
    c.states.rows
      .filter((r) => r.mark === 'differs' || r.mark === 'kernel only')
      .map((r) => `${r.endpoint}#${r.index}`),
  );
  // Connection positions per endpoint, in order of each TCB's first transition (as compare.ts counts).
  const position = new Map<number, string>();
  const count = new Map<string, number>();
  for (const t of trace.transitions) {
    if (position.has(t.tcb)) continue;
    const i = (count.get(t.endpoint) ?? 0) + 1;
    count.set(t.endpoint, i);
    position.set(t.tcb, `${t.endpoint}#${i}`);
  }
  return {
    ...trace,
    variant: kernelVariantLabel(kernel, c),
    segments: trace.segments.map((s) => ({ ...s, note: byN.get(s.n) ?? s.note })),
    transitions: trace.transitions.map((t) =>
      differing.has(position.get(t.tcb) ?? '') ? { ...t, cause: `${t.cause} (states differ from the model)` } : t,
    ),
  };
}
