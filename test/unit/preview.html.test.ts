// The preview's HTML: a nonce-only script policy, nothing looser than Mermaid needs, no remote URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildHtml, contentSecurityPolicy, makeNonce } from '../../src/extension/preview/html';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
const parts = {
  cspSource,
  nonce: makeNonce(),
  scriptUri: `${cspSource}/ext/dist/webview/main.js`,
  styleUri: `${cspSource}/ext/dist/webview/main.css`,
};

function cspOf(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta tag');
  const content = m[1].replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
  return new Map(
    content
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values] as [string, string[]];
      }),
  );
}

test('nonces are fresh, long and safe to put in an attribute', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const n = makeNonce();
    assert.match(n, /^[A-Za-z0-9_-]{40,}$/);
    assert.ok(!seen.has(n));
    seen.add(n);
  }
});

test('the CSP allows scripts only by nonce and never eval', () => {
  const csp = cspOf(buildHtml(parts));
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), [`'nonce-${parts.nonce}'`]);
  assert.deepEqual(csp.get('style-src'), [cspSource, "'unsafe-inline'"]);
  assert.deepEqual(csp.get('img-src'), [cspSource, 'data:']);
  assert.deepEqual(csp.get('font-src'), [cspSource]);
  assert.deepEqual([...csp.keys()].sort(), ['default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
  const html = buildHtml(parts);
  assert.ok(!html.includes('unsafe-eval'));
  assert.equal(
    contentSecurityPolicy(cspSource, 'abc'),
    `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'unsafe-inline'; script-src 'nonce-abc'; font-src ${cspSource}`,
  );
});

test('every script tag carries the nonce and loads from the extension', () => {
  const html = buildHtml(parts);
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)];
  assert.equal(scripts.length, 1);
  for (const [, attrs] of scripts) {
    assert.match(attrs, new RegExp(`nonce="${parts.nonce}"`));
    assert.match(attrs, /type="module"/);
    assert.match(attrs, new RegExp(`src="${parts.scriptUri.replace(/[.+]/g, '\\$&')}"`));
  }
  assert.ok(!/<script\b[^>]*>[^<]+<\/script>/.test(html), 'no inline script bodies');
  assert.ok(!/\son[a-z]+=/.test(html), 'no inline event handlers');
});

test('no remote URL appears in the page', () => {
  const html = buildHtml(parts);
  const urls = [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
  for (const u of urls) assert.ok(u.startsWith(cspSource), `unexpected URL ${u}`);
});

test('URIs are quoted so a hostile path cannot break out of the attribute', () => {
  const html = buildHtml({ ...parts, scriptUri: `${cspSource}/a"><script>alert(1)</script>.js` });
  assert.equal([...html.matchAll(/<script\b/g)].length, 1);
  assert.ok(html.includes('&quot;&gt;&lt;script&gt;'));
});

test('the page has the stable element ids the tests and the webview script rely on', () => {
  const html = buildHtml(parts);
  for (const id of [
    'app',
    'toolbar',
    'banner',
    'summary',
    'placeholder',
    'tabs',
    'tab-sequence',
    'tab-timeline',
    'tab-trace',
    'view-sequence',
    'view-timeline',
    'view-trace',
    'sequence',
    'timeline',
    'trace',
    'variant-select',
    'zoom-in',
    'zoom-out',
    'zoom-fit',
    'zoom-reset',
    'window-bar',
    'window-prev',
    'window-next',
    'doc-title',
  ]) {
    assert.ok(html.includes(`id="${id}"`), id);
  }
});

test("no webview code hands a string to the HTML parser of the page (the file's text must go in as text)", () => {
  const dir = join(__dirname, '..', '..', 'webview');
  const sinks =
    /\b(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe)\b|document\.write/;
  // The one allowed parse: Mermaid's SVG into the body of a document with no browsing context,
  // where nothing runs or loads (svgElementFrom; its browser test checks that nothing ran).
  const inertParse = { file: 'renderer.ts', code: 'holder.innerHTML = svg;' };
  const offenders: string[] = [];
  let inertParses = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    text.split('\n').forEach((line, i) => {
      const code = /^\s*(\*|\/\*)/.test(line) ? '' : line.replace(/\/\/.*$/, '').trim(); // comments may name them
      if (f === inertParse.file && code === inertParse.code) {
        inertParses++;
        return;
      }
      if (sinks.test(code)) offenders.push(`webview/${f}:${i + 1}: ${line.trim()}`);
    });
    if (f === inertParse.file) {
      // holder must be the body of the document createHTMLDocument made, never the page's.
      assert.match(
        text,
        /inert \?\?= document\.implementation\.createHTMLDocument\(''\);\s+const holder = inert\.body;/,
      );
    }
  }
  assert.deepEqual(offenders, []);
  assert.equal(inertParses, 1, 'the inert parse is where the test expects it');
});
