// How late the harness was: a call made or a segment handed on after its time. The kernel takes
// that delay as real (a SYN,ACK handed on 30 ms late is a 30 ms longer round trip, which
// tcp_rtt_estimator turns into an RTO 120 ms longer), so past a few milliseconds a difference
// may be the machine's load rather than the kernel's choice, and the run says so.

export interface Lateness {
  /** For each call the agents made: ms after its scenario time. */
  calls: number[];
  /** For each segment the wire handed on: ms after its due time. */
  deliveries: number[];
}

/**
 * Beyond this, a run's timings and the races they decide are not the kernel's alone. On a quiet
 * machine most runs are late by under 1.5 ms at worst (docs/linux-parity.md's "late" column); a
 * busy one reaches tens of ms.
 */
export const HARNESS_LATE_MS = 5;

/** The worst lateness of a run, ms (0 if nothing was timed). */
export function worstLateness(l: Lateness): number {
  return Math.max(0, ...l.calls, ...l.deliveries);
}

/** A warning for a run whose harness was late beyond HARNESS_LATE_MS, or null. */
export function latenessWarning(l: Lateness): string | null {
  const worst = worstLateness(l);
  if (worst <= HARNESS_LATE_MS) return null;
  const what = l.deliveries.includes(worst) ? 'a segment handed on' : 'a call made';
  return (
    `the harness was late by ${worst.toFixed(1)} ms (${what} after its time; the machine was busy): the kernel ` +
    `took that delay as real, so a timer or a race may differ from a quiet run's; run again`
  );
}

/** Median and maximum of a list of lateness values, ms, rounded to 0.1. */
export function latenessSummary(xs: readonly number[]): string {
  if (!xs.length) return 'none';
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return `median ${r(s[Math.floor(s.length / 2)])} ms, max ${r(s[s.length - 1])} ms (${s.length})`;
}
