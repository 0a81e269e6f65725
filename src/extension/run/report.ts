// What "Run TCP scenario" writes to its output channel and reports back: every variant's
// readable trace, then each expectation's result, and the counts. Pure, so the same report
// can be checked without VS Code.

import type { Analysis } from '../../core/index';
import { renderText } from '../../core/render/text';

export interface RunSummary {
  /** Expectation results that held, counted once per variant they were checked in. */
  passed: number;
  /** Expectation results that failed, counted the same way. */
  failed: number;
  /** Errors that kept the file from running (0 when it ran). */
  errors: number;
  variants: string[];
  /** 1-based line of the first failed expectation (or of the first error), or null. */
  firstFailureLine: number | null;
  report: string;
}

export function summarizeRun(fileName: string, analysis: Analysis): RunSummary {
  const out: string[] = [];
  if (analysis.hasErrors) {
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    out.push(`${fileName}: the scenario has ${errors.length} error${errors.length === 1 ? '' : 's'} and was not run.`);
    for (const d of errors)
      out.push(`${fileName}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message}`);
    return {
      passed: 0,
      failed: 0,
      errors: errors.length,
      variants: [],
      firstFailureLine: errors.length ? errors[0].range.start.line + 1 : null,
      report: out.join('\n'),
    };
  }
  let passed = 0;
  let failed = 0;
  let firstFailureLine: number | null = null;
  const several = analysis.runs.length > 1;
  for (const trace of analysis.runs) {
    out.push(`=== ${fileName}${several ? ` (variant "${trace.variant}")` : ''} ===`);
    // The expectations are listed once below, for every variant, not also after each trace.
    out.push(renderText(trace, { expectations: false }).replace(/\s+$/, ''));
    out.push('');
  }
  out.push('Expectations:');
  for (const trace of analysis.runs) {
    for (const x of trace.expectations) {
      const where = several ? ` [${trace.variant}]` : '';
      if (x.ok) {
        passed++;
        out.push(`  PASS ${fileName}:${x.line}${where}: ${x.text}`);
      } else {
        failed++;
        if (firstFailureLine === null || x.line < firstFailureLine) firstFailureLine = x.line;
        out.push(`  FAIL ${fileName}:${x.line}${where}: ${x.text}: ${x.message}`);
      }
    }
  }
  if (passed + failed === 0) out.push('  (the scenario has no expectations)');
  const warnings = analysis.diagnostics.filter((d) => d.severity === 'warning');
  for (const d of warnings)
    out.push(`${fileName}:${d.range.start.line + 1}:${d.range.start.character + 1}: warning: ${d.message}`);
  out.push(`${passed} passed, ${failed} failed`);
  return {
    passed,
    failed,
    errors: 0,
    variants: analysis.runs.map((t) => t.variant),
    firstFailureLine,
    report: out.join('\n'),
  };
}

/**
 * Whether "Run TCP scenario" brings its output channel into view by itself: only when something
 * went wrong (the file has errors, an expectation failed), since the panel it opens takes a third
 * of the window's height from the editor and the preview beside it. When all is well the
 * notification says so and offers the output.
 */
export function showsOutput(summary: Pick<RunSummary, 'errors' | 'failed'>): boolean {
  return summary.errors > 0 || summary.failed > 0;
}
