// Writes the tables of the language reference (docs/language.md) from the one vocabulary
// (src/core/vocabulary.ts): options, calls, network rules and match words, endpoint options,
// states, flags, error codes, hazards, time units and the parser's diagnostic codes. Each
// table sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; the prose
// around them is written by hand. Run: npm run docs (`--check` fails when the page is stale;
// test/unit/docs-reference.test.ts does the same check).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARSER_DIAGNOSTIC_CODES } from '../src/core/parser';
import {
  ENDPOINT_OPTIONS,
  ENDPOINT_OPTION_DOCS,
  ERROR_CODES,
  ERROR_DOCS,
  FLAGS,
  FLAG_DOCS,
  HAZARD_DOCS,
  HAZARD_KINDS,
  INJECT_FIELDS,
  KEYWORD_DOCS,
  MATCH_DOCS,
  NET_CLAUSES,
  NET_RULES,
  MATCH_WORDS,
  OPTION_TABLE,
  PROFILES,
  STATE_DOCS,
  TCP_STATES,
  TIME_UNITS,
  VERBS,
  VERB_DOCS,
  VERB_FORMS,
  formatOptionValue,
  optionDefault,
  optionRange,
  type DocEntry,
} from '../src/core/vocabulary';

/** A Markdown table cell: one line, `|` escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** The word, what it is, and what it means (with the RFC where there is one). */
function wordRows(words: readonly string[], docs: Readonly<Record<string, DocEntry>>, code = (w: string) => w) {
  return words.map((w) => {
    const d = docs[w]!;
    return [`\`${code(w)}\``, d.summary, d.detail + (d.rfc ? ` (${d.rfc})` : '')];
  });
}

/** Every generated table of the reference, by marker name. */
export function referenceTables(): Record<string, string> {
  const other = PROFILES.filter((p) => p !== 'rfc');
  const options = table(
    ['option', 'value', 'range', ...PROFILES.map((p) => `default (\`${p}\`)`), 'meaning', 'RFC', 'Linux'],
    OPTION_TABLE.map((o) => [
      `\`${o.name}\``,
      o.kind === 'on-off' || o.kind === 'enum' ? 'word' : o.kind,
      optionRange(o),
      `\`${formatOptionValue(o, optionDefault(o, 'rfc'))}\``,
      ...other.map((p) => `\`${formatOptionValue(o, optionDefault(o, p))}\``),
      o.detail,
      o.rfc ?? '',
      o.linux ? `\`${o.linux}\`` : '',
    ]),
  );
  const verbs = table(
    ['call', 'what it is', 'what it does'],
    VERBS.map((v) => {
      const d = VERB_DOCS[v];
      return [`\`${VERB_FORMS[v]}\``, d.summary, `${d.detail} (${d.rfc})`];
    }),
  );
  const rules = table(
    ['rule', 'what it does', 'how it is written'],
    NET_RULES.map((r) => [`\`${r}\``, KEYWORD_DOCS[r]!.summary, KEYWORD_DOCS[r]!.detail]),
  );
  const clauses = Object.values(NET_CLAUSES) as string[];
  const matchWords = [...new Set<string>([...MATCH_WORDS, ...INJECT_FIELDS, ...clauses])];
  const match = table(
    ['word', 'what it is', 'meaning'],
    wordRows(matchWords, MATCH_DOCS, (w) =>
      (INJECT_FIELDS as readonly string[]).includes(w) ? `${w}=N` : w === 'count' ? 'count N' : w,
    ),
  );
  const endpointOptions = table(
    ['option', 'what it is', 'default', 'meaning'],
    ENDPOINT_OPTIONS.map((o) => {
      const d = ENDPOINT_OPTION_DOCS[o];
      return [
        `\`${o === 'reuse' ? o : `${o}=N`}\``,
        d.summary,
        d.default ?? '',
        d.detail + (d.rfc ? ` (${d.rfc})` : ''),
      ];
    }),
  );
  const states = table(['state', 'what it is', 'meaning'], wordRows(TCP_STATES, STATE_DOCS));
  const flags = table(['flag', 'what it is', 'meaning'], wordRows(FLAGS, FLAG_DOCS));
  const errors = table(['code', 'what it is', 'when'], wordRows(ERROR_CODES, ERROR_DOCS));
  const hazards = table(['hazard', 'what it is', 'meaning'], wordRows(HAZARD_KINDS, HAZARD_DOCS));
  const units = table(
    ['unit', 'meaning', 'example'],
    TIME_UNITS.map((u) => [`\`${u.unit}\``, u.summary, `\`3${u.unit}\` = ${(3 * u.microseconds) / 1000} ms`]),
  );
  const diagnostics = table(
    ['code', 'meaning'],
    Object.entries(PARSER_DIAGNOSTIC_CODES).map(([code, meaning]) => [`\`${code}\``, meaning]),
  );
  return { options, verbs, rules, match, endpointOptions, states, flags, errors, hazards, units, diagnostics };
}

/** `page` with every generated table replaced by its current text; throws on a missing marker. */
export function updateReference(page: string): string {
  let out = page;
  for (const [name, body] of Object.entries(referenceTables())) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close);
    if (a < 0 || b < a) throw new Error(`docs/language.md lacks the markers ${open} ... ${close}`);
    out = `${out.slice(0, a + open.length)}\n${body}\n${out.slice(b)}`;
  }
  return out;
}

export const REFERENCE_PATH = join(__dirname, '..', 'docs', 'language.md');

if (require.main === module) {
  const page = readFileSync(REFERENCE_PATH, 'utf8');
  const next = updateReference(page);
  if (process.argv.includes('--check')) {
    if (next !== page) {
      console.error('docs/language.md is out of date: run npm run docs');
      process.exit(1);
    }
  } else if (next !== page) writeFileSync(REFERENCE_PATH, next);
}
