// Sizes of what ships: the extension bundle, the webview bundle (entry, CSS, every chunk, and
// what a page actually loads is measured by the webview bench), and the .vsix.
//
// `dist/` may hold a development build (not minified) made by whoever built last, so the
// packaged sizes are measured on a production build of our own, made with esbuild.mjs's
// options (minified) into a temporary folder, and a .vsix packed from a staging copy of the
// package's files with that build, so nothing in the shared tree changes.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { extensionBuildOptions } from '../esbuild.mjs';

export interface Sizes {
  devExtensionBytes: number | null;
  devWebviewEntryBytes: number | null;
  production: {
    extensionBytes: number;
    /** The bundles extension.js loads when their command first runs (src/extension/lazy.ts). */
    verifyBytes: number;
    exportBytes: number;
    assistBytes: number;
    cliBytes: number;
    webviewEntryBytes: number;
    webviewCssBytes: number;
    webviewJsTotalBytes: number;
    webviewChunks: number;
  } | null;
  vsix: { bytes: number; files: number; note: string } | null;
  errors: string[];
}

function size(p: string): number | null {
  return existsSync(p) ? statSync(p).size : null;
}

function jsBytesUnder(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = join(dir, rel);
    if (rel.endsWith('.js') && statSync(p).isFile()) {
      bytes += statSync(p).size;
      files++;
    }
  }
  return { bytes, files };
}

async function productionBuild(root: string, out: string): Promise<void> {
  const common = {
    bundle: true,
    minify: true,
    sourcemap: false,
    logLevel: 'error',
    absWorkingDir: root,
    define: { 'process.env.NODE_ENV': '"production"' },
  } as const;
  await Promise.all([
    // extension.js and the bundles it loads at first use, with esbuild.mjs's own options.
    esbuild.build({
      ...extensionBuildOptions({ outdir: join(out, 'dist'), production: true }),
      sourcemap: false,
      logLevel: 'error',
    }),
    esbuild.build({
      ...common,
      entryPoints: [join(root, 'src/cli.ts')],
      outfile: join(out, 'dist/cli.js'),
      format: 'cjs',
      platform: 'node',
      target: 'node20',
    }),
    // The analysis worker ships next to extension.js: without it a large document gets no analysis.
    esbuild.build({
      ...common,
      entryPoints: [join(root, 'src/extension/analysisWorker.ts')],
      outfile: join(out, 'dist/analysisWorker.js'),
      format: 'cjs',
      platform: 'node',
      target: 'node20',
    }),
    esbuild.build({
      ...common,
      entryPoints: [join(root, 'webview/main.ts')],
      outdir: join(out, 'dist/webview'),
      format: 'esm',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      platform: 'browser',
      target: ['es2022', 'chrome132'],
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
    }),
  ]);
  const css = join(root, 'webview/main.css');
  if (existsSync(css) && !existsSync(join(out, 'dist/webview/main.css'))) {
    await esbuild.build({ ...common, entryPoints: [css], outfile: join(out, 'dist/webview/main.css') });
  }
}

/** Packs a .vsix from a staging copy: package.json and the contributed files, with our build. */
function packVsix(root: string, stage: string): { bytes: number; files: number; note: string } {
  for (const f of [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    '.vscodeignore',
    'language-configuration.json',
    'media',
    'syntaxes',
    'snippets',
    // What "Start from an example" opens and the language reference (.vscodeignore picks the files).
    'examples',
    'docs',
  ]) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  }
  // tcpscn verify's namespace agent, copied beside the bundles by esbuild.mjs.
  cpSync(join(root, 'src/verify/helper/netns_agent.py'), join(stage, 'dist/netns_agent.py'));
  const vsce = join(root, 'node_modules/@vscode/vsce/vsce');
  const out = join(stage, 'bench.vsix');
  const args = [
    vsce,
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--skip-license',
    '--allow-star-activation',
    '--no-rewrite-relative-links',
    '-o',
    out,
  ];
  const log = execFileSync(process.execPath, args, {
    cwd: stage,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const files = Number(/\((\d+) files/.exec(log)?.[1] ?? NaN);
  const note = existsSync(join(root, '.vscodeignore'))
    ? 'with the project .vscodeignore'
    : 'no .vscodeignore yet: everything staged is packed (dist without source maps, media, syntaxes, snippets)';
  return { bytes: statSync(out).size, files, note };
}

/**
 * Measures the sizes; with `keepVsixAt`, the packed .vsix (production build, as a user gets
 * it) is copied there for the VS Code bench.
 */
export async function measureSizes(root: string, withVsix: boolean, keepVsixAt?: string): Promise<Sizes> {
  const errors: string[] = [];
  const result: Sizes = {
    devExtensionBytes: size(join(root, 'dist/extension.js')),
    devWebviewEntryBytes: size(join(root, 'dist/webview/main.js')),
    production: null,
    vsix: null,
    errors,
  };
  const stage = mkdtempSync(join(tmpdir(), 'tcpscn-bench-'));
  try {
    mkdirSync(join(stage, 'dist'), { recursive: true });
    await productionBuild(root, stage);
    const wv = jsBytesUnder(join(stage, 'dist/webview/chunks'));
    const entry = size(join(stage, 'dist/webview/main.js')) ?? 0;
    result.production = {
      extensionBytes: size(join(stage, 'dist/extension.js')) ?? 0,
      verifyBytes: size(join(stage, 'dist/verify.js')) ?? 0,
      exportBytes: size(join(stage, 'dist/export.js')) ?? 0,
      assistBytes: size(join(stage, 'dist/assist.js')) ?? 0,
      cliBytes: size(join(stage, 'dist/cli.js')) ?? 0,
      webviewEntryBytes: entry,
      webviewCssBytes: size(join(stage, 'dist/webview/main.css')) ?? 0,
      webviewJsTotalBytes: entry + wv.bytes,
      webviewChunks: wv.files,
    };
    if (withVsix) {
      try {
        result.vsix = packVsix(root, stage);
        if (keepVsixAt) {
          mkdirSync(dirname(keepVsixAt), { recursive: true });
          cpSync(join(stage, 'bench.vsix'), keepVsixAt);
        }
      } catch (e) {
        errors.push(
          `vsce package failed: ${e instanceof Error ? e.message.split('\n').slice(0, 6).join(' | ') : String(e)}`,
        );
      }
    }
  } catch (e) {
    errors.push(
      `production build failed: ${e instanceof Error ? e.message.split('\n').slice(0, 6).join(' | ') : String(e)}`,
    );
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return result;
}
