// The command line: every command and exit status over an in-memory file system, with the
// real analyze() (the three shared examples, from the project's own examples/) and with hand-made analyses for the rare paths.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { analyze, type Analysis, type Trace } from '../../src/core/index';
import { formatDiagnostic, runCli } from '../../src/cli/commands';
import type { CliDeps, CliFs, PathKind } from '../../src/cli/io';
import { handshakeTrace, troubleTrace } from './fixtures/traces';
import { examplePath, SHARED_EXAMPLE_NAMES } from './helpers/examples';
import { mermaidParse } from './helpers/mermaidParse';
import { xmlProblems } from './helpers/xmlCheck';

const ROOT = join(__dirname, '..', '..');
/** tsx's loader by URL: the child runs in a temporary directory where `tsx` does not resolve. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const read = (name: string) => readFileSync(examplePath(name), 'utf8');

/** An in-memory file system: a map of file paths to text; directories are implied by paths. */
class MemoryFs implements CliFs {
  readonly files = new Map<string, string>();
  constructor(files: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(files)) this.files.set(k, v);
  }
  readFile(path: string): string {
    const t = this.files.get(path);
    if (t === undefined) throw new Error(`ENOENT: ${path}`);
    return t;
  }
  writeFile(path: string, text: string): void {
    if (path.startsWith('/readonly/')) throw new Error('EACCES: permission denied');
    this.files.set(path, text);
  }
  kind(path: string): PathKind {
    if (this.files.has(path)) return 'file';
    const prefix = path === '.' ? '' : `${path.replace(/\/$/, '')}/`;
    return [...this.files.keys()].some((f) => f.startsWith(prefix)) ? 'dir' : 'missing';
  }
  list(dir: string): Array<{ name: string; kind: PathKind }> {
    const prefix = dir === '.' ? '' : `${dir.replace(/\/$/, '')}/`;
    const names = new Map<string, PathKind>();
    for (const f of this.files.keys()) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'dir');
    }
    return [...names].map(([name, kind]) => ({ name, kind }));
  }
}

const HANDSHAKE = read('handshake-and-close.tcpscn');
const LOST_ACK = read('time-wait-lost-final-ack.tcpscn');
const OLD_DUP = read('time-wait-old-duplicate.tcpscn');
const BROKEN = 'title "x"\nendpoint a 10.0.0.1:1\n0ms a frobnicate\n';
const FAILING = HANDSHAKE.replace('expect server CLOSED', 'expect server LISTEN');

function deps(
  files: Record<string, string>,
  analyzeFn: (text: string) => Analysis = (t) => analyze(t),
): CliDeps & { fs: MemoryFs } {
  return { fs: new MemoryFs(files), analyze: analyzeFn, version: '9.9.9' };
}

const std = () =>
  deps({
    'ex/handshake.tcpscn': HANDSHAKE,
    'ex/lost-ack.tcpscn': LOST_ACK,
    'ex/sub/old-dup.tcpscn': OLD_DUP,
    'ex/readme.md': '# not a scenario',
    'bad/broken.tcpscn': BROKEN,
    'bad/failing.tcpscn': FAILING,
    'ex/node_modules/x.tcpscn': BROKEN,
  });

