// PlantUML side by side: the same scenarios as the VS Code bench (an example, ~500 segments)
// and the other shared examples, written as the PlantUML sequence diagram a person would draw
// (bench/plantumlText.ts), rendered to SVG by the `plantuml` on PATH. Two ways, as PlantUML is
// used from an editor:
//   - cold: one `plantuml -tsvg file.puml` process per render (what the PlantUML VS Code
//     extension's local mode does on each preview refresh: Java starts every time);
//   - warm: one `plantuml -tsvg -pipe` process kept running, fed the diagram again and again
//     (each run waits for the SVG and a delimiter on stdout before the next is written).
// Only run when `plantuml` is on PATH (Debian: apt-get install plantuml); never installed here.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { analyze } from '../src/core/index';
import { traceToPlantuml } from './plantumlText';
import { median, quantile } from './stats';

export interface PlantumlScenario {
  name: string;
  text: string;
}

export interface PlantumlRow {
  scenario: string;
  /** Arrows in the PlantUML diagram (the default variant's segments). */
  segments: number;
  plantumlChars: number;
  svgBytes: number;
  coldMs: { p50: number; max: number; runs: number };
  /** null when the warm process failed (see notes). */
  warmMs: { p50: number; max: number; runs: number } | null;
}

export interface PlantumlResult {
  version: string;
  rows: PlantumlRow[];
  notes: string[];
}

/** The `plantuml` executable on PATH, or null. */
export function plantumlOnPath(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'plantuml');
    if (existsSync(p)) return p;
  }
  return null;
}

const DELIMITER = '__TCPSCN_BENCH_SVG_END__';

/** A `plantuml -pipe` process that renders one diagram at a time. */
class WarmPlantuml {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: { resolve: (svg: string) => void; reject: (e: Error) => void } | null = null;
  private exited: Error | null = null;

  constructor(exe: string) {
    this.proc = spawn(exe, ['-tsvg', '-pipe', '-pipedelimitor', DELIMITER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      const i = this.buffer.indexOf(DELIMITER);
      if (i < 0 || !this.waiting) return;
      const svg = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + DELIMITER.length);
      const w = this.waiting;
      this.waiting = null;
      w.resolve(svg);
    });
    this.proc.stderr.resume();
    this.proc.on('exit', (code) => {
      this.exited = new Error(`plantuml -pipe exited with ${code}`);
      this.waiting?.reject(this.exited);
      this.waiting = null;
    });
  }

  render(text: string, timeoutMs = 120_000): Promise<string> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`plantuml -pipe gave no SVG within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = {
        resolve: (svg) => (clearTimeout(timer), resolve(svg)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.proc.stdin.write(text);
    });
  }

  close(): void {
    this.proc.stdin.end();
    if (!this.exited) this.proc.kill();
  }
}

/** Checks that PlantUML drew the diagram, not its error image. */
function checkSvg(svg: string, scenario: string): void {
  if (!svg.includes('<svg') || !svg.includes('#1 '))
    throw new Error(`${scenario}: PlantUML gave no diagram (${svg.slice(0, 200)})`);
  if (/Syntax Error/i.test(svg)) throw new Error(`${scenario}: PlantUML reports a syntax error`);
}

export async function benchPlantuml(
  exe: string,
  scenarios: readonly PlantumlScenario[],
  log: (s: string) => void,
  coldRuns = 5,
  warmRuns = 10,
): Promise<PlantumlResult> {
  const version = execFileSync(exe, ['-version'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '?';
  const dir = mkdtempSync(join(tmpdir(), 'tcpscn-plantuml-'));
  const rows: PlantumlRow[] = [];
  const notes: string[] = [];
  const warm = new WarmPlantuml(exe);
  try {
    for (const sc of scenarios) {
      const trace = analyze(sc.text).runs[0];
      if (!trace) {
        notes.push(`${sc.name}: the scenario did not run`);
        continue;
      }
      const puml = traceToPlantuml(trace);
      const file = join(dir, 'diagram.puml');
      writeFileSync(file, puml);
      const cold: number[] = [];
      let svgBytes = 0;
      for (let i = 0; i < coldRuns; i++) {
        rmSync(join(dir, 'diagram.svg'), { force: true });
        const t0 = performance.now();
        execFileSync(exe, ['-tsvg', file], { stdio: 'ignore' });
        cold.push(performance.now() - t0);
        const svg = readFileSync(join(dir, 'diagram.svg'), 'utf8');
        checkSvg(svg, sc.name);
        svgBytes = svg.length;
      }
      let warmMs: PlantumlRow['warmMs'] = null;
      try {
        checkSvg(await warm.render(puml), sc.name); // the first one in this process warms its JIT
        const times: number[] = [];
        for (let i = 0; i < warmRuns; i++) {
          const t0 = performance.now();
          const svg = await warm.render(puml);
          times.push(performance.now() - t0);
          checkSvg(svg, sc.name);
        }
        warmMs = { p50: median(times), max: quantile(times, 1), runs: times.length };
      } catch (e) {
        notes.push(`${sc.name}: warm: ${e instanceof Error ? e.message : String(e)}`);
      }
      const row: PlantumlRow = {
        scenario: sc.name,
        segments: trace.segments.length,
        plantumlChars: puml.length,
        svgBytes,
        coldMs: { p50: median(cold), max: quantile(cold, 1), runs: cold.length },
        warmMs,
      };
      rows.push(row);
      log(
        `  ${sc.name} (${row.segments} arrows): cold ${Math.round(row.coldMs.p50)} ms, warm ${warmMs ? Math.round(warmMs.p50) : '?'} ms`,
      );
    }
  } finally {
    warm.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { version, rows, notes };
}
