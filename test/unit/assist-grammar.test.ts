// The TextMate grammar, tokenized by the same engine VS Code uses (vscode-textmate with the
// Oniguruma regex library), so a scope asserted here is the colour a user sees.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);
const GRAMMAR_PATH = new URL('../../syntaxes/tcpscn.tmLanguage.json', import.meta.url);
const raw = readFileSync(GRAMMAR_PATH, 'utf8');

let grammarPromise: Promise<textmate.IGrammar> | undefined;
function grammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(new Uint8Array(wasm));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scope: string) =>
        scope === 'source.tcpscn' ? textmate.parseRawGrammar(raw, 'tcpscn.tmLanguage.json') : null,
    });
    const g = await registry.loadGrammar('source.tcpscn');
    assert.ok(g);
    return g;
  })();
  return grammarPromise;
}

/** Each token's text and its innermost scope (without `.tcpscn`), blanks left out. */
async function scopes(line: string): Promise<[string, string][]> {
  const g = await grammar();
  const r = g.tokenizeLine(line, textmate.INITIAL);
  return r.tokens
    .map((t): [string, string] => [
      line.slice(t.startIndex, t.endIndex),
      t.scopes[t.scopes.length - 1].replace(/\.tcpscn$/, ''),
    ])
    .filter(([text]) => text.trim() !== '');
}

async function scopeOf(line: string, word: string): Promise<string | undefined> {
  return (await scopes(line)).find(([text]) => text === word)?.[1];
}

/** Every `match`, `begin` and `end` in the grammar. */
function regexes(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => regexes(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push(v);
      else regexes(v, out);
    }
  }
  return out;
}

test('the grammar is valid JSON with the scope name package.json promises', () => {
  const g = JSON.parse(raw) as { scopeName: string; patterns: unknown[]; repository: Record<string, unknown> };
  assert.equal(g.scopeName, 'source.tcpscn');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    contributes: { grammars: { language: string; scopeName: string; path: string }[] };
  };
  const entry = pkg.contributes.grammars.find((x) => x.language === 'tcpscn');
  assert.equal(entry?.scopeName, 'source.tcpscn');
  assert.equal(entry?.path, './syntaxes/tcpscn.tmLanguage.json');
  // Every include points at a repository entry.
  for (const m of raw.matchAll(/"include": "#([^"]+)"/g)) assert.ok(m[1] in g.repository, `missing #${m[1]}`);
});

test('the committed grammar is what syntaxes/generate.mjs produces', () => {
  const script = new URL('../../syntaxes/generate.mjs', import.meta.url).pathname;
  // The generator imports the vocabulary's TypeScript, so it runs with tsx's loader.
  assert.doesNotThrow(() => execFileSync(process.execPath, ['--import', 'tsx', script, '--check'], { stdio: 'pipe' }));
});

test('every regex compiles in Oniguruma', async () => {
  await grammar();
  const all = regexes(JSON.parse(raw));
  assert.ok(all.length > 20);
  for (const source of all) {
    assert.doesNotThrow(() => new oniguruma.OnigScanner([source]).dispose(), source);
  }
});

test('comments and strings with escapes', async () => {
  const s = await scopes('title "a \\"quoted\\" word" # note');
  assert.deepEqual(s[0], ['title', 'keyword.control.title']);
  assert.ok(s.some(([t, sc]) => t === '\\"' && sc === 'constant.character.escape'));
  assert.ok(s.some(([t, sc]) => t === ' note' && sc === 'comment.line.number-sign'));
  // `#` inside a string is not a comment.
  assert.equal(await scopeOf('title "a # b"', '#'), undefined);
});

test('times, relative times, durations and integers', async () => {
  assert.equal(await scopeOf('250ms client close', '250ms'), 'constant.numeric.duration');
  assert.equal(await scopeOf('1.5s client close', '1.5s'), 'constant.numeric.duration');
  assert.equal(await scopeOf('2min client close', '2min'), 'constant.numeric.duration');
  const rel = await scopes('+100ms client close');
  assert.deepEqual(rel.slice(0, 2), [
    ['+', 'keyword.operator.relative'],
    ['100ms', 'constant.numeric.time.relative'],
  ]);
  assert.equal(await scopeOf('0ms client send 200', '200'), 'constant.numeric.integer');
});

test('states in any case and with - or _', async () => {
  for (const st of ['TIME_WAIT', 'time-wait', 'Fin_Wait_1', 'CLOSE_WAIT', 'syn-received']) {
    assert.equal(await scopeOf(`on client ${st} client close`, st), 'constant.language.state', st);
    assert.equal(await scopeOf(`expect client ${st}`, st), 'constant.language.state', st);
  }
  // `listen` after an actor is the verb, after `on NAME` the state.
  assert.equal(await scopeOf('0ms server listen', 'listen'), 'entity.name.function.verb');
  assert.equal(await scopeOf('on server listen client connect server', 'listen'), 'constant.language.state');
});