describe('tcpscn invocation', () => {
  it('--help and --version print to stdout with status 0', () => {
    const h = runCli(['--help'], std());
    assert.equal(h.code, 0);
    assert.match(h.stdout, /^Usage: tcpscn <command>/);
    for (const c of ['check FILE', 'run FILE', 'render FILE', 'test [FILE|DIR...]']) assert.ok(h.stdout.includes(c));
    assert.deepEqual(runCli(['--version'], std()), { stdout: '9.9.9\n', stderr: '', code: 0 });
    assert.equal(runCli(['run', '--help'], std()).code, 0);
  });

  const wrong: Array<[string, string[], RegExp]> = [
    ['no command', [], /no command/],
    ['an unknown command', ['frob'], /unknown command "frob"/],
    ['check without a file', ['check'], /at least one FILE/],
    ['a missing file', ['check', 'nope.tcpscn'], /nope\.tcpscn: no such file/],
    ['a directory for a file', ['run', 'ex'], /ex: is a directory/],
    ['an unknown option', ['run', 'ex/handshake.tcpscn', '--frob'], /unknown option --frob/],
    ['an option without its value', ['render', 'ex/handshake.tcpscn', '--format'], /--format needs a value/],
    ['an unknown format', ['render', 'ex/handshake.tcpscn', '--format', 'svg'], /unknown format "svg"/],
    [
      'an unknown variant',
      ['run', 'ex/lost-ack.tcpscn', '--variant', 'nope'],
      /no variant "nope" \(variants: "default", "no TIME_WAIT"\)/,
    ],
    ['two files for run', ['run', 'ex/handshake.tcpscn', 'ex/lost-ack.tcpscn'], /exactly one FILE/],
    ['a missing path for test', ['test', 'nowhere'], /nowhere: no such file or directory/],
    ['an unwritable -o', ['render', 'ex/handshake.tcpscn', '-o', '/readonly/x.mmd'], /cannot write \/readonly\/x\.mmd/],
    ['an unknown theme', ['render', 'ex/handshake.tcpscn', '-f', 'ladder', '--theme', 'pink'], /unknown theme "pink"/],
    ['a width that is no number', ['render', 'ex/handshake.tcpscn', '-f', 'ladder', '--width', 'wide'], /--width must/],
    ['a theme for Mermaid text', ['render', 'ex/handshake.tcpscn', '--theme', 'dark'], /--theme and --width are for/],
  ];
  for (const [what, argv, message] of wrong) {
    it(`${what} is status 2 with one line on stderr`, () => {
      const r = runCli(argv, std());
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^tcpscn: /);
    });
  }
});

describe('tcpscn check', () => {
  it('prints nothing and exits 0 for good files', () => {
    assert.deepEqual(runCli(['check', 'ex/handshake.tcpscn', 'ex/lost-ack.tcpscn'], std()), {
      stdout: '',
      stderr: '',
      code: 0,
    });
  });

  it('prints FILE:LINE:COL: error: MESSAGE (1-based) and exits 1', () => {
    const r = runCli(['check', 'ex/handshake.tcpscn', 'bad/broken.tcpscn'], std());
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.length >= 1);
    for (const l of lines) assert.match(l, /^bad\/broken\.tcpscn:\d+:\d+: (error|warning): \S/);
    assert.ok(
      lines.some((l) => /^bad\/broken\.tcpscn:3:7: error: unknown verb/.test(l)),
      'the bad verb is on line 3, column 7',
    );
  });

  it('reports a failed expectation as an error on its line', () => {
    const r = runCli(['check', 'bad/failing.tcpscn'], std());
    assert.equal(r.code, 1);
    const line = FAILING.split('\n').findIndex((l) => l.includes('expect server LISTEN')) + 1;
    assert.match(r.stdout, new RegExp(`^bad/failing\\.tcpscn:${line}:1: error: expectation failed`, 'm'));
  });

  it('reads a file saved with a byte order mark as VS Code does', () => {
    const seen: string[] = [];
    const d = deps({ 'bom.tcpscn': `\uFEFF${HANDSHAKE}` }, (t) => {
      seen.push(t);
      return analyze(t);
    });
    assert.deepEqual(runCli(['check', 'bom.tcpscn'], d), { stdout: '', stderr: '', code: 0 });
    assert.match(runCli(['test', 'bom.tcpscn'], d).stdout, /\n11 passed, 0 failed\n$/);
    assert.equal(seen.length, 2);
    for (const t of seen) assert.equal(t, HANDSHAKE, 'the core gets the text without the mark');
  });

  it('formats a diagnostic with 1-based positions and a warning as a warning', () => {
    const d = {
      severity: 'warning' as const,
      code: 'x',
      message: 'careful\u001b[2J',
      range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } },
    };
    assert.equal(formatDiagnostic('f.tcpscn', d), 'f.tcpscn:1:5: warning: careful[2J');
  });
});

