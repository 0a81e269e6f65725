// The side-by-side text of `tcpscn verify`: segments aligned, each connection's states, errors,
// then a verdict per aspect. Pure: a Comparison (and the run's facts) in, lines out.

import type { ChainRow, Comparison, RowMark, SegmentView, StateEntry } from './compare';
import { fmtMs } from './compare';
import { latenessSummary } from './lateness';

export interface RunFacts {
  file: string;
  variant: string;
  profile: string;
  kernel: string;
  sysctls: Record<string, string>;
  notHonoured: readonly string[];
  /** What the wire does besides latency and `net` rules (the ISN rewriting); absent: nothing. */
  wireNotes?: readonly string[];
  warnings: readonly string[];
  stoppedBy: string;
  endedAt: number;
  lateness: { calls: readonly number[]; deliveries: readonly number[] };
  pcap: string | null;
}

const MARK: Record<RowMark, string> = {
  same: '=',
  timing: '~',
  known: '=',
  'model only': '<',
  'kernel only': '>',
  differs: '!',
};

function seg(s: SegmentView | null): string {
  if (!s) return '';
  const ack = s.relAck === null ? '-' : String(s.relAck);
  const fate = s.fate === 'delivered' ? '' : ` ${s.fate}`;
  return `${pad(String(Math.round(s.sentAt)), 6, true)} ${s.from}->${s.to} ${s.flags.join(',')} ${s.relSeq}/${ack} len ${s.len}${fate}`;
}

function pad(s: string, n: number, left = false): string {
  return s.length >= n ? s : left ? ' '.repeat(n - s.length) + s : s + ' '.repeat(n - s.length);
}

function chain(c: readonly StateEntry[] | null): string {
  return c ? c.map((e) => `${e.state}@${Math.round(e.at)}`).join(' > ') : '(none)';
}

export function formatReport(c: Comparison, f: RunFacts): string[] {
  const out: string[] = [];
  out.push(`${f.file} (variant "${f.variant}", model profile ${f.profile}) against Linux ${f.kernel}`);
  out.push(`kernel run: ${Math.round(f.endedAt)} ms, stopped by ${stopText(f.stoppedBy)}`);
  out.push(
    `harness lateness: calls ${latenessSummary(f.lateness.calls)}; deliveries ${latenessSummary(f.lateness.deliveries)}`,
  );
  out.push(
    `sysctls: ${Object.entries(f.sysctls)
      .map(([k, v]) => `${k.replace(/^net\/ipv4\//, '')}=${v}`)
      .join(' ')}`,
  );
  for (const n of f.notHonoured) out.push(`not honoured: ${n}`);
  for (const n of f.wireNotes ?? []) out.push(`wire: ${n}`);
  for (const w of f.warnings) out.push(`warning: ${w}`);
  out.push('');
  out.push('Segments (ms, relative seq/ack; = same, ~ timing, < model only, > kernel only; PSH not compared)');
  const width = Math.max(24, ...c.segments.rows.map((r) => seg(r.model).length));
  out.push(`  ${pad('model', width)} | kernel`);
  for (const r of c.segments.rows) out.push(`${MARK[r.mark]} ${pad(seg(r.model), width)} | ${seg(r.kernel)}`);
  out.push('');
  out.push('States (each connection: state@ms; states under 1 ms left out)');
  for (const r of c.states.rows) out.push(...chainLines(r));
  out.push('');
  out.push('Errors');
  if (!c.errors.rows.length) out.push('  (none on either side)');
  for (const r of c.errors.rows) {
    const e = (x: typeof r.model) => (x ? `${x.endpoint} ${x.call} ${x.code} at ${fmtMs(x.t)}` : '(none)');
    out.push(`${MARK[r.mark]} model ${e(r.model)} | kernel ${e(r.kernel)}`);
  }
  out.push('');
  const line = (name: string, a: Comparison['segments']['result']) =>
    `${name}: ${a.verdict}${a.first ? ` (${a.first})` : ''}`;
  out.push(line('segments', c.segments.result));
  out.push(line('states', c.states.result));
  out.push(line('errors', c.errors.result));
  out.push(
    `structure: ${c.sameStructure ? 'same' : 'differs'}; timing ${c.withinTolerance ? `within ${c.toleranceMs} ms` : c.sameStructure ? `beyond ${c.toleranceMs} ms somewhere` : 'not compared'}`,
  );
  if (f.pcap) out.push(`pcap: ${f.pcap}`);
  return out;
}

function chainLines(r: ChainRow): string[] {
  const head = `${MARK[r.mark]} ${r.endpoint} #${r.index}`;
  return [`${head}  model:  ${chain(r.model)}`, `${' '.repeat(head.length)}  kernel: ${chain(r.kernel)}`];
}

function stopText(s: string): string {
  switch (s) {
    case 'quiet':
      return 'itself (nothing pending for 1 s)';
    case 'time-wait':
      return 'itself with TIME_WAIT still held (Linux holds it 60 s; --wait-time-wait waits)';
    default:
      return 'the time cap';
  }
}
