// Runs the integration suite (dist/test/integration.js, built from test/integration/) inside
// a real VS Code extension host: code-server with the packaged .vsix installed.
//
// How: VS Code's web workbench takes the same development options the desktop `code` takes
// on its command line, as the `payload` query parameter of its address:
// `extensionDevelopmentPath` and `extensionTestsPath` (as vscode-remote URIs on the server)
// make the remote extension host load the test module and call its `run()` once it starts,
// exactly as `@vscode/test-electron` does on the desktop. The development path is the folder
// VS Code unpacked the installed .vsix into, so what runs is what ships. The extension host
// gets code-server's environment, so TCPSCN_ITEST_RESULTS tells run() where to write one JSON
// line per test; this script follows that file, prints each result, and exits 1 unless every
// test passed. Opening the workbench in Chromium is what starts the extension host.
//
// Usage: node --import tsx test/vscode/run-integration.ts [--vsix FILE] [--grep TEXT]

import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, newWorkbenchPage, screenshot } from './browser';
import {
  DEVELOPMENT_OPTIONS_ARGS,
  examplesSource,
  extensionTestsUrl,
  outputRoot,
  packagedVsix,
  repoRoot,
  startCodeServer,
  tail,
} from './server';

interface Line {
  event: 'start' | 'test' | 'end';
  suite?: string;
  name?: string;
  ok?: boolean;
  ms?: number;
  error?: string;
  passed?: number;
  failed?: number;
  suites?: string[];
}

const SUITE_TIMEOUT_MS = Number(process.env.TCPSCN_ITEST_SUITE_TIMEOUT_MS ?? 10 * 60_000);
const START_TIMEOUT_MS = 120_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const started = Date.now();
  const testsBundle = join(repoRoot, 'dist', 'test', 'integration.js');
  if (!existsSync(testsBundle)) {
    console.error(
      `integration: ${testsBundle} is missing: run \`npm run build\` (test/integration/index.ts must exist)`,
    );
    return 1;
  }
  const vsix = arg('--vsix') ?? packagedVsix();
  const resultsFile = join(outputRoot, `integration-results-${process.pid}.jsonl`);
  const env: Record<string, string> = { TCPSCN_ITEST_RESULTS: resultsFile };
  const grep = arg('--grep');
  if (grep) env.TCPSCN_ITEST_GREP = grep;

  const server = await startCodeServer({
    name: 'integration',
    vsix: [vsix],
    workspaceSource: examplesSource(),
    env,
    codeServerArgs: DEVELOPMENT_OPTIONS_ARGS,
  });
  const browser = await launchBrowser();
  let exitCode = 1;
  try {
    rmSync(resultsFile, { force: true });
    const url = extensionTestsUrl(server, testsBundle);
    const page = await newWorkbenchPage(browser);
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    console.log(
      `integration: code-server ${server.baseUrl} ready after ${((Date.now() - started) / 1000).toFixed(1)} s; opening the workbench`,
    );
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const seen = new Set<number>();
    let end: Line | undefined;
    let passed = 0;
    let failed = 0;
    const deadline = Date.now() + SUITE_TIMEOUT_MS;
    // The extension host calls run() within seconds of the workbench loading; a suite that has
    // not started by then never will (the development options were not taken), so fail early.
    const startDeadline = Date.now() + START_TIMEOUT_MS;
    while (!end && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      if (seen.size === 0 && Date.now() > startDeadline) {
        console.error(`integration: the suite did not start within ${START_TIMEOUT_MS} ms of opening the workbench`);
        break;
      }
      if (!existsSync(resultsFile) || statSync(resultsFile).size === 0) continue;
      const lines = readFileSync(resultsFile, 'utf8').split('\n');
      lines.forEach((text, i) => {
        if (seen.has(i) || !text.endsWith('}')) return;
        seen.add(i);
        const line = JSON.parse(text) as Line;
        if (line.event === 'start') console.log(`integration: running ${line.suites?.join(', ')}`);
        if (line.event === 'test') {
          if (line.ok) passed++;
          else failed++;
          console.log(`${line.ok ? 'ok    ' : 'not ok'} ${line.suite} › ${line.name} (${line.ms} ms)`);
          if (line.error) console.log(line.error.replace(/^/gm, '    '));
        }
        if (line.event === 'end') end = line;
      });
    }
    await screenshot(page, join(outputRoot, 'integration'), `workbench-after-tests-${process.pid}`);
    if (!end) {
      console.error(`integration: the suite did not finish within ${SUITE_TIMEOUT_MS} ms`);
      console.error('--- workbench console (last lines) ---\n' + consoleLines.slice(-30).join('\n'));
      console.error('--- code-server log (last lines) ---\n' + tail(server.logFile));
      failed++;
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`integration: ${passed} passed, ${failed} failed (${secs} s)`);
    exitCode = failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`integration: harness error: ${e instanceof Error ? e.stack : String(e)}`);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