describe('tcpscn run', () => {
  it('prints the readable trace and exits 0 when every expectation holds', () => {
    const r = runCli(['run', 'ex/handshake.tcpscn'], std());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Handshake, data and close {2}\[variant "default"\]/);
    assert.match(r.stdout, /#1 client -> server {2}SYN seq=1000/);
    assert.match(r.stdout, /PASS line 30: expect no hazards/);
  });

  it('says which profile each variant ran under, in the text and in --json', () => {
    const text = `${HANDSHAKE}\nvariant "Linux" profile = linux\n`;
    const files = deps({ 'ex/p.tcpscn': text });
    const r = runCli(['run', 'ex/p.tcpscn'], files);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('profile: '));
    assert.deepEqual(headers, ['profile: rfc (RFC 9293)', 'profile: linux (Linux 6.x as measured)']);
    const j = JSON.parse(runCli(['run', 'ex/p.tcpscn', '--json'], files).stdout) as Trace[];
    assert.deepEqual(
      j.map((t) => [t.variant, t.profile]),
      [
        ['default', 'rfc'],
        ['Linux', 'linux'],
      ],
    );
  });

  it('exits 1 and says FAIL when an expectation fails', () => {
    const r = runCli(['run', 'bad/failing.tcpscn'], std());
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL line \d+: expect server LISTEN: /);
  });

  it('exits 1 with diagnostics on stderr when the file has errors', () => {
    const r = runCli(['run', 'bad/broken.tcpscn'], std());
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^bad\/broken\.tcpscn:3:\d+: error: /m);
  });

  it('--json prints the trace object, or an array when the file has variants', () => {
    const one = JSON.parse(runCli(['run', 'ex/handshake.tcpscn', '--json'], std()).stdout) as Trace;
    assert.equal(Array.isArray(one), false);
    assert.equal(one.version, 1);
    assert.equal(one.variant, 'default');
    for (const k of ['title', 'endpoints', 'segments', 'transitions', 'errors', 'hazards', 'expectations', 'endedAt'])
      assert.ok(k in one, k);
    assert.deepEqual(one.segments[0].flags, ['SYN']);
    const many = JSON.parse(runCli(['run', 'ex/lost-ack.tcpscn', '--json'], std()).stdout) as Trace[];
    assert.ok(Array.isArray(many));
    assert.deepEqual(
      many.map((t) => t.variant),
      ['default', 'no TIME_WAIT'],
    );
    const picked = JSON.parse(
      runCli(['run', 'ex/lost-ack.tcpscn', '--json', '--variant', 'no TIME_WAIT'], std()).stdout,
    ) as Trace;
    assert.equal(picked.variant, 'no TIME_WAIT');
    assert.ok(picked.hazards.some((h) => h.kind === 'reset-close'));
  });
});

