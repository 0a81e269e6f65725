// Starts a real VS Code for the tests: code-server (VS Code server + web workbench), installed
// by scripts/setup-vscode.sh into the cache outside git. Each start gets a fresh user data
// dir and extensions dir under test-output/, the given .vsix files installed the way a user
// installs them (copying a folder into the extensions dir does not work: VS Code removes
// extensions it did not install), and a workspace folder. code-server runs in its own process
// group, which stop() kills as a whole; so does an exit or a signal of this process.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outputRoot = join(repoRoot, 'test-output');

const cacheDir = process.env.TCPSCN_CACHE ?? join(homedir(), '.cache', 'tcpscn');
const node24Bin = join(cacheDir, 'node24', 'node_modules', 'node', 'bin');
const codeServerBin = join(cacheDir, 'code-server', 'node_modules', '.bin', 'code-server');

export interface CodeServer {
  /** This run's folder under test-output/vscode/. */
  root: string;
  /** The workbench's base address, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  port: number;
  /** The workbench with the workspace folder open. */
  folderUrl: string;
  workspace: string;
  extensionsDir: string;
  userDataDir: string;
  logFile: string;
  /** The folder where VS Code unpacked an installed extension (by id, e.g. tcpscn.tcpscn). */
  installedExtensionPath(id: string): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A name for this run's folder under test-output/vscode/ (the process id is appended, so
   *  runs started at once by several people in one tree do not share folders). */
  name: string;
  vsix: string[];
  /** A folder to copy as the workspace (the copy is what VS Code opens and may change). */
  workspaceSource: string;
  env?: Record<string, string>;
  /** Extra command line arguments for code-server. */
  codeServerArgs?: string[];
  /** Extra user settings. */
  settings?: Record<string, unknown>;
}

/**
 * What code-server needs for a release workbench to take VS Code's development options from
 * the address (extensionTestsUrl): without the smoke-test driver it ignores them.
 */
export const DEVELOPMENT_OPTIONS_ARGS = ['--vscode-option', 'enable-smoke-test-driver'];

/**
 * The workbench address that makes the extension host load `testsModule` (a file on the server)
 * and call its `run()`, with the installed tcpscn as the extension under development: the
 * `payload` form of the desktop's --extensionDevelopmentPath / --extensionTestsPath. The server
 * must have been started with DEVELOPMENT_OPTIONS_ARGS.
 */
export function extensionTestsUrl(server: CodeServer, testsModule: string): string {
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(server.installedExtensionPath('tcpscn.tcpscn'))],
    ['extensionTestsPath', remote(testsModule)],
  ];
  return `${server.folderUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** The examples folder to open: examples/ once it exists, else the shared examples. */
export function examplesSource(): string {
  const own = join(repoRoot, 'examples');
  if (existsSync(own) && readdirSync(own).some((f) => f.endsWith('.tcpscn'))) return own;
  const shared = resolve(repoRoot, '..', 'shared', 'examples');
  if (existsSync(shared)) return shared;
  throw new Error('no examples folder: neither examples/ nor ../shared/examples exists');
}

/** The newest .vsix in the repo root (scripts/test.sh packages it before the suites run). */
export function packagedVsix(): string {
  const files = readdirSync(repoRoot).filter((f) => /^tcpscn-.*\.vsix$/.test(f));
  if (files.length === 0) throw new Error('no tcpscn-*.vsix in the repo root: run `npm run package` first');
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const wanted = `tcpscn-${pkg.version}.vsix`;
  if (!files.includes(wanted))
    throw new Error(`${wanted} not found (have ${files.join(', ')}): run \`npm run package\``);
  return join(repoRoot, wanted);
}

function codeServerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${codeServerBin}: run scripts/setup-vscode.sh`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, PATH: `${node24Bin}:${process.env.PATH ?? ''}` };
  // A VS Code launched from a VS Code terminal would otherwise think it is a child of it.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_')) delete env[k];
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

// Whatever ends this process, code-server must not outlive it.
process.on('exit', () => {
  for (const c of running) killGroup(c, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    for (const c of running) killGroup(c, 'SIGKILL');
    process.exit(130);
  });
}

/**
 * Kills code-server's process group once this process is gone, even when it was killed with
 * SIGKILL (a CI timeout) and could run no handler: a detached shell polls our pid.
 */
function watchdog(groupId: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 -${groupId} 2>/dev/null; do sleep 2; done; kill -9 -${groupId} 2>/dev/null; exit 0`;
  const w = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  w.unref();
}

const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  // VS Code 1.10x+ opens an empty secondary side bar (for chat) on the right by default.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

/** Removes the folders of earlier runs whose process has ended (each holds a VS Code profile). */
function pruneOldRuns(name: string): void {
  const dir = join(outputRoot, 'vscode');
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const m = new RegExp(`^${name}-(\\d+)$`).exec(entry);
    if (!m || Number(m[1]) === process.pid) continue;
    let alive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  pruneOldRuns(opts.name);
  const root = join(outputRoot, 'vscode', `${opts.name}-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const workspace = join(root, 'workspace');
  const logFile = join(root, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  cpSync(opts.workspaceSource, workspace, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...opts.settings }, null, 2),
  );
  // code-server writes a default config into ~/.config unless given one; keep it in test-output.
  const config = join(root, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');

  const env = codeServerEnv(opts.env);
  const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of opts.vsix) {
    const r = spawnSync(codeServerBin, [...common, '--force', '--install-extension', vsix], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) {
      throw new Error(`installing ${vsix} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  const port = await freePort();
  const out = openSync(logFile, 'a');
  const child = spawn(
    codeServerBin,
    [
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...(opts.codeServerArgs ?? []),
      '--ignore-last-opened',
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', out, out] },
  );
  running.add(child);
  child.on('exit', () => running.delete(child));
  if (child.pid !== undefined) watchdog(child.pid);

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitForHttp(baseUrl, child, logFile, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    root,
    baseUrl,
    port,
    folderUrl: `${baseUrl}/?folder=${encodeURIComponent(workspace)}`,
    workspace,
    extensionsDir,
    userDataDir,
    logFile,
    installedExtensionPath(id: string) {
      const dir = readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${id.toLowerCase()}-`));
      if (!dir) throw new Error(`extension ${id} is not installed in ${extensionsDir}`);
      return join(extensionsDir, dir);
    },
    stop,
  };
}

async function waitForHttp(url: string, child: ChildProcess, logFile: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}); log:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(url + '/healthz', { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`code-server did not answer at ${url} within ${ms} ms; log:\n${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
