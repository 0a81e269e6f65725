// `npm run bench`: the core (parse, simulate, render) at 10 to 10 000 segments, whole files
// (the examples, a 1 MB file, a 100 000-character line), bundle and .vsix sizes, and the
// preview page in Chromium. Writes bench/results.json, prints tables, and writes the same
// tables to docs/performance.md: measured figures live there, not in code comments.
//
// Also the targets that were once timed unit tests (growth.ts, hotspots.ts): simulator growth
// for five shapes of run, sequence render at 10 000 segments, parser/lexer on 1 MB files and
// 100 000-character lines, completion and hover on huge inputs, simulator speed.
//
// Flags: --no-webview  skip Chromium;  --no-vsix  skip packing the .vsix (and so VS Code);
//        --no-vscode  skip code-server;  --no-plantuml  skip PlantUML;  --quick  10..1 000 only;
//        --no-host-typing  in VS Code, skip typing into a 1 MB document (keystroke rows only).
//
// PlantUML side by side (bench/plantuml.ts): only when `plantuml` is on PATH.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { benchFile, benchScenario, growth, type CoreRow, type FileRow } from './core';
import { benchLadder, LADDER_GOAL_MS, LADDER_GOAL_SEGMENTS, type LadderRow } from './ladder';
import { benchLargeFile, LARGE_FILE_GOALS } from './largeFile';
import { manyConnections, megabyteFile, transfer } from './scenarios';
import { measureSizes, type Sizes } from './sizes';
import { growthTargets } from './growth';
import { hotspotTargets } from './hotspots';
import { ms, showTarget, table, type Target } from './stats';
import { benchVscode, BIG_FILE, describeVscode, EXAMPLE_FILE, keystrokeRowsOf, type VscodeResult } from './vscode';
import { HOST_TYPING_GOAL_MS, worstRounds } from './hostTyping';
import { benchWebview, CHROMIUM, type WebviewResult } from './webview';
import { benchPlantuml, plantumlOnPath, type PlantumlResult } from './plantuml';
import { homedir } from 'node:os';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const args = new Set(process.argv.slice(2));
const TARGETS = args.has('--quick') ? [10, 100, 1000] : [10, 100, 1000, 10_000];

/** What the product owner asked for (see the report). */
const GOALS = {
  simSegmentsPerSecond: 200_000,
  wholeUpdateOverMermaid: 1.25,
  extensionBundleBytes: 200 * 1024,
  vsixBytes: 3 * 1024 * 1024,
  bigFileDiagnosticsMs: 1000,
};

/** Every line of the report (tables and goals), kept for docs/performance.md. */
const reportLines: string[] = [];
let reporting = false;
const log = (s: string) => {
  console.log(s);
  if (reporting) reportLines.push(s);
};
const kb = (b: number | null | undefined) => (b === null || b === undefined ? '—' : `${(b / 1024).toFixed(1)} KB`);

function examples(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dir of [join(root, 'examples')]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.tcpscn'))
      .sort())
      out.push({ name: `${basename(dir)}/${f}`, text: readFileSync(join(dir, f), 'utf8') });
  }
  return out;
}

/** The scenarios drawn by PlantUML too: the shared examples and the VS Code bench's ~500 segments. */
function plantumlScenarios(): { name: string; text: string }[] {
  const names = ['handshake-and-close.tcpscn', 'time-wait-lost-final-ack.tcpscn', 'time-wait-old-duplicate.tcpscn'];
  const out = names.flatMap((f) => {
    const path = join(root, 'examples', f);
    if (!existsSync(path)) return [];
    return [{ name: `examples/${f}`, text: readFileSync(path, 'utf8') }];
  });
  out.push({ name: 'transfer ~500 segments', text: transfer(500) });
  return out;
}

