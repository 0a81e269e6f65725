// Runs the integration suite in desktop VS Code with `@vscode/test-electron`, on a machine that
// can download VS Code (these build machines cannot: there scripts/test.sh runs the same
// bundle in code-server through test/vscode/run-integration.ts).
//
//   npm run build && node --import tsx test/integration/runElectron.ts [VSCODE_VERSION]
//
// The extension under test is this repository (dist/extension.js); the workspace is a copy
// of the examples, so tests that edit files leave the originals alone.

import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const extensionTestsPath = join(root, 'dist', 'test', 'integration.js');
  if (!existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing: run \`npm run build\``);
  const examples = existsSync(join(root, 'examples'))
    ? join(root, 'examples')
    : resolve(root, '..', 'shared', 'examples');
  const workspace = mkdtempSync(join(tmpdir(), 'tcpscn-itest-'));
  cpSync(examples, workspace, { recursive: true });
  try {
    await runTests({
      version: process.argv[2] ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
