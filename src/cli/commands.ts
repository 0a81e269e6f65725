// The `tcpscn` commands (spec, "The command line tool"): check, run, render and test. Each is a
// pure function of its arguments and a small file-system interface; src/cli.ts does the I/O.
// Parsing, checking and simulating are the core's analyze(): nothing here re-implements them.

import type { Analysis, Diagnostic, Trace } from '../core/index';
import { renderMarkdown, renderSequence, renderText, timelineChart } from '../core/render/index';
import { renderLadder, type LadderTheme } from '../core/render/ladder/index';
import { plain } from '../core/render/text';
import { parseArgs, stringOption } from './args';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliDeps, type CliResult } from './io';

export const USAGE = `Usage: tcpscn <command> [arguments]

Commands:
  check FILE...                       print diagnostics as FILE:LINE:COL: error|warning: MESSAGE
  run FILE [--variant LABEL] [--json]  print the trace and each expectation's result
                                      (--json: the trace as JSON, an array when there are variants)
  render FILE [--format sequence|timeline|ladder|markdown] [--variant LABEL] [-o OUT]
        [--theme light|dark] [--width PX]
                                      print Mermaid text (sequence diagram or state timeline),
                                      the ladder as a standalone SVG (every variant side by
                                      side when they fit --width, default 1000; --variant: one),
                                      or Markdown with the diagrams of every variant (with -o,
                                      the ladder is written beside it as OUT.ladder.svg)
  test [FILE|DIR...]                  run the expectations of every .tcpscn file (directories are
                                      searched recursively; default: the current directory)
  verify FILE [--variant LABEL] [--profile rfc|linux] [--pcap OUT.pcap] [--json]
                                      run it on this machine's Linux kernel (network namespaces,
                                      as root) and compare with the model (tcpscn verify --help)

Options:
  --help, -h      show this help
  --version, -v   show the version

Exit status: 0 success, 1 errors or failed expectations, 2 wrong invocation,
3 verify cannot run on this machine.
`;

class Output {
  out: string[] = [];
  err: string[] = [];
  stdout(line: string): void {
    this.out.push(line);
  }
  stderr(line: string): void {
    this.err.push(line);
  }
  result(code: number): CliResult {
    return { stdout: joinLines(this.out), stderr: joinLines(this.err), code };
  }
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.map((l) => (l.endsWith('\n') ? l.slice(0, -1) : l)).join('\n') + '\n';
}

/** `FILE:LINE:COL: error|warning: MESSAGE`, 1-based line and column. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const severity = d.severity === 'error' ? 'error' : 'warning';
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity}: ${plain(d.message)}`;
}

/** Runs one invocation. Never throws: a wrong invocation is status 2 with one line on stderr. */
export function runCli(argv: readonly string[], deps: CliDeps): CliResult {
  try {
    return dispatch(argv, deps);
  } catch (e) {
    if (e instanceof UsageError) return { stdout: '', stderr: `tcpscn: ${e.message}\n`, code: EXIT_USAGE };
    throw e;
  }
}

