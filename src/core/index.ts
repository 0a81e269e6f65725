// The one entry point of the core: parse, check, run every variant, and gather every
// diagnostic (syntax, semantics, run limits, failed expectations) in one list. The
// extension, the command line and the tests all call this; none of it touches I/O.

import type { Scenario } from './ast';
import { parse } from './parser';
import { simulate, variantLabels } from './sim/simulate';
import type { Trace } from './trace';
import { DEFAULT_LIMITS, type Diagnostic, type Limits } from './types';

export * from './types';
export type * from './ast';
export type * from './trace';
export { parse } from './parser';
export { simulate, variantLabels } from './sim/simulate';

export interface Analysis {
  scenario: Scenario;
  /** Every diagnostic, sorted by position: parse and semantic checks, run-time ones, failed expectations. */
  diagnostics: Diagnostic[];
  /** One trace per variant run ("default" first); empty when the file has errors. */
  runs: Trace[];
  /**
   * True when parsing or checking found an error, so the file was not run. Errors of a run
   * (`limit-reached`) or of its expectations do not set it: those runs exist and can be shown.
   */
  hasErrors: boolean;
}

export interface AnalyzeOptions {
  /** Run only these variants (by label); all when absent. */
  variants?: readonly string[];
  limits?: Limits;
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = parse(text);
  const diagnostics = [...parsed.diagnostics];
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const runs: Trace[] = [];
  if (!hasErrors) {
    const wanted = options.variants;
    const labels = variantLabels(parsed.scenario).filter((l) => !wanted || wanted.includes(l));
    const runDiagnostics = new Map<string, { diagnostic: Diagnostic; count: number }>();
    for (const label of labels) {
      const result = simulate(parsed.scenario, label, options.limits ?? DEFAULT_LIMITS);
      runs.push(result.trace);
      for (const d of result.diagnostics) {
        // A run-time diagnostic seen in several variants is reported once; one that holds only
        // in some variants says which (a `segment N` reached in one variant is not unreachable).
        const key = `${d.code}\u0000${d.range.start.line}:${d.range.start.character}\u0000${d.message}`;
        const seen = runDiagnostics.get(key);
        if (seen) seen.count++;
        else runDiagnostics.set(key, { diagnostic: d, count: 1 });
      }
    }
    for (const { diagnostic, count } of runDiagnostics.values()) {
      if (diagnostic.code === 'segment-never-reached' && count < labels.length) continue;
      diagnostics.push(diagnostic);
    }
    diagnostics.push(...expectationDiagnostics(parsed.scenario, runs));
  }
  diagnostics.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { scenario: parsed.scenario, diagnostics, runs, hasErrors };
}

/** A failed expectation is an error on its `expect` line, naming the variant when there are several. */
function expectationDiagnostics(scenario: Scenario, runs: readonly Trace[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byLine = new Map(scenario.events.filter((e) => e.kind === 'expect').map((e) => [e.range.start.line + 1, e]));
  for (const run of runs) {
    for (const x of run.expectations) {
      if (x.ok) continue;
      const stmt = byLine.get(x.line);
      if (!stmt) continue;
      const where = runs.length > 1 ? ` (variant "${run.variant}")` : '';
      out.push({
        severity: 'error',
        code: 'expectation-failed',
        range: stmt.range,
        message: `expectation failed${where}: ${x.message}`,
      });
    }
  }
  return out;
}
