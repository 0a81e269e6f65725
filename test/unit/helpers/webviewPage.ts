// The preview's webview, built with esbuild and served on 127.0.0.1 to a real Chromium, for
// the browser tests of the preview (preview.browser.test.ts, preview.theme.browser.test.ts).
// Tests that use it are skipped where Chromium is not installed.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { buildHtml, makeNonce } from '../../../src/extension/preview/html';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');

/** `false` when Chromium is there, else the reason the browser tests are skipped. */
export function skipWithoutChromium(why = ''): false | string {
  return existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}${why}`;
}

/** The part of playwright-core's Page the browser tests use. */
export type Page = {
  goto(url: string): Promise<unknown>;
  evaluate<T, A = undefined>(fn: (a: A) => T | Promise<T>, arg?: A): Promise<T>;
  waitForFunction<A>(fn: (a: A) => unknown, arg: A, opts: { timeout: number }): Promise<unknown>;
  addInitScript(script: string | ((a: never) => void), arg?: unknown): Promise<void>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  click(selector: string): Promise<void>;
  on(event: 'pageerror', fn: (e: Error) => void): void;
  close(): Promise<void>;
};
export type Browser = {
  newPage(opts: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
};

/** A VS Code theme as a webview sees it: the body's class and the `--vscode-*` colours set on <html>. */
export interface WebviewTheme {
  name: string;
  bodyClass: string;
  colours: Record<string, string>;
}

export interface WebviewPageOptions {
  /** More entry points to bundle beside webview/main.ts and main.css (served by file name). */
  extraEntries?: string[];
  /** Serves a request itself (returns true) before the webview's own routes. */
  route?: (path: string, res: ServerResponse, base: string) => boolean;
  /** Adjusts the webview's HTML for a request of `/` (e.g. a theme from the query). */
  html?: (html: string, url: URL) => string;
}

export interface WebviewPages {
  /** http://127.0.0.1:PORT, serving the webview at `/` and the bundles by name. */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the webview into a temporary folder, serves it, and starts Chromium. */
export async function startWebviewPages(options: WebviewPageOptions = {}): Promise<WebviewPages> {
  const outdir = mkdtempSync(join(tmpdir(), 'tcpscn-webview-'));
  await esbuild.build({
    entryPoints: [join(ROOT, 'webview', 'main.ts'), join(ROOT, 'webview', 'main.css'), ...(options.extraEntries ?? [])],
    outdir,
    entryNames: '[name]',
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: ['es2022', 'chrome132'],
    logLevel: 'error',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
  });
  let base = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (options.route?.(path, res, base)) return;
    if (path === '/') {
      res.setHeader('content-type', 'text/html');
      const html = buildHtml({
        cspSource: base,
        nonce: makeNonce(),
        scriptUri: `${base}/main.js`,
        styleUri: `${base}/main.css`,
      });
      res.end(options.html ? options.html(html, url) : html);
      return;
    }
    const file = join(outdir, path);
    if (!file.startsWith(outdir) || !existsSync(file)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', extname(file) === '.css' ? 'text/css' : 'text/javascript');
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { chromium } = createRequire(join(ROOT, 'package.json'))('playwright-core') as {
    chromium: { launch(o: object): Promise<Browser> };
  };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      server.close();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/**
 * A new page with what VS Code gives a webview: `acquireVsCodeApi()` (its messages collected in
 * `window.__posted`, its state kept in `window.__state`). Page errors are collected in `errors`.
 */
export async function newWebviewPage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // esbuild's keepNames helper, which evaluate()'d functions may reference.
  await page.addInitScript('window.__name = (f) => f;');
  await page.addInitScript(() => {
    const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => w.__posted.push(m),
      getState: () => w.__state,
      setState: (s: unknown) => (w.__state = s),
    });
  });
  return { page, errors };
}