function dispatch(argv: readonly string[], deps: CliDeps): CliResult {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      throw new UsageError('no command given (try tcpscn --help)');
    case '--help':
    case '-h':
    case 'help':
      return { stdout: USAGE, stderr: '', code: EXIT_OK };
    case '--version':
    case '-v':
      return { stdout: `${deps.version}\n`, stderr: '', code: EXIT_OK };
    case 'check':
      return check(rest, deps);
    case 'run':
      return run(rest, deps);
    case 'render':
      return render(rest, deps);
    case 'test':
      return test(rest, deps);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)} (try tcpscn --help)`);
  }
}

const HELP = { name: '--help', aliases: ['-h'], takesValue: false };

function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** Reads a file named on the command line; a missing or unreadable one is a wrong invocation. */
function readSource(deps: CliDeps, file: string): string {
  const kind = deps.fs.kind(file);
  if (kind === 'missing') throw new UsageError(`${file}: no such file`);
  if (kind === 'dir') throw new UsageError(`${file}: is a directory`);
  try {
    return withoutBom(deps.fs.readFile(file));
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** An editor may save UTF-8 with a byte order mark; VS Code drops it, so the CLI does too. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** What the commands need of an analysis. */
type Outcome = Pick<Analysis, 'diagnostics' | 'runs' | 'hasErrors'>;

/**
 * analyze(), with a crash of the core turned into a diagnostic on line 1 so that one bad file
 * does not stop `check` or `test` over many.
 */
function analyzeSafely(deps: CliDeps, text: string): Outcome {
  try {
    return deps.analyze(text);
  } catch (e) {
    const message = `internal error in tcpscn: ${e instanceof Error ? e.message : String(e)}`;
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'internal-error',
          message,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
      runs: [],
      hasErrors: true,
    };
  }
}

/** Diagnostics that stop a file from running, or that the run itself reported as errors. */
function blockingErrors(a: Outcome): Diagnostic[] {
  return a.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'expectation-failed');
}

function printable(d: Diagnostic): boolean {
  return d.severity === 'error' || d.severity === 'warning';
}

function check(args: readonly string[], deps: CliDeps): CliResult {
  if (wantsHelp(args)) return { stdout: USAGE, stderr: '', code: EXIT_OK };
  const p = parseArgs('check', args, [HELP]);
  if (p.positional.length === 0) throw new UsageError('check: give at least one FILE');
  const texts = p.positional.map((f) => [f, readSource(deps, f)] as const);
  const o = new Output();
  let errors = false;
  for (const [file, text] of texts) {
    const a = analyzeSafely(deps, text);
    for (const d of a.diagnostics) {
      if (!printable(d)) continue;
      if (d.severity === 'error') errors = true;
      o.stdout(formatDiagnostic(file, d));
    }
  }
  return o.result(errors ? EXIT_FAILED : EXIT_OK);
}

/** The runs to show: all, or the one named by --variant (an unknown label is a wrong invocation). */
function selectRuns(a: Outcome, label: string | undefined, command: string): Trace[] {
  if (label === undefined) return a.runs;
  const run = a.runs.find((r) => r.variant === label);
  if (!run) {
    const known = a.runs.map((r) => JSON.stringify(r.variant)).join(', ');
    throw new UsageError(`${command}: no variant ${JSON.stringify(label)} (variants: ${known})`);
  }
  return [run];
}

/** Prints a file's errors and warnings to stderr; true when it has errors that stop it running. */
function reportProblems(o: Output, file: string, a: Outcome): boolean {
  for (const d of a.diagnostics)
    if (printable(d) && d.code !== 'expectation-failed') o.stderr(formatDiagnostic(file, d));
  return a.hasErrors || a.runs.length === 0;
}

function run(args: readonly string[], deps: CliDeps): CliResult {
  if (wantsHelp(args)) return { stdout: USAGE, stderr: '', code: EXIT_OK };
  const p = parseArgs('run', args, [
    HELP,
    { name: '--variant', takesValue: true },
    { name: '--json', takesValue: false },
  ]);
  if (p.positional.length !== 1) throw new UsageError('run: give exactly one FILE');
  const file = p.positional[0];
  const a = analyzeSafely(deps, readSource(deps, file));
  const o = new Output();
  if (reportProblems(o, file, a)) return o.result(EXIT_FAILED);
  const runs = selectRuns(a, stringOption(p, '--variant'), 'run');
  const failed = runs.some((r) => r.expectations.some((x) => !x.ok)) || blockingErrors(a).length > 0;
  if (p.options.has('--json')) {
    o.stdout(JSON.stringify(runs.length === 1 ? runs[0] : runs, null, 2));
  } else {
    o.stdout(runs.map((r) => renderText(r)).join('\n'));
  }
  return o.result(failed ? EXIT_FAILED : EXIT_OK);
}

const FORMATS = ['sequence', 'timeline', 'ladder', 'markdown'] as const;
const THEMES: readonly LadderTheme[] = ['light', 'dark'];
/** The ladder beside a Markdown report is laid out this wide at most: variants side by side. */
const MARKDOWN_LADDER_WIDTH = 2400;

/** `out/report.md` -> `out/report.ladder.svg`. */
export function ladderPathBeside(markdownPath: string): string {
  return markdownPath.replace(/\.(md|markdown)$/i, '') + '.ladder.svg';
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function render(args: readonly string[], deps: CliDeps): CliResult {
  if (wantsHelp(args)) return { stdout: USAGE, stderr: '', code: EXIT_OK };
  const p = parseArgs('render', args, [
    HELP,
    { name: '--format', aliases: ['-f'], takesValue: true },
    { name: '--variant', takesValue: true },
    { name: '-o', aliases: ['--output', '--out'], takesValue: true },
    { name: '--theme', takesValue: true },
    { name: '--width', takesValue: true },
  ]);
  if (p.positional.length !== 1) throw new UsageError('render: give exactly one FILE');
  const format = stringOption(p, '--format') ?? 'sequence';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`render: unknown format ${JSON.stringify(format)} (sequence, timeline, ladder or markdown)`);
  const theme = stringOption(p, '--theme') ?? 'light';
  if (!(THEMES as readonly string[]).includes(theme))
    throw new UsageError(`render: unknown theme ${JSON.stringify(theme)} (light or dark)`);
  const widthText = stringOption(p, '--width');
  const width = widthText === undefined ? 1000 : Number(widthText);
  if (!Number.isInteger(width) || width < 200 || width > 100_000)
    throw new UsageError(`render: --width must be a whole number of pixels from 200 to 100000`);
  if ((p.options.has('--theme') || p.options.has('--width')) && format !== 'ladder' && format !== 'markdown')
    throw new UsageError(`render: --theme and --width are for --format ladder or markdown`);
  const file = p.positional[0];
  const a = analyzeSafely(deps, readSource(deps, file));
  const o = new Output();
  if (reportProblems(o, file, a)) return o.result(EXIT_FAILED);
  const label = stringOption(p, '--variant');
  const runs = selectRuns(a, label, 'render');
  const out = stringOption(p, '-o');
  let text: string;
  if (format === 'ladder')
    text = renderLadder(runs, { width, theme: theme as LadderTheme, variant: label, sideBySide: label === undefined });
  else if (format === 'markdown') {
    // GitHub does not draw SVG inside Markdown, but does show an SVG file it links to: with -o,
    // the ladder of every variant is written beside the report and linked from it.
    if (out !== undefined) {
      const svgPath = ladderPathBeside(out);
      const svg = renderLadder(runs, { width: Math.max(width, MARKDOWN_LADDER_WIDTH), theme: theme as LadderTheme });
      writeOut(deps, svgPath, svg);
      text = renderMarkdown(runs, { ladderImage: baseName(svgPath) });
    } else text = renderMarkdown(runs);
  } else {
    // One Mermaid diagram shows one run: the chosen variant, else the first ("default").
    if (label === undefined && runs.length > 1)
      o.stderr(
        `tcpscn: ${file} has ${runs.length} variants; drawing "${plain(runs[0].variant)}" (choose one with --variant)`,
      );
    if (format === 'sequence') text = renderSequence(runs[0]).text;
    else {
      const chart = timelineChart(runs[0], { fixedWidth: true });
      text = chart.text;
      // Mermaid can print only the drawn (compressed) times on the axis: the reader is told why it has none.
      if (chart.note !== null) o.stderr(`tcpscn: ${chart.note}`);
    }
  }
  if (out === undefined) o.stdout(text);
  else writeOut(deps, out, text);
  return o.result(EXIT_OK);
}

function writeOut(deps: CliDeps, path: string, text: string): void {
  try {
    deps.fs.writeFile(path, text);
  } catch (e) {
    throw new UsageError(`render: cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The `.tcpscn` files under the given paths, each directory searched recursively, sorted. */
