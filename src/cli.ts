// The `tcpscn` command line tool (package.json `bin`, bundled to dist/cli.js). This file is only
// the I/O shell: the commands live in src/cli/commands.ts as pure functions of the arguments and
// a small file-system interface, and all TCP logic is the core's analyze().

import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { analyze } from './core/index';
import { runCli } from './cli/commands';
import type { CliFs, PathKind } from './cli/io';
import pkg from '../package.json';
import { verifyCommand } from './cli/verify';
import { findAgent } from './verify/agentPath';
import { probeCapability } from './verify/capability';
import { runOnKernel } from './verify/kernel';

const nodeFs: CliFs = {
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text, 'utf8'),
  kind: (path) => kindOf(path),
  list: (dir) =>
    readdirSync(dir, { withFileTypes: true }).map((e) => ({
      name: e.name,
      kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : e.isSymbolicLink() ? kindOf(`${dir}/${e.name}`) : 'missing',
    })),
};

function kindOf(path: string): PathKind {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

async function verify(argv: readonly string[]): Promise<void> {
  const result = await verifyCommand(argv, {
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, data) => writeFileSync(path, data),
    probe: probeCapability,
    runKernel: runOnKernel,
    agentPath: findAgent(),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

function main(): void {
  if (process.argv[2] === 'verify') {
    verify(process.argv.slice(3)).catch((e: unknown) => {
      process.stderr.write(`tcpscn verify: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
    return;
  }
  let result;
  try {
    result = runCli(process.argv.slice(2), { fs: nodeFs, analyze, version: pkg.version });
  } catch (e) {
    process.stderr.write(`tcpscn: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

main();
