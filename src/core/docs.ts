// The knowledge base behind hover and completion: one entry for every state, verb, option,
// flag, error code, hazard kind and keyword of the language. The entries themselves live in
// vocabulary.ts, with the words; this module shapes them for hover and completion. Text
// follows RFC 9293 (and RFC 5961, RFC 1337, RFC 6191 where the model follows them) so a
// student who hovers a word learns what TCP itself says about it, and where to read more.

import {
  ERROR_CODES,
  FLAGS,
  HAZARD_KINDS,
  OPTION_NAMES,
  OPTION_TABLE,
  TCP_STATES,
  TIME_UNITS,
  VERBS,
  optionSpec,
  type OptionName,
} from './vocabulary';

export {
  ENDPOINT_OPTION_DOCS,
  ERROR_DOCS,
  FLAG_DOCS,
  HAZARD_DOCS,
  KEYWORD_DOCS,
  MATCH_DOCS,
  OPTION_DOCS,
  STATE_DOCS,
  VALUE_DOCS,
  VERB_DOCS,
  type DocEntry,
} from './vocabulary';
import type { DocEntry } from './vocabulary';

/** The units of a duration, with what one of them is in milliseconds. */
export const UNITS: readonly { unit: string; ms: number; summary: string }[] = TIME_UNITS.map((u) => ({
  unit: u.unit,
  ms: u.microseconds / 1000,
  summary: u.summary,
}));

/** Option names whose value is a duration; the rest are counts, switches or `isn`. */
export const DURATION_OPTIONS: ReadonlySet<OptionName> = new Set(
  OPTION_TABLE.filter((o) => o.kind === 'duration').map((o) => o.name),
);
export const SWITCH_OPTIONS: ReadonlySet<OptionName> = new Set(
  OPTION_TABLE.filter((o) => o.kind === 'on-off').map((o) => o.name),
);

/** Values an option accepts that can be listed (switches and `isn`), else empty. */
export function optionValueWords(option: OptionName): readonly string[] {
  return optionSpec(option)?.values ?? [];
}

/** A hover/completion documentation block in Markdown: the detail, the default, the RFC. */
export function toMarkdown(entry: DocEntry, heading?: string): string {
  const parts = [`**${heading ?? entry.name}** — ${entry.summary}`, entry.detail];
  if (entry.default !== undefined) parts.push(`Default: \`${entry.default}\``);
  if (entry.linux) parts.push(`Under \`profile = linux\`: ${entry.linux}`);
  if (entry.rfc) parts.push(`See ${entry.rfc}.`);
  if (entry.example) parts.push('```tcpscn\n' + entry.example + '\n```');
  return parts.join('\n\n');
}

/** Every documented word list, for tests that make sure nothing is undocumented. */
export const DOCUMENTED = { TCP_STATES, VERBS, OPTION_NAMES, FLAGS, ERROR_CODES, HAZARD_KINDS } as const;