export function collectFiles(deps: CliDeps, paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    const entries = deps.fs.list(dir).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const e of entries) {
      // Dependencies and hidden folders (.git, .vscode-test) are not the user's scenarios.
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const path = joinPath(dir, e.name);
      if (e.kind === 'dir') walk(path);
      else if (e.kind === 'file' && e.name.endsWith('.tcpscn')) files.push(path);
    }
  };
  for (const p of paths) {
    const kind = deps.fs.kind(p);
    if (kind === 'missing') throw new UsageError(`test: ${p}: no such file or directory`);
    if (kind === 'dir') walk(p);
    else files.push(p);
  }
  return files;
}

function joinPath(dir: string, name: string): string {
  if (dir === '.' || dir === '') return name;
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

function test(args: readonly string[], deps: CliDeps): CliResult {
  if (wantsHelp(args)) return { stdout: USAGE, stderr: '', code: EXIT_OK };
  const p = parseArgs('test', args, [HELP]);
  const files = collectFiles(deps, p.positional.length > 0 ? p.positional : ['.']);
  const o = new Output();
  let passed = 0;
  let failed = 0;
  if (files.length === 0) o.stderr('tcpscn: no .tcpscn files found');
  for (const file of files) {
    let text: string;
    try {
      text = withoutBom(deps.fs.readFile(file));
    } catch (e) {
      o.stdout(`ERROR ${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
      failed++;
      continue;
    }
    const a = analyzeSafely(deps, text);
    const errors = blockingErrors(a);
    if (a.hasErrors || a.runs.length === 0 || errors.length > 0) {
      // A file with errors counts as one failure; its first error says why.
      const first = errors[0] ?? a.diagnostics.find((d) => d.severity === 'error');
      o.stdout(`ERROR ${first ? formatDiagnostic(file, first) : `${file}: the scenario could not be run`}`);
      for (const d of errors.slice(1)) o.stdout(`  ${formatDiagnostic(file, d)}`);
      failed++;
      continue;
    }
    const results = a.runs.flatMap((r) => r.expectations.map((x) => ({ variant: r.variant, x })));
    results.sort((l, r) => l.x.line - r.x.line);
    const bad = results.filter((r) => !r.x.ok).length;
    o.stdout(`${bad > 0 ? 'FAIL' : 'ok  '} ${file} (${results.length - bad} passed, ${bad} failed)`);
    for (const r of results) {
      const why = r.x.ok || r.x.message === '' ? '' : `: ${plain(r.x.message)}`;
      o.stdout(`  ${r.x.ok ? 'PASS' : 'FAIL'} line ${r.x.line} [${plain(r.variant)}]: ${plain(r.x.text)}${why}`);
    }
    passed += results.length - bad;
    failed += bad;
  }
  o.stdout(`${passed} passed, ${failed} failed`);
  return o.result(failed > 0 ? EXIT_FAILED : EXIT_OK);
}