test('keywords, verbs, endpoints, arrows, flags, match words', async () => {
  const s = await scopes('on client TIME_WAIT net drop client->server ACK pure-ack count 2');
  assert.deepEqual(s, [
    ['on', 'keyword.control.on'],
    ['client', 'variable.other.endpoint'],
    ['TIME_WAIT', 'constant.language.state'],
    ['net', 'keyword.control.net'],
    ['drop', 'keyword.other.rule'],
    ['client', 'variable.other.endpoint'],
    ['->', 'keyword.operator.arrow'],
    ['server', 'variable.other.endpoint'],
    ['ACK', 'constant.language.flag'],
    ['pure-ack', 'keyword.other'],
    ['count', 'keyword.other'],
    ['2', 'constant.numeric.integer'],
  ]);
  assert.deepEqual(await scopes('10ms client connect server'), [
    ['10ms', 'constant.numeric.duration'],
    ['client', 'variable.other.endpoint'],
    ['connect', 'entity.name.function.verb'],
    ['server', 'variable.other.endpoint'],
  ]);
  assert.equal(await scopeOf('1s net inject a->b rst seq=5', 'rst'), 'constant.language.flag');
  assert.equal(await scopeOf('1s net inject a->b rst seq=5', 'seq'), 'variable.parameter.field');
});

test('error codes, hazard kinds, options and values', async () => {
  assert.equal(
    await scopeOf('expect passerby error EADDRINUSE in "default"', 'EADDRINUSE'),
    'support.constant.error-code',
  );
  assert.equal(
    await scopeOf('expect hazard time-wait-assassination', 'time-wait-assassination'),
    'support.constant.hazard',
  );
  assert.equal(await scopeOf('expect no hazard old-duplicate', 'old-duplicate'), 'support.constant.hazard');
  assert.equal(await scopeOf('set msl = 2s', 'msl'), 'variable.parameter.option');
  assert.equal(await scopeOf('set rfc1337 = on', 'on'), 'constant.language.value');
  assert.equal(await scopeOf('variant "x" isn = clock, rto = 2s', 'clock'), 'constant.language.value');
  assert.equal(await scopeOf('variant "x" isn = clock, rto = 2s', 'rto'), 'variable.parameter.option');
});

test('endpoint declarations and addresses:ports', async () => {
  assert.deepEqual(await scopes('endpoint client 10.0.0.1:5000 isn=1000 reuse'), [
    ['endpoint', 'keyword.control.endpoint'],
    ['client', 'entity.name.type.endpoint'],
    ['10.0.0.1', 'constant.other.address.ipv4'],
    [':', 'punctuation.separator.port'],
    ['5000', 'constant.numeric.port'],
    ['isn', 'variable.parameter.field'],
    ['=', 'keyword.operator.assignment'],
    ['1000', 'constant.numeric.integer'],
    ['reuse', 'storage.modifier.reuse'],
  ]);
  assert.equal(await scopeOf('endpoint s [fd00::1]:80', '[fd00::1]'), 'constant.other.address.ipv6');
});

test('an example file tokenizes with states, durations, comments and strings where expected', async () => {
  const g = await grammar();
  const text = `# Why TIME_WAIT exists
title "TIME_WAIT answers a retransmitted FIN"
set msl = 2s
endpoint client 10.0.0.1:5000
endpoint server 10.0.0.2:80
0ms    server listen
10ms   client connect server
on client TIME_WAIT net drop client->server ACK   # the final ACK never arrives
variant "no TIME_WAIT" time_wait = 0
1.5s expect server CLOSED in "default"`;
  let stack = textmate.INITIAL;
  const seen = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      const scope = t.scopes[t.scopes.length - 1];
      const list = seen.get(scope) ?? [];
      list.push(line.slice(t.startIndex, t.endIndex));
      seen.set(scope, list);
    }
  }
  assert.deepEqual(seen.get('constant.language.state.tcpscn'), ['TIME_WAIT', 'CLOSED']);
  assert.deepEqual(seen.get('constant.numeric.duration.tcpscn'), ['2s', '0ms', '10ms', '1.5s']);
  assert.equal(seen.get('comment.line.number-sign.tcpscn')?.length, 2);
  assert.ok(seen.get('string.quoted.double.tcpscn')?.includes('no TIME_WAIT'));
});

test('language configuration: # comments, quote pairs, words with - that stop before ->', () => {
  const conf = JSON.parse(readFileSync(new URL('../../language-configuration.json', import.meta.url), 'utf8')) as {
    comments: { lineComment: string };
    autoClosingPairs: { open: string; close: string }[];
    surroundingPairs: [string, string][];
    wordPattern: string;
  };
  assert.equal(conf.comments.lineComment, '#');
  assert.ok(conf.autoClosingPairs.some((p) => p.open === '"' && p.close === '"'));
  assert.ok(conf.surroundingPairs.some(([a, b]) => a === '"' && b === '"'));
  const words = 'on client time-wait net drop client->server pure-ack +250ms FIN_WAIT_1'.match(
    new RegExp(conf.wordPattern, 'g'),
  );
  assert.deepEqual(words, [
    'on',
    'client',
    'time-wait',
    'net',
    'drop',
    'client',
    'server',
    'pure-ack',
    '+250ms',
    'FIN_WAIT_1',
  ]);
});