describe('tcpscn render', () => {
  it('prints a sequence diagram by default that Mermaid parses', async () => {
    const r = runCli(['render', 'ex/handshake.tcpscn'], std());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^sequenceDiagram\n/);
    assert.equal(await mermaidParse(r.stdout), 'sequence');
  });

  it('prints the timeline and Markdown, and says which variant a diagram shows', async () => {
    const t = runCli(['render', 'ex/lost-ack.tcpscn', '--format', 'timeline'], std());
    assert.equal(t.code, 0);
    assert.equal(await mermaidParse(t.stdout), 'gantt');
    assert.match(t.stderr, /has 2 variants; drawing "default"/);
    const v = runCli(['render', 'ex/lost-ack.tcpscn', '--format=sequence', '--variant', 'no TIME_WAIT'], std());
    assert.equal(v.stderr, '');
    assert.notEqual(v.stdout, runCli(['render', 'ex/lost-ack.tcpscn'], std()).stdout);
    const md = runCli(['render', 'ex/lost-ack.tcpscn', '--format', 'markdown'], std());
    assert.equal(md.code, 0);
    assert.equal((md.stdout.match(/^```mermaid$/gm) ?? []).length, 4, 'both diagrams of both variants');
  });

  it('-o writes the file and prints nothing', () => {
    const d = std();
    const r = runCli(['render', 'ex/handshake.tcpscn', '-o', 'out/h.md', '--format', 'markdown'], d);
    assert.deepEqual(r, { stdout: '', stderr: '', code: 0 });
    assert.match(d.fs.files.get('out/h.md') ?? '', /^# Handshake, data and close\n/);
  });

  it('--format ladder prints a standalone SVG, light by default, dark on request, every variant side by side', () => {
    const r = runCli(['render', 'ex/lost-ack.tcpscn', '--format', 'ladder'], std());
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="ladder ladder-light"/);
    assert.match(r.stdout, /--ladder-bg:#ffffff/);
    assert.deepEqual(xmlProblems(r.stdout), []);
    assert.equal((r.stdout.match(/<g class="panel"/g) ?? []).length, 2, 'both variants fit 1000 px');
    const dark = runCli(['render', 'ex/lost-ack.tcpscn', '--format=ladder', '--theme', 'dark'], std());
    assert.match(dark.stdout, /class="ladder ladder-dark"[\s\S]*--ladder-bg:#0d1117/);
    const one = runCli(['render', 'ex/lost-ack.tcpscn', '-f', 'ladder', '--variant', 'no TIME_WAIT'], std());
    assert.equal((one.stdout.match(/<g class="panel" data-variant="no TIME_WAIT"/g) ?? []).length, 1);
    assert.equal((one.stdout.match(/<g class="panel"/g) ?? []).length, 1);
    const narrow = runCli(['render', 'ex/lost-ack.tcpscn', '-f', 'ladder', '--width', '500'], std());
    assert.equal((narrow.stdout.match(/<g class="panel"/g) ?? []).length, 1, 'one variant at 500 px');
    const d = std();
    assert.equal(runCli(['render', 'ex/handshake.tcpscn', '-f', 'ladder', '-o', 'out/h.svg'], d).code, 0);
    assert.match(d.fs.files.get('out/h.svg') ?? '', /^<svg /);
  });

  it('--format markdown -o writes the ladder SVG beside the report and links it', () => {
    const d = std();
    const r = runCli(['render', 'ex/lost-ack.tcpscn', '-f', 'markdown', '-o', 'out/my report.md'], d);
    assert.equal(r.code, 0);
    const md = d.fs.files.get('out/my report.md') ?? '';
    const svg = d.fs.files.get('out/my report.ladder.svg') ?? '';
    assert.match(svg, /^<svg /);
    assert.equal((svg.match(/<g class="panel"/g) ?? []).length, 2, 'the variants side by side');
    assert.match(md, /^## Ladder\n\n!\[Ladder: [^\]]*\]\(my%20report\.ladder\.svg\)$/m);
    // Without -o there is nowhere to put the SVG: the report has no ladder link.
    const printed = runCli(['render', 'ex/lost-ack.tcpscn', '-f', 'markdown'], std());
    assert.doesNotMatch(printed.stdout, /ladder\.svg/);
  });

  it('exits 1 when the file has errors', () => {
    const r = runCli(['render', 'bad/broken.tcpscn'], std());
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
  });
});

describe('tcpscn test', () => {
  it('runs every .tcpscn file under a directory, one line per file and expectation, counts on the last line', () => {
    const r = runCli(['test', 'ex'], std());
    assert.equal(r.code, 0, r.stdout);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[lines.length - 1], '19 passed, 0 failed');
    assert.deepEqual(lines.filter((l) => !l.startsWith('  ')).slice(0, -1), [
      'ok   ex/handshake.tcpscn (11 passed, 0 failed)',
      'ok   ex/lost-ack.tcpscn (3 passed, 0 failed)',
      'ok   ex/sub/old-dup.tcpscn (5 passed, 0 failed)',
    ]);
    assert.ok(lines.includes('  PASS line 26 [no TIME_WAIT]: expect hazard reset-close'));
  });

  it('counts a file with errors as one failure and a failed expectation as one, and exits 1', () => {
    const r = runCli(['test', 'bad', 'ex/handshake.tcpscn'], std());
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[lines.length - 1], '21 passed, 2 failed');
    assert.match(r.stdout, /^ERROR bad\/broken\.tcpscn:3:\d+: error: /m);
    assert.match(r.stdout, /^FAIL bad\/failing\.tcpscn \(10 passed, 1 failed\)$/m);
    assert.match(r.stdout, /^ {2}FAIL line \d+ \[default\]: expect server LISTEN: /m);
  });

  it('searches the current directory when given nothing, skipping node_modules', () => {
    const r = runCli(['test'], std());
    assert.equal(r.code, 1);
    assert.ok(!r.stdout.includes('node_modules'));
    assert.match(r.stdout, /\n29 passed, 2 failed\n$/);
  });

  it('turns a crash of the core into a failure of that file, not of the run', () => {
    const d = deps({ 'a.tcpscn': 'x', 'b.tcpscn': HANDSHAKE }, (t) => {
      if (t === 'x') throw new Error('boom');
      return analyze(t);
    });
    const r = runCli(['test', '.'], d);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ERROR a\.tcpscn:1:1: error: internal error in tcpscn: boom$/m);
    assert.match(r.stdout, /\n11 passed, 1 failed\n$/);
  });

  it('uses the runs analyze() returns: hand-made traces with a failed expectation', () => {
    const fake: Analysis = {
      scenario: analyze(HANDSHAKE).scenario,
      diagnostics: [],
      runs: [handshakeTrace(), troubleTrace()],
      hasErrors: false,
    };
    const r = runCli(
      ['test', 'f.tcpscn'],
      deps({ 'f.tcpscn': '' }, () => fake),
    );
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ {2}FAIL line 24 \[no TIME_WAIT\]: expect no hazards: hazard old-duplicate at 3\.35s$/m);
    assert.match(r.stdout, /\n3 passed, 1 failed\n$/);
  });
});

describe('the tcpscn process', () => {
  it('runs from the source with the real file system and exit statuses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscn-cli-'));
    try {
      writeFileSync(join(dir, 'h.tcpscn'), HANDSHAKE);
      const node = (args: string[]) =>
        spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src', 'cli.ts'), ...args], {
          cwd: dir,
          encoding: 'utf8',
        });
      const t = node(['test']);
      assert.equal(t.status, 0, t.stderr);
      assert.match(t.stdout, /\n11 passed, 0 failed\n$/);
      const o = node(['render', 'h.tcpscn', '-o', 'h.mmd']);
      assert.equal(o.status, 0, o.stderr);
      assert.match(readFileSync(join(dir, 'h.mmd'), 'utf8'), /^sequenceDiagram\n/);
      const three = join(dir, 'shared');
      mkdirSync(three);
      for (const f of SHARED_EXAMPLE_NAMES) copyFileSync(examplePath(f), join(three, f));
      const shared = node(['test', three]);
      assert.equal(shared.status, 0, shared.stdout + shared.stderr);
      assert.match(shared.stdout, /\n\d+ passed, 0 failed\n$/);
      assert.equal(shared.stdout.split('\n').filter((l) => l.startsWith('ok ')).length, 3);
      const bad = node(['frob']);
      assert.equal(bad.status, 2);
      assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
