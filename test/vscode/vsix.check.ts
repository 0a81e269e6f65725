// Checks what the packaged .vsix holds: exactly what runs (bundles, language files, media,
// docs), nothing else (no sources, source maps, tests or node_modules), and that every file
// the manifest points at is inside. Reads the zip's central directory itself so the check
// needs no unzip program.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { packagedVsix } from './server';

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

function readZip(buf: Buffer): Entry[] {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'broken central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), method, compressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function contents(buf: Buffer, e: Entry): Buffer {
  const nameLen = buf.readUInt16LE(e.localOffset + 26);
  const extraLen = buf.readUInt16LE(e.localOffset + 28);
  const start = e.localOffset + 30 + nameLen + extraLen;
  const raw = buf.subarray(start, start + e.compressedSize);
  return e.method === 0 ? raw : inflateRawSync(new Uint8Array(raw));
}

const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/language-configuration\.json$/,
  /^extension\/docs\/language\.md$/,
  /^extension\/dist\/extension\.js$/,
  // Loaded by extension.js when their command first runs (src/extension/lazy.ts).
  /^extension\/dist\/(verify|export|assist)\.js$/,
  /^extension\/dist\/analysisWorker\.js$/,
  /^extension\/dist\/cli\.js$/,
  /^extension\/dist\/netns_agent\.py$/,
  /^extension\/dist\/webview\/[^/]+\.(js|css)$/,
  /^extension\/dist\/webview\/chunks\/[^/]+\.(js|css)$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/snippets\/[^/]+\.json$/,
  /^extension\/media\/[^/]+\.(png|svg)$/,
  // What "Start from an example" and the walkthrough open (src/extension/language/examples.ts).
  /^extension\/examples\/(handshake-and-close|lost-syn|time-wait-lost-final-ack|time-wait-old-duplicate)\.tcpscn$/,
  /^extension\/media\/walkthrough\/[^/]+\.md$/,
];

const vsix = packagedVsix();
const buf = readFileSync(vsix);
const entries = readZip(buf);
const names = entries.map((e) => e.name);

test('the vsix holds only what runs', () => {
  const unexpected = names.filter((n) => !ALLOWED.some((re) => re.test(n)));
  assert.deepEqual(unexpected, [], `unexpected files in ${vsix}`);
  assert.ok(!names.some((n) => n.endsWith('.map') || n.endsWith('.ts') || n.includes('node_modules/')));
});

test('the vsix holds every file that runs', () => {
  for (const required of [
    'extension/package.json',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/dist/extension.js',
    'extension/dist/verify.js',
    'extension/dist/export.js',
    'extension/dist/assist.js',
    'extension/dist/analysisWorker.js',
    'extension/dist/cli.js',
    // tcpscn verify's namespace agent (run by python3; see src/verify/helper/netns_agent.py)
    'extension/dist/netns_agent.py',
    'extension/dist/webview/main.js',
    'extension/language-configuration.json',
    'extension/examples/handshake-and-close.tcpscn',
    'extension/examples/lost-syn.tcpscn',
    'extension/examples/time-wait-lost-final-ack.tcpscn',
    'extension/examples/time-wait-old-duplicate.tcpscn',
    'extension/media/walkthrough/example.md',
  ]) {
    assert.ok(
      names.some((n) => n.toLowerCase() === required.toLowerCase()),
      `${required} missing from ${vsix}`,
    );
  }
  assert.ok(
    names.some((n) => n.startsWith('extension/dist/webview/chunks/')),
    'no webview chunks',
  );
  assert.ok(
    names.some((n) => /^extension\/LICENSE/.test(n)),
    'no LICENSE',
  );
});

test('every path the manifest names is inside the vsix', () => {
  const entry = entries.find((e) => e.name === 'extension/package.json');
  assert.ok(entry);
  const manifest = JSON.parse(contents(buf, entry).toString('utf8')) as {
    main: string;
    icon?: string;
    contributes?: {
      languages?: { configuration?: string; icon?: { light: string; dark: string } }[];
      grammars?: { path: string }[];
      snippets?: { path: string }[];
    };
  };
  const paths = [manifest.main, manifest.icon];
  for (const l of manifest.contributes?.languages ?? []) paths.push(l.configuration, l.icon?.light, l.icon?.dark);
  for (const g of manifest.contributes?.grammars ?? []) paths.push(g.path);
  for (const s of manifest.contributes?.snippets ?? []) paths.push(s.path);
  for (const p of paths) {
    if (!p) continue;
    const inZip = `extension/${p.replace(/^\.\//, '')}`;
    assert.ok(names.includes(inZip), `the manifest names ${p}, which is not in the vsix`);
  }
});

test('the bundled command line tool starts with a hashbang', () => {
  const cli = entries.find((e) => e.name === 'extension/dist/cli.js');
  assert.ok(cli);
  assert.ok(contents(buf, cli).toString('utf8', 0, 40).startsWith('#!/usr/bin/env node'));
});

test('every module the webview bundle imports is inside the vsix', () => {
  // The webview is split into chunks loaded on demand; a missing one breaks the preview only
  // when a diagram of that kind is first drawn, so check every static and dynamic import.
  const webview = entries.filter((e) => /^extension\/dist\/webview\/.*\.js$/.test(e.name));
  assert.ok(webview.length > 1);
  const missing: string[] = [];
  let imports = 0;
  for (const e of webview) {
    const js = contents(buf, e).toString('utf8');
    const dir = e.name.slice(0, e.name.lastIndexOf('/'));
    for (const m of js.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      const parts = `${dir}/${m[1]}`.split('/');
      const resolved: string[] = [];
      for (const p of parts) {
        if (p === '.' || p === '') continue;
        if (p === '..') resolved.pop();
        else resolved.push(p);
      }
      const target = resolved.join('/');
      imports += 1;
      if (!names.includes(target)) missing.push(`${e.name} imports ${m[1]}`);
    }
  }
  assert.ok(imports > 0, 'no imports between webview modules found: has the bundle format changed?');
  assert.deepEqual(missing, []);
});

test('every bundle extension.js loads beside itself is inside the vsix', () => {
  // The analysis worker and the parts loaded at first use (src/extension/lazy.ts) are named in
  // extension.js by their file name in dist/ (the webview's entry, by its name in dist/webview/);
  // a missing one breaks its command only when it runs.
  const main = entries.find((e) => e.name === 'extension/dist/extension.js');
  assert.ok(main);
  const js = contents(buf, main).toString('utf8');
  const named = [...new Set([...js.matchAll(/["']([A-Za-z]\w*\.js)["']/g)].map((m) => m[1]))];
  for (const lazy of ['analysisWorker.js', 'verify.js', 'export.js', 'assist.js'])
    assert.ok(named.includes(lazy), lazy);
  const missing = named.filter(
    (f) => !names.includes(`extension/dist/${f}`) && !names.includes(`extension/dist/webview/${f}`),
  );
  assert.deepEqual(missing, []);
});