function hostileFiles(): { name: string; text: string }[] {
  const long = `title "${'x'.repeat(100_000)}"\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n0 b listen\n0 a connect b\n`;
  const longBad = `${'connect '.repeat(12_500)}\n`;
  const triggers = [
    'endpoint client 10.0.0.1:5000',
    'endpoint server 10.0.0.2:80',
    '0 server listen',
    '0 client connect server',
  ];
  for (let i = 0; i < 5000; i++) triggers.push(`on client ESTABLISHED +${i}ms client send 1`);
  const out = [
    { name: '1 MB file (valid, 13 000 expect lines)', text: megabyteFile(1 << 20) },
    {
      name: '1 MB of garbage lines',
      text: Array.from(
        { length: 1 << 14 },
        (_, i) => `line ${i} %%{init: {}}%% <img src=x> ;; -->> end ${'é'.repeat(30)}`,
      ).join('\n'),
    },
    { name: '100 000-character title', text: long },
    { name: '100 000-character faulty line', text: longBad },
    { name: '5 000 triggers', text: triggers.join('\n') },
  ];
  const dir = join(root, 'test/fixtures/hostile');
  if (existsSync(dir))
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.tcpscn'))
      .sort())
      out.push({ name: `hostile/${f}`, text: readFileSync(join(dir, f), 'utf8') });
  return out;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  // Always built from the sources being measured: a dist/ left by an older build made the page
  // measure (or, after a change of the update message, refuse) what the sources no longer are.
  log('npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

  log('core: parse, simulate, render');
  const core: CoreRow[] = [];
  for (const [name, make] of [
    ['transfer', transfer],
    ['many connections', manyConnections],
  ] as const) {
    for (const n of TARGETS) {
      const row = benchScenario(name, n, make(n));
      core.push(row);
      log(
        `  ${name} ${row.segments} segments: simulate ${ms(row.medianMs.simulate)} ms (${row.simSegmentsPerSecond.toLocaleString('en')} segments/s)`,
      );
    }
  }
  const growthRows = growth(core);

  log('ladder: layout + SVG (src/core/render/ladder)');
  const ladder: LadderRow[] = benchLadder(log);

  log('growth: simulator shapes at k and 8k, sequence render at 1 000 and 10 000 (CPU time)');
  const targets: Target[] = growthTargets(log);
  log('hotspots: parser, lexer, assist, simulator on huge inputs (CPU time)');
  targets.push(...hotspotTargets(log));

  log('files: examples and hostile inputs');
  const files: FileRow[] = [...examples(), ...hostileFiles()].map((f) =>
    benchFile(f.name, f.text, f.text.length > 200_000 ? 5 : 9),
  );

  log('large file: typing into 1 MB, analysed in the worker (bench/largeFile.ts)');
  const largeFile = await benchLargeFile(log);

  log('sizes: production build and .vsix');
  const vsixPath = join(root, 'test-output/bench/tcpscn-bench.vsix');
  const sizes: Sizes = await measureSizes(root, !args.has('--no-vsix'), vsixPath);

  let webview: WebviewResult | { skipped: string };
  if (args.has('--no-webview')) webview = { skipped: '--no-webview' };
  else if (!existsSync(CHROMIUM)) webview = { skipped: `${CHROMIUM} not found` };
  else if (!existsSync(join(root, 'dist/webview/main.js')))
    webview = { skipped: 'dist/webview/main.js missing (npm run build)' };
  else {
    log('webview: Chromium');
    try {
      webview = await benchWebview(root, TARGETS, log);
    } catch (e) {
      webview = { skipped: `failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  let vscode: VscodeResult | { skipped: string };
  const codeServer = join(
    process.env.TCPSCN_CACHE ?? join(homedir(), '.cache', 'tcpscn'),
    'code-server/node_modules/.bin/code-server',
  );
  if (args.has('--no-vscode')) vscode = { skipped: '--no-vscode' };
  else if (!sizes.vsix || !existsSync(vsixPath)) vscode = { skipped: 'no .vsix was packed' };
  else if (!existsSync(codeServer))
    vscode = { skipped: `code-server not installed (${codeServer}): scripts/setup-vscode.sh` };
  else if (!existsSync(CHROMIUM)) vscode = { skipped: `${CHROMIUM} not found` };
  else {
    log('vscode: code-server + Chromium');
    try {
      vscode = await benchVscode(root, vsixPath, log, { hostTyping: !args.has('--no-host-typing') });
    } catch (e) {
      vscode = { skipped: `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
    }
  }

  let plantuml: PlantumlResult | { skipped: string };
  const plantumlExe = plantumlOnPath();
  if (args.has('--no-plantuml')) plantuml = { skipped: '--no-plantuml' };
  else if (!plantumlExe) plantuml = { skipped: 'plantuml is not on PATH (Debian: apt-get install plantuml)' };
  else {
    log('plantuml: the same diagrams drawn by PlantUML (cold process per render, and warm -pipe)');
    try {
      plantuml = await benchPlantuml(plantumlExe, plantumlScenarios(), log);
    } catch (e) {
      plantuml = { skipped: `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
    }
  }

  const results = {
    when: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? '',
      memoryGB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    goals: GOALS,
    core,
    growth: growthRows,
    ladder,
    targets,
    files,
    largeFile,
    sizes,
    webview,
    vscode,
    plantuml,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

  // ---- tables ----
  reporting = true;
  log('\nCore (median ms; Node ' + process.version + ')');
  log(
    table([
      ['scenario', 'segments', 'parse', 'simulate', 'seq render', 'timeline', 'total', 'sim seg/s', 'preview msg'],
      ...core.map((r) => [
        r.scenario,
        String(r.segments),
        ms(r.medianMs.parse),
        ms(r.medianMs.simulate),
        ms(r.medianMs.renderSequence),
        ms(r.medianMs.renderTimeline),
        ms(r.totalMs),
        r.simSegmentsPerSecond.toLocaleString('en'),
        ms(r.medianMs.previewUpdate),
      ]),
    ]),
  );
  log('\nGrowth (time ratio when segments grow; n log n for comparison)');
  log(
    table([
      ['scenario', 'segments', 'x segs', 'x simulate', 'x total', 'x n log n'],
      ...growthRows.map((g) => [
        g.scenario,
        `${g.from} -> ${g.to}`,
        g.segmentsRatio.toFixed(1),
        g.simulateRatio.toFixed(1),
        g.totalRatio.toFixed(1),
        g.nLogNRatio.toFixed(1),
      ]),
    ]),
  );
  log('\nLadder: layout + SVG, 800 px wide (median ms)');
  log(
    table([
      ['scenario', 'segments', 'drawn', 'layout', 'SVG', 'layout+SVG', 'SVG size', 'runs'],
      ...ladder.map((r) => [
        r.what,
        String(r.segments),
        String(r.drawn),
        ms(r.layoutMs),
        ms(r.svgMs),
        ms(r.totalMs),
        `${r.svgKB} KB`,
        String(r.runs),
      ]),
    ]),
  );
  log('\nTargets once timed in unit tests (CPU time, best of a few warm runs)');
  log(table([['target', 'measured', 'met'], ...targets.map((t) => [t.name, showTarget(t), t.met ? 'MET' : 'MISSED'])]));
  log('(the numbers behind each: printed above while measuring, and `detail` in bench/results.json)');
  log('\nWhole files (median ms)');
  log(
    table([
      ['file', 'chars', 'diagnostics', 'analyze', 'analyze+markdown'],
      ...files.map((f) => [
        f.name.slice(0, 48),
        String(f.chars),
        String(f.diagnostics),
        ms(f.analyzeMs),
        ms(f.analyzeAndRenderMs),
      ]),
    ]),
  );
  log('\nSizes');
  const p = sizes.production;
  log(
    table([
      ['what', 'size'],
      ['extension.js (production, minified)', kb(p?.extensionBytes)],
      ['extension.js (dist/ as built)', kb(sizes.devExtensionBytes)],
      ['verify.js, loaded at first verify (production)', kb(p?.verifyBytes)],
      ['export.js, loaded at first export (production)', kb(p?.exportBytes)],
      ['assist.js, loaded at first completion, hover or code action (production)', kb(p?.assistBytes)],
      ['webview main.js (production)', kb(p?.webviewEntryBytes)],
      ['webview main.css', kb(p?.webviewCssBytes)],
      [`webview all JS (${p?.webviewChunks ?? '?'} chunks + entry)`, kb(p?.webviewJsTotalBytes)],
      ['cli.js (production)', kb(p?.cliBytes)],
      ['.vsix', sizes.vsix ? `${kb(sizes.vsix.bytes)} (${sizes.vsix.files} files)` : '—'],
    ]),
  );
  for (const e of sizes.errors) log(`  ! ${e}`);
  if ('skipped' in webview) log(`\nWebview: skipped (${webview.skipped})`);
  else {
    log(
      `\nWebview in Chromium (median ms over the runs; first diagram after opening: ${webview.firstLoad.firstSvgMs} ms, ${webview.firstLoad.requests} files, ${kb(webview.firstLoad.bytes)})`,
    );
    log(
      table([
        ['view', 'segments', 'drawn', 'Mermaid render', 'whole update', 'ratio', 'runs'],
        ...webview.rows.map((r) => [
          r.view,
          String(r.segments),
          r.view === 'sequence' ? String(r.drawnSegments) : '',
          ms(r.mermaidRenderMs.p50),
          ms(r.wholeUpdateMs.p50),
          r.ratio.toFixed(2),
          String(r.runs),
        ]),
      ]),
    );
    const bad = webview.hostile.filter((h) => !h.rendered || h.injected.length > 0 || h.alerts > 0);
    log(
      `Hostile corpus drawn by the page: ${webview.hostile.length} diagrams, ${webview.hostile.filter((h) => h.rendered).length} rendered, ${bad.length} with a problem`,
    );
    for (const h of bad)
      log(
        `  ! ${h.view} ${h.file}: ${h.rendered ? '' : `not rendered (${h.error}) `}${h.injected.join(', ')}${h.alerts ? ` ${h.alerts} alert(s)` : ''}`,
      );
    for (const e of webview.postedErrors) log(`  ! page: ${e}`);
  }

  if ('skipped' in vscode) log(`\nVS Code: skipped (${vscode.skipped})`);
  else log(`\n${describeVscode(vscode).join('\n')}`);

  if ('skipped' in plantuml) log(`\nPlantUML side by side: skipped (${plantuml.skipped})`);
  else {
    log(
      `\nPlantUML side by side (${plantuml.version}): the same sequence diagram (participants, one arrow per segment, our labels) rendered to SVG, median ms`,
    );
    log(
      "  cold: one `plantuml -tsvg` process per render (the PlantUML extension's local mode); warm: one `plantuml -pipe` process kept running",
    );
    log(
      "  tcpscn: keystroke to updated SVG in VS Code (p50, table above) and the webview's whole update at the nearest size (Chromium table above)",
    );
    const keystroke = (scenario: string): string => {
      if ('skipped' in vscode) return '—';
      const file = scenario.endsWith(EXAMPLE_FILE) ? EXAMPLE_FILE : scenario.startsWith('transfer') ? BIG_FILE : '';
      const k = vscode.keystroke.find((r) => r.file === file);
      return k ? ms(k.p50Ms) : '—';
    };
    const update = (segments: number): string => {
      if ('skipped' in webview) return '—';
      const rows = webview.rows.filter((r) => r.view === 'sequence');
      const near = rows.reduce<(typeof rows)[number] | undefined>(
        (b, r) => (!b || Math.abs(Math.log(r.segments / segments)) < Math.abs(Math.log(b.segments / segments)) ? r : b),
        undefined,
      );
      return near ? `${ms(near.wholeUpdateMs.p50)} (${near.segments} segs, ${near.drawnSegments} drawn)` : '—';
    };
    log(
      table([
        ['scenario', 'arrows', 'PlantUML cold', 'PlantUML warm', 'tcpscn keystroke->SVG', 'tcpscn webview update'],
        ...plantuml.rows.map((r) => [
          r.scenario,
          String(r.segments),
          ms(r.coldMs.p50),
          r.warmMs ? ms(r.warmMs.p50) : '—',
          keystroke(r.scenario),
          update(r.segments),
        ]),
      ]),
    );
    for (const n of plantuml.notes) log(`  ! ${n}`);
  }

  // ---- goals ----
  log('\nGoals');
  const big = core.filter((r) => r.scenario === 'transfer').at(-1);
  const check = (ok: boolean, what: string) => log(`  ${ok ? 'MET   ' : 'MISSED'} ${what}`);
  if (big)
    check(
      big.simSegmentsPerSecond >= GOALS.simSegmentsPerSecond,
      `simulator >= 200 000 segments/s: ${big.simSegmentsPerSecond.toLocaleString('en')} at ${big.segments} segments`,
    );
  const ladderGoal = ladder.find((r) => r.drawn === r.segments && Math.abs(r.segments - LADDER_GOAL_SEGMENTS) < 100);
  if (ladderGoal)
    check(
      ladderGoal.totalMs < LADDER_GOAL_MS,
      `ladder layout + SVG of ${LADDER_GOAL_SEGMENTS} segments < ${LADDER_GOAL_MS} ms: ${ms(ladderGoal.totalMs)} ms (${ladderGoal.segments} segments)`,
    );
  for (const t of targets) check(t.met, `${t.name}: ${showTarget(t)}`);
  if (p) check(p.extensionBytes < GOALS.extensionBundleBytes, `extension bundle < 200 KB: ${kb(p.extensionBytes)}`);
  if (sizes.vsix) check(sizes.vsix.bytes < GOALS.vsixBytes, `.vsix < 3 MB: ${kb(sizes.vsix.bytes)}`);
  const mb = files.find((f) => f.name.startsWith('1 MB file'));
  if (mb) check(mb.analyzeMs < GOALS.bigFileDiagnosticsMs, `1 MB file diagnosed < 1 s: ${ms(mb.analyzeMs)} ms`);
  check(
    largeFile.worker.maxBlockMs < LARGE_FILE_GOALS.maxBlockMs &&
      largeFile.workerValid.maxBlockMs < LARGE_FILE_GOALS.maxBlockMs,
    `typing in a 1 MB file blocks the host < 50 ms (plain Node, no VS Code): max ${ms(Math.max(largeFile.worker.maxBlockMs, largeFile.workerValid.maxBlockMs))} ms (analysed on the host: ${ms(largeFile.synchronous.maxBlockMs)} ms)`,
  );
  check(
    largeFile.worker.diagnosticsMs < LARGE_FILE_GOALS.diagnosticsMs,
    `1 MB file: diagnostics of the last edit < 1 s: ${ms(largeFile.worker.diagnosticsMs)} ms`,
  );
  if (!('skipped' in webview)) {
    const worst = Math.max(...webview.rows.map((r) => r.ratio));
    check(worst <= GOALS.wholeUpdateOverMermaid, `whole update <= 1.25 x Mermaid render: worst ${worst.toFixed(2)}`);
    const clean = webview.hostile.filter((h) => h.rendered && h.injected.length === 0 && h.alerts === 0).length;
    check(
      webview.hostile.length > 0 && clean === webview.hostile.length,
      `hostile corpus drawn by the page without markup or script: ${clean} of ${webview.hostile.length}`,
    );
  }
  if (!('skipped' in vscode)) {
    const { sequenceExample: example, sequenceBig: big, ladderExample, ladderBig, markdown } = keystrokeRowsOf(vscode);
    if (example && markdown)
      check(
        example.p50Ms < markdown.p50Ms,
        `faster than VS Code's Markdown preview, same machine and method: ${ms(example.p50Ms)} vs ${ms(markdown.p50Ms)} ms p50`,
      );
    if (example)
      check(example.p50Ms < 100, `keystroke -> diagram p50 < 100 ms for an example: ${ms(example.p50Ms)} ms`);
    if (big) check(big.p50Ms < 1000, `keystroke -> diagram p50 < 1 s at ~500 segments: ${ms(big.p50Ms)} ms`);
    if (ladderExample)
      check(
        ladderExample.p50Ms < 100,
        `keystroke -> ladder p50 < 100 ms for an example: ${ms(ladderExample.p50Ms)} ms`,
      );
    if (ladderBig)
      check(ladderBig.p50Ms < 1000, `keystroke -> ladder p50 < 1 s at ~500 segments: ${ms(ladderBig.p50Ms)} ms`);
    if (vscode.activation.ms !== null)
      check(vscode.activation.ms < 50, `activation < 50 ms: ${vscode.activation.ms} ms`);
    if (!('skipped' in vscode.hostTyping)) {
      // Judged on the worst round (the goal says "never"); VS Code's own cost of a 1 MB
      // document (the same text as plaintext, same rounds) is shown beside it.
      const h = vscode.hostTyping;
      const { ours, plaintext: base } = worstRounds(h);
      check(
        ours < HOST_TYPING_GOAL_MS,
        `typing in a 1 MB .tcpscn in VS Code blocks the extension host < ${HOST_TYPING_GOAL_MS} ms: worst round ${ms(ours)} ms (median of rounds ${ms(h.tcpscn.medianMaxBlockMs)} / valid file ${ms(h.tcpscnValid.medianMaxBlockMs)}, p99 ${ms(h.tcpscn.medianP99Ms)} / ${ms(h.tcpscnValid.medianP99Ms)}); plaintext baseline worst ${ms(base)} ms (median ${ms(h.plaintext.medianMaxBlockMs)}, p99 ${ms(h.plaintext.medianP99Ms)})`,
      );
      check(
        ours - base < HOST_TYPING_GOAL_MS,
        `  blocking our extension adds over VS Code's own (worst .tcpscn round - worst plaintext round) < ${HOST_TYPING_GOAL_MS} ms: ${ms(ours - base)} ms`,
      );
    }
  }
  reporting = false;
  writePerformanceDoc(results.when, results.commit, results.machine, results.seconds);
  log(`\nbench/results.json and docs/performance.md written (${results.seconds} s)`);
}

/** docs/performance.md: the report as printed, with the machine and commit it was measured on. */
function writePerformanceDoc(
  when: string,
  commit: string,
  machine: { cpus: number; cpu: string; memoryGB: number; node: string },
  seconds: number,
): void {
  const flags = [...args].join(' ') || 'none';
  const text = [
    '# Performance',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts); do not edit by hand: run the bench again. -->',
    '',
    `Measured ${when.slice(0, 10)} at commit \`${commit}\` on ${machine.cpus} × ${machine.cpu.trim()},`,
    `${machine.memoryGB} GB, Node ${machine.node}; bench flags: ${flags}; the run took ${seconds} s.`,
    'Each goal line reads MET or MISSED. The raw numbers are in `bench/results.json` after a run.',
    '',
    '```text',
    ...reportLines.join('\n').trim().split('\n'),
    '```',
    '',
  ].join('\n');
  writeFileSync(join(root, 'docs/performance.md'), text);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
