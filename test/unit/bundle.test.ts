// The extension bundle keeps out what it loads only at first use (src/extension/lazy.ts): the
// kernel verify command with src/verify's driver (dist/verify.js), the exports with the
// ladder's layout and SVG and the Markdown report (dist/export.js), and completion, hover and
// quick fixes (dist/assist.js). Built here with esbuild.mjs's
// own options, minified as packaged, into memory: an import that pulls one of them back into
// extension.js fails this test, and the bench's goal line (< 200 KB) reports the size.

import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { EXTENSION_ENTRIES, extensionBuildOptions } from '../../esbuild.mjs';

/** Source modules that only the lazily loaded bundles may hold. */
const LAZY_ONLY = [
  /^src\/extension\/verify\/verifyDocument\.ts$/,
  /^src\/cli\//,
  // The capability check stays: it sets tcpscn.canVerify at activation.
  /^src\/verify\/(?!capability\.ts$)/,
  /^src\/extension\/preview\/export\.ts$/,
  /^src\/core\/render\/markdown\.ts$/,
  /^src\/core\/render\/ladder\/(layout|svg|scale|text)\.ts$/,
  /^src\/extension\/language\/(assist|completion|hover|codeActions|lineAssist)\.ts$/,
  /^src\/core\/assist\/(complete|hover|quickFix|lineGrammar|declarationIndex)\.ts$/,
];

test('extension.js leaves verify, export and assist to their own bundles', { timeout: 60_000 }, async () => {
  const result = await esbuild.build({
    ...extensionBuildOptions({ outdir: '/tcpscn-bundle-test', production: true }),
    sourcemap: false,
    write: false,
    logLevel: 'silent',
  });
  const outputs = result.metafile!.outputs;
  const byName = (name: string) => {
    const key = Object.keys(outputs).find((k) => k.endsWith(`/${name}.js`));
    assert.ok(key, `no ${name}.js among ${Object.keys(outputs).join(', ')}`);
    return outputs[key];
  };
  assert.deepEqual(Object.keys(EXTENSION_ENTRIES).sort(), ['assist', 'export', 'extension', 'verify']);

  const main = byName('extension');
  const inputs = Object.keys(main.inputs).map((f) => relative(process.cwd(), f).replaceAll('\\', '/'));
  assert.ok(inputs.includes('src/extension/extension.ts'), inputs.join(', '));
  const leaked = inputs.filter((f) => LAZY_ONLY.some((re) => re.test(f)));
  assert.deepEqual(leaked, [], 'modules of dist/verify.js or dist/export.js inside dist/extension.js');

  // What the lazy bundles are for is in them.
  const verifyInputs = Object.keys(byName('verify').inputs).join(' ');
  assert.match(verifyInputs, /src\/verify\/kernel\.ts/);
  const exportInputs = Object.keys(byName('export').inputs).join(' ');
  assert.match(exportInputs, /src\/core\/render\/ladder\/svg\.ts/);
  assert.match(exportInputs, /src\/core\/render\/markdown\.ts/);
  const assistInputs = Object.keys(byName('assist').inputs).join(' ');
  for (const m of ['complete', 'hover', 'quickFix'])
    assert.match(assistInputs, new RegExp(`src/core/assist/${m}\\.ts`));

  // extension.js loads them by these file names from its own folder (src/extension/lazy.ts).
  const mainFile = result.outputFiles.find((f) => f.path.endsWith('/extension.js'));
  assert.ok(mainFile);
  for (const name of ['verify.js', 'export.js', 'assist.js']) assert.ok(mainFile.text.includes(`"${name}"`), name);
});
