// Every snippet, with its placeholders at their defaults, is a valid scenario (or, for a
// one-line fragment, valid once added to a scenario that declares the endpoints it names);
// the complete ones also run with every expectation met.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../../src/core/index';
import { parse } from '../../src/core/parser';

interface Snippet {
  prefix: string | string[];
  body: string[];
  description: string;
}

const snippets = JSON.parse(readFileSync(new URL('../../snippets/tcpscn.json', import.meta.url), 'utf8')) as Record<
  string,
  Snippet
>;

/** The text VS Code inserts when every placeholder keeps its default (a choice: its first option). */
function expandSnippet(body: readonly string[]): string {
  let text = body.join('\n');
  for (let k = 0; k < 5; k++) {
    text = text
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^{}]*)\}/g, '$1')
      .replace(/\$\{\d+\}|\$\d+/g, '');
  }
  return text;
}

/** What a fragment is added to: the endpoints and calls the fragments name. */
const CONTEXT =
  'endpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\n0ms server listen\n0ms client connect server\n';

test('snippets file is well formed', () => {
  assert.ok(Object.keys(snippets).length >= 6);
  for (const [name, s] of Object.entries(snippets)) {
    assert.ok(s.prefix.length > 0 && s.description.length > 0, name);
    assert.ok(Array.isArray(s.body) && s.body.length > 0, name);
  }
  for (const needed of [
    'New scenario',
    'Three-way handshake',
    'Four-segment close',
    'Lost final ACK',
    'Delayed segment',
    'Variant',
  ]) {
    assert.ok(snippets[needed], needed);
  }
});

test('placeholders expand to plain text', () => {
  assert.equal(expandSnippet(['on ${1:server} ${2|A,B|} x$0']), 'on server A x');
});

test('every snippet parses with no errors', () => {
  for (const [name, s] of Object.entries(snippets)) {
    const body = expandSnippet(s.body);
    assert.doesNotMatch(body, /\$\{|\$\d/, `${name}: placeholder left`);
    const complete = /^endpoint /m.test(body);
    const text = complete ? body : CONTEXT + body + '\n';
    const errors = parse(text).diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors, [], `${name}:\n${text}`);
  }
});

test('complete snippets run with every expectation met', () => {
  for (const [name, s] of Object.entries(snippets)) {
    const body = expandSnippet(s.body);
    if (!/^endpoint /m.test(body)) continue;
    const a = analyze(body);
    assert.deepEqual(
      a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}: ${d.message}`),
      [],
      name,
    );
  }
});
