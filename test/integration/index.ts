// The integration suite's runner, loaded inside VS Code's extension host. It follows the
// `@vscode/test-electron` convention (a module exporting `run(): Promise<void>` that rejects
// when a test fails), so the same bundle runs under desktop VS Code (runElectron.ts) and
// under code-server here (test/vscode/itest.ts passes it as --extensionTestsPath).
//
// Every test/integration/*.itest.ts exports `tests: Record<string, () => Promise<void>>`;
// esbuild.mjs lists them at build time in the generated module `tcpscn:itests`.
//
// Results are printed one line per test and, when TCPSCN_ITEST_RESULTS names a file, also
// written there as JSON lines, because under code-server the extension host's console is
// not the harness's: the harness reads that file to count and report.

import { appendFileSync, writeFileSync } from 'node:fs';
import { itestModules } from 'tcpscn:itests';

export interface ITestResult {
  suite: string;
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** One test may take this long before it counts as failed (a hang must not stall CI). */
const TEST_TIMEOUT_MS = Number(process.env.TCPSCN_ITEST_TIMEOUT_MS ?? 60_000);

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

/** Runs every test in file order, then name order within a file; never throws. */
export async function runAll(
  onResult: (r: ITestResult) => void = () => {},
  filter: (suite: string, name: string) => boolean = () => true,
): Promise<ITestResult[]> {
  const results: ITestResult[] = [];
  for (const { file, tests } of itestModules) {
    const suite = file.replace(/\.itest\.ts$/, '');
    if (!tests || typeof tests !== 'object') {
      const r: ITestResult = {
        suite,
        name: '(module)',
        ok: false,
        ms: 0,
        error: `${file} exports no \`tests\` record`,
      };
      results.push(r);
      onResult(r);
      continue;
    }
    for (const [name, fn] of Object.entries(tests)) {
      if (!filter(suite, name)) continue;
      const started = Date.now();
      let r: ITestResult;
      try {
        await withTimeout(Promise.resolve().then(fn), TEST_TIMEOUT_MS);
        r = { suite, name, ok: true, ms: Date.now() - started };
      } catch (e) {
        r = { suite, name, ok: false, ms: Date.now() - started, error: describe(e) };
      }
      results.push(r);
      onResult(r);
    }
  }
  return results;
}

export async function run(): Promise<void> {
  const out = process.env.TCPSCN_ITEST_RESULTS;
  const grep = process.env.TCPSCN_ITEST_GREP;
  if (out) writeFileSync(out, JSON.stringify({ event: 'start', suites: itestModules.map((m) => m.file) }) + '\n');
  const results = await runAll(
    (r) => {
      console.log(`${r.ok ? 'ok    ' : 'not ok'} ${r.suite} › ${r.name} (${r.ms} ms)`);
      if (r.error) console.log(r.error.replace(/^/gm, '    '));
      if (out) appendFileSync(out, JSON.stringify({ event: 'test', ...r }) + '\n');
    },
    grep ? (suite, name) => `${suite} › ${name}`.includes(grep) : undefined,
  );
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`integration: ${passed} passed, ${failed} failed`);
  if (out) appendFileSync(out, JSON.stringify({ event: 'end', passed, failed }) + '\n');
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
  if (results.length === 0) throw new Error('no integration tests found');
}
