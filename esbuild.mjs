// Builds every runnable piece of tcpscn with esbuild:
//   extension  src/extension/extension.ts -> dist/extension.js      (CJS, Node, `vscode` external)
//              and the parts it loads at first use (EXTENSION_ENTRIES): dist/verify.js, dist/export.js,
//              dist/assist.js
//   cli        src/cli.ts                 -> dist/cli.js            (CJS, Node, executable)
//   worker     src/extension/analysisWorker.ts -> dist/analysisWorker.js (CJS, Node: large files are analysed off the extension host)
//   webview    webview/main.ts (+ .css)   -> dist/webview/          (ESM, browser, split chunks)
//   itests     test/integration/index.ts  -> dist/test/integration.js (CJS, `vscode` external)
//
// Usage: node esbuild.mjs [--production] [--watch] [--only=extension,worker,cli,webview,itests]
//   --production  minify (the packaged .vsix is built this way); also NODE_ENV=production
//   --watch       rebuild on change until Ctrl+C
//
// The integration suite is the only optional entry: its files arrive from several people and
// the build says so and goes on when it is missing. The product entries must exist.

import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const production = args.includes('--production') || process.env.NODE_ENV === 'production';
const watch = args.includes('--watch');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;

const at = (...p) => join(root, ...p);
const log = (msg) => console.log(`[esbuild] ${msg}`);

// VS Code 1.99 runs Electron 34 (Chromium 132, Node 20): the webview gets ES2022 syntax as is.
const webviewTarget = ['es2022', 'chrome132'];
const nodeTarget = 'node20';

/** Generates `tcpscn:itests`: one import per test/integration/*.itest.ts, found at build time. */
const itestsPlugin = {
  name: 'tcpscn-itests',
  setup(build) {
    build.onResolve({ filter: /^tcpscn:itests$/ }, () => ({ path: 'itests', namespace: 'tcpscn-itests' }));
    build.onLoad({ filter: /.*/, namespace: 'tcpscn-itests' }, () => {
      const dir = at('test', 'integration');
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.itest.ts'))
        .sort();
      const lines = files.map((f, i) => `import * as m${i} from ${JSON.stringify('./' + f)};`);
      lines.push(
        `export const itestModules = [${files
          .map((f, i) => `{ file: ${JSON.stringify(f)}, tests: m${i}.tests }`)
          .join(', ')}];`,
      );
      return {
        contents: lines.join('\n'),
        resolveDir: dir,
        loader: 'js',
        watchFiles: files.map((f) => join(dir, f)),
        watchDirs: [dir],
      };
    });
  },
};

/** Reports each build's result in one line (also in watch mode, where builds repeat). */
const reportPlugin = (name) => ({
  name: 'report',
  setup(build) {
    let started = 0;
    build.onStart(() => {
      started = Date.now();
    });
    build.onEnd((result) => {
      const ms = Date.now() - started;
      if (result.errors.length) log(`${name}: ${result.errors.length} error(s)`);
      else log(`${name}: built in ${ms} ms${production ? ' (minified)' : ''}`);
    });
  },
});

/** Deletes files under `dir` that the build `result` (built with a metafile) did not write. */
function removeStaleOutputs(dir, result) {
  if (!result?.metafile) return;
  const written = new Set(Object.keys(result.metafile.outputs).map((f) => join(root, f)));
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!written.has(full)) rmSync(full, { force: true });
    }
  };
  if (existsSync(dir)) walk(dir);
}

function cliBanner() {
  // esbuild keeps an entry's own hashbang; add one only when the source has none.
  const src = at('src', 'cli.ts');
  return existsSync(src) && readFileSync(src, 'utf8').startsWith('#!') ? undefined : { js: '#!/usr/bin/env node' };
}

