// The layers are enforced by the compiler (tsconfig.json and its tsconfig.<layer>.json): this
// proves the check can fail. Small files, placed in a layer's folder, are compiled with that
// layer's own compiler options, file list and project references, as `tsc -b` compiles them, and
// the test asserts which diagnostics come out: a core file that uses `document`, `process` or
// `vscode`, a webview file that imports from src/extension, an extension file that uses the DOM;
// and, as controls, files that use only what their layer may. The files are held in memory:
// nothing is written to the tree, and no build is needed first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Diag {
  code: number;
  message: string;
}

/**
 * The diagnostics of each file of `probes` (path relative to the root -> text) as files of the
 * layer configured by `config`, compiled together in one program (one program per layer keeps
 * this quick: parsing the libraries is most of the time).
 */
function layerDiagnostics(config: string, probes: Record<string, string>): Record<string, Diag[]> {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, config),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  );
  assert.ok(parsed, `${config} parses`);
  assert.deepEqual(parsed.errors, [], `${config} has no errors`);
  const texts = new Map(Object.entries(probes).map(([rel, text]) => [join(ROOT, rel), text]));
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => texts.has(f) || fileExists(f);
  host.readFile = (f) => texts.get(f) ?? readFile(f);
  host.getSourceFile = (f, lang, onError, shouldCreate) => {
    const text = texts.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile(f, lang, onError, shouldCreate);
  };
  // The referenced layers are read from their sources, as the editor reads them.
  (host as ts.CompilerHost & { useSourceOfProjectReferenceRedirect(): boolean }).useSourceOfProjectReferenceRedirect =
    () => true;
  const program = ts.createProgram({
    rootNames: [...parsed.fileNames, ...texts.keys()],
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host,
  });
  const out: Record<string, Diag[]> = {};
  const toDiag = (d: ts.Diagnostic): Diag => ({
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
  });
  // A file outside the layer's list (TS6307) is reported against the file that imports it.
  const programWide = program.getOptionsDiagnostics();
  for (const rel of Object.keys(probes)) {
    const file = program.getSourceFile(join(ROOT, rel));
    assert.ok(file, `${rel} is in the program`);
    out[rel] = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
      ...programWide.filter((d) => d.file === file),
    ].map(toDiag);
  }
  return out;
}

const codes = (diags: Diag[]): number[] => [...new Set(diags.map((d) => d.code))].sort((a, b) => a - b);

const NEEDS_LIB = 2584; // "Cannot find name 'document'. Do you need to change your target library?"
const NEEDS_NODE_TYPES = 2591; // "Cannot find name 'process'. Do you need to install type definitions for node?"
const NOT_IN_PROJECT = 6307; // "File ... is not listed within the file list of project ..."
const NO_EXPORTED_MEMBER = 2305;
const CANNOT_FIND_MODULE = 2307;

test('a core file may not use document, process, require, node modules or vscode', { timeout: 60_000 }, () => {
  const d = layerDiagnostics('tsconfig.core.json', {
    'src/core/probeDocument.ts': 'export const t = document.title;\n',
    'src/core/probeProcess.ts': 'export const e = process.env;\n',
    'src/core/probeRequire.ts': "export const v = require('vscode');\n",
    'src/core/probeVscode.ts': "import type { Uri } from 'vscode';\nexport type U = Uri;\n",
    'src/core/probeNode.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    // The control: plain ES2022, the core's own modules and the protocol.
    'src/core/probeFine.ts':
      "import { parse } from './parser';\nimport { isToWebview } from '../protocol';\nexport const x = [parse, isToWebview, [1].at(-1)];\n",
  });
  assert.deepEqual(codes(d['src/core/probeDocument.ts']), [NEEDS_LIB]);
  assert.deepEqual(codes(d['src/core/probeProcess.ts']), [NEEDS_NODE_TYPES]);
  assert.deepEqual(codes(d['src/core/probeRequire.ts']), [NEEDS_NODE_TYPES]);
  assert.deepEqual(codes(d['src/core/probeVscode.ts']), [NO_EXPORTED_MEMBER, NOT_IN_PROJECT]);
  assert.match(
    d['src/core/probeVscode.ts'].find((x) => x.code === NOT_IN_PROJECT)!.message,
    /vscode-only-in-src-extension/,
  );
  assert.deepEqual(codes(d['src/core/probeNode.ts']), [CANNOT_FIND_MODULE]);
  assert.deepEqual(d['src/core/probeFine.ts'], []);
});

test('a webview file may not import from src/extension, nor use node or vscode', { timeout: 60_000 }, () => {
  const d = layerDiagnostics('tsconfig.webview.json', {
    'webview/probeExtension.ts':
      "import { makeNonce } from '../src/extension/preview/html';\nexport const n = makeNonce;\n",
    'webview/probeProcess.ts': 'export const e = process.env;\n',
    'webview/probeVscode.ts': "import * as vscode from 'vscode';\nexport const w = vscode.window;\n",
    // The control: the DOM, the protocol and the core are the webview's to use.
    'webview/probeFine.ts':
      "import { isToWebview } from '../src/protocol';\nimport { parse } from '../src/core/parser';\nexport const x = [document.title, isToWebview, parse];\n",
  });
  const fromExtension = d['webview/probeExtension.ts'];
  assert.ok(
    fromExtension.some((x) => x.code === NOT_IN_PROJECT && /src\/extension\/preview\/html\.ts/.test(x.message)),
    JSON.stringify(fromExtension),
  );
  assert.deepEqual(codes(d['webview/probeProcess.ts']), [NEEDS_NODE_TYPES]);
  assert.ok(d['webview/probeVscode.ts'].length > 0, 'vscode is not the webview’s');
  assert.deepEqual(d['webview/probeFine.ts'], []);
});

test('an extension file may use node and vscode but not the DOM', { timeout: 60_000 }, () => {
  const d = layerDiagnostics('tsconfig.host.json', {
    'src/extension/probeDocument.ts': 'export const t = document.title;\n',
    'src/extension/probeFine.ts':
      "import * as vscode from 'vscode';\nimport { readFileSync } from 'node:fs';\nexport const x = [vscode.window, readFileSync, process.env];\n",
  });
  assert.deepEqual(codes(d['src/extension/probeDocument.ts']), [NEEDS_LIB]);
  assert.deepEqual(d['src/extension/probeFine.ts'], []);
});
