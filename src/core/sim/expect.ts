// Checking `expect` assertions against the run so far (spec, "Expectations"). The simulator
// checks a timed expectation at its instant after everything else at that instant has run
// (segments handed to the network included), and one without WHEN at the end of the run.

import type { Assertion } from '../ast';
import type { TraceError, TraceHazard } from '../trace';
import type { TcpState } from '../types';
import { formatDuration } from '../duration';

export interface RunView {
  stateOf(endpoint: string): TcpState | undefined;
  /** That endpoint's errors so far, in the order recorded. */
  errorsOf(endpoint: string): readonly TraceError[];
  /** Every hazard so far, in the order reported. */
  hazards: readonly TraceHazard[];
  /** The hazards of that kind so far, in the order reported. */
  hazardsOf(kind: string): readonly TraceHazard[];
}
// The lists come indexed by endpoint and kind so that a check costs what it reads, not the whole
// run so far: a file with one `expect error` per connection would otherwise be quadratic.

export interface Verdict {
  ok: boolean;
  message: string;
}

function listHazards(hazards: readonly TraceHazard[]): string {
  if (hazards.length === 0) return 'none';
  return hazards.map((h) => `${h.kind} (${h.endpoint}, ${formatDuration(h.t)}, segment ${h.segment})`).join(', ');
}

export function evaluate(a: Assertion, view: RunView): Verdict {
  switch (a.kind) {
    case 'state': {
      const name = a.endpoint.value;
      const state = view.stateOf(name);
      if (state === undefined) return { ok: false, message: `no endpoint named ${name}` };
      if (state === a.state.value) return { ok: true, message: '' };
      return { ok: false, message: `${name} is in ${state}, not ${a.state.value}` };
    }
    case 'error': {
      const name = a.endpoint.value;
      const mine = view.errorsOf(name);
      if (mine.some((e) => e.code === a.code.value)) return { ok: true, message: '' };
      const found =
        mine.length === 0 ? 'none' : mine.map((e) => `${e.code} (${e.call}, ${formatDuration(e.t)})`).join(', ');
      return { ok: false, message: `${name} has recorded no error ${a.code.value}; errors: ${found}` };
    }
    case 'hazard': {
      if (view.hazardsOf(a.hazard.value).length > 0) return { ok: true, message: '' };
      return { ok: false, message: `no hazard ${a.hazard.value}; hazards: ${listHazards(view.hazards)}` };
    }
    case 'no-hazards': {
      if (view.hazards.length === 0) return { ok: true, message: '' };
      return { ok: false, message: `hazards: ${listHazards(view.hazards)}` };
    }
    case 'no-hazard': {
      const found = view.hazardsOf(a.hazard.value);
      if (found.length === 0) return { ok: true, message: '' };
      return { ok: false, message: `hazard ${a.hazard.value} reported: ${listHazards(found)}` };
    }
  }
}