function webviewEntries() {
  const entries = [at('webview', 'main.ts')];
  const css = at('webview', 'main.css');
  // When main.ts imports its stylesheet esbuild already writes dist/webview/main.css;
  // listing it again as an entry would make two outputs with one path.
  const mainTs = at('webview', 'main.ts');
  const importsCss = existsSync(mainTs) && /['"]\.\/main\.css['"]/.test(readFileSync(mainTs, 'utf8'));
  if (existsSync(css) && !importsCss) entries.push(css);
  return entries;
}

const common = {
  bundle: true,
  metafile: true,
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

/**
 * The extension host's bundles, by output name in dist/: extension.js, loaded at activation, and
 * the rarely used parts it `require`s when a command first needs them (src/extension/lazy.ts
 * names them). Each is a whole bundle: esbuild's code splitting needs ESM, and VS Code loads the
 * extension as CommonJS. test/unit/bundle.test.ts checks that extension.js keeps them out.
 */
export const EXTENSION_ENTRIES = {
  extension: 'src/extension/extension.ts',
  verify: 'src/extension/verify/verifyDocument.ts',
  export: 'src/extension/preview/export.ts',
  assist: 'src/extension/language/assist.ts',
};

/** esbuild's options for the extension host's bundles, written to `outdir`; `production` minifies. */
export function extensionBuildOptions({ outdir = at('dist'), production: forProduction = production } = {}) {
  return {
    ...common,
    minify: forProduction,
    define: { 'process.env.NODE_ENV': JSON.stringify(forProduction ? 'production' : 'development') },
    entryPoints: Object.fromEntries(Object.entries(EXTENSION_ENTRIES).map(([name, src]) => [name, at(src)])),
    outdir,
    format: 'cjs',
    platform: 'node',
    target: nodeTarget,
    external: ['vscode'],
  };
}

const targets = [
  {
    name: 'extension',
    required: true,
    entry: at('src', 'extension', 'extension.ts'),
    options: () => extensionBuildOptions(),
  },
  {
    name: 'worker',
    required: true,
    entry: at('src', 'extension', 'analysisWorker.ts'),
    options: () => ({
      ...common,
      entryPoints: [at('src', 'extension', 'analysisWorker.ts')],
      outfile: at('dist', 'analysisWorker.js'),
      format: 'cjs',
      platform: 'node',
      target: nodeTarget,
    }),
  },
  {
    name: 'cli',
    required: true,
    entry: at('src', 'cli.ts'),
    options: () => ({
      ...common,
      entryPoints: [at('src', 'cli.ts')],
      outfile: at('dist', 'cli.js'),
      format: 'cjs',
      platform: 'node',
      target: nodeTarget,
      banner: cliBanner(),
    }),
    // The namespace agent of `tcpscn verify` is run by python3, next to the bundle that starts it.
    after: () => {
      chmodSync(at('dist', 'cli.js'), 0o755);
      copyFileSync(at('src', 'verify', 'helper', 'netns_agent.py'), at('dist', 'netns_agent.py'));
    },
  },
  {
    name: 'webview',
    required: true,
    entry: at('webview', 'main.ts'),
    // Chunk names carry a content hash: old chunks would pile up and be packaged into the
    // .vsix. They are removed after a build (not before: others may be loading or packaging
    // the previous build from the same folder meanwhile).
    after: (result) => removeStaleOutputs(at('dist', 'webview'), result),
    options: () => ({
      ...common,
      entryPoints: webviewEntries(),
      outdir: at('dist', 'webview'),
      format: 'esm',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      platform: 'browser',
      target: webviewTarget,
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
    }),
  },
  {
    name: 'itests',
    required: false,
    entry: at('test', 'integration', 'index.ts'),
    options: () => ({
      ...common,
      entryPoints: [at('test', 'integration', 'index.ts')],
      outfile: at('dist', 'test', 'integration.js'),
      format: 'cjs',
      platform: 'node',
      target: nodeTarget,
      external: ['vscode'],
      minify: false,
      plugins: [itestsPlugin],
    }),
  },
];

async function main() {
  const chosen = targets.filter((t) => !only || only.has(t.name));
  const missing = [];
  const runnable = [];
  for (const t of chosen) {
    if (existsSync(t.entry)) runnable.push(t);
    else if (t.required) missing.push(t);
    else log(`${t.name}: SKIPPED, ${relative(root, t.entry)} does not exist yet`);
  }
  if (missing.length) {
    for (const t of missing) console.error(`[esbuild] ${t.name}: MISSING entry ${relative(root, t.entry)}`);
    process.exit(1);
  }
  if (watch) {
    for (const t of runnable) {
      const opts = t.options();
      const after = t.after;
      const plugins = [...(opts.plugins ?? []), reportPlugin(t.name)];
      if (after)
        plugins.push({ name: 'after', setup: (b) => b.onEnd((r) => (r.errors.length ? undefined : after(r))) });
      const ctx = await esbuild.context({ ...opts, plugins });
      await ctx.watch();
    }
    log('watching for changes (Ctrl+C to stop)');
    return;
  }
  let failed = false;
  await Promise.all(
    runnable.map(async (t) => {
      const opts = t.options();
      const started = Date.now();
      try {
        const result = await esbuild.build(opts);
        t.after?.(result);
        log(`${t.name}: built in ${Date.now() - started} ms${production ? ' (minified)' : ''}`);
      } catch {
        failed = true;
        console.error(`[esbuild] ${t.name}: FAILED (errors above)`);
      }
    }),
  );
  if (failed) process.exit(1);
}

// Run as a program (`node esbuild.mjs`); imported (the bench, a unit test), it only lends its options.
// No top-level await: a TypeScript caller run by tsx loads this file as CommonJS.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
