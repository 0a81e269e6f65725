// Generates tcpscn.tmLanguage.json (run: npm run grammar, or node --import tsx
// syntaxes/generate.mjs; --check verifies it is up to date). Every word list comes from the
// language's one vocabulary (src/core/vocabulary.ts), so a state, verb or option added there
// is coloured without touching this file.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  ENDPOINT_OPTIONS,
  ENDPOINT_VALUE_OPTIONS,
  ERROR_CODES,
  EXPECT_WORDS,
  FLAGS,
  HAZARD_KINDS,
  INJECT_FIELDS,
  LINK_WORDS,
  MATCH_COUNTS,
  MATCH_PROPERTIES,
  NET_CLAUSES,
  NET_RULES,
  OPTION_TABLE,
  STATEMENT_KEYWORDS,
  TCP_STATES,
  TIME_UNITS,
  VERBS,
} from '../src/core/vocabulary.ts';

/** A regex alternation of literal words (none of the vocabulary's words has a metacharacter but `-`). */
const any = (words) => words.join('|');
const NAME = '[A-Za-z_][A-Za-z0-9_]*(?:-(?!>)[A-Za-z0-9_]*)*';
const W0 = '(?<![\\w-])',
  W1 = '(?![\\w-])';
// States and flags are written in any case, with `-` or `_` (spec, "Lexical rules").
const STATE = `(?i:${any(TCP_STATES.map((s) => s.toLowerCase().replace(/_/g, '[-_]')))})`;
const FLAG = `(?i:${any(FLAGS.map((f) => f.toLowerCase()))})`;
const ERR = `(?:${any(ERROR_CODES)})`;
const HAZ = `(?:${any(HAZARD_KINDS)})`;
const OPT = `(?:${any(OPTION_TABLE.map((o) => o.name))})`;
const VERB = `(?:${any(VERBS)})`;
/** The words an option's value may be (`on`, `off`, `fixed`, `clock`, ...). */
const VALUE = any([...new Set(OPTION_TABLE.flatMap((o) => o.values ?? []))]);
/** The words an `isn=` may be followed by when it is the option `isn`, not the endpoint's field. */
const ISN_VALUES = any(OPTION_TABLE.find((o) => o.name === 'isn')?.values ?? []);
const FIELDS = any([...new Set([...ENDPOINT_VALUE_OPTIONS, ...INJECT_FIELDS])]);
const BARE_ENDPOINT_OPTIONS = any(ENDPOINT_OPTIONS.filter((o) => !ENDPOINT_VALUE_OPTIONS.includes(o)));
const UNIT = `(?:${any(TIME_UNITS.map((u) => u.unit))})`;
/** Keywords that begin a declaration line. */
const DECLARATION = any(STATEMENT_KEYWORDS.filter((k) => k !== 'on' && k !== 'expect'));
/** Words inside rules, links and expectations (`on`, `net`, `expect`, `in` are control words). */
const OTHER_WORDS = any([
  ...NET_RULES,
  ...Object.values(NET_CLAUSES),
  ...MATCH_COUNTS,
  ...LINK_WORDS,
  ...EXPECT_WORDS.filter((w) => w !== 'in'),
  ...MATCH_PROPERTIES,
]);
const g = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'TCP Scenario',
  scopeName: 'source.tcpscn',
  fileTypes: ['tcpscn'],
  patterns: [
    { include: '#comment' },
    { include: '#string' },
    { include: '#declaration' },
    { include: '#trigger' },
    { include: '#expectation' },
    { include: '#net' },
    { include: '#direction' },
    { include: '#call' },
    { include: '#field' },
    { include: '#assignment' },
    { include: '#hazard' },
    { include: '#error-code' },
    { include: '#state' },
    { include: '#flag' },
    { include: '#address' },
    { include: '#time' },
    { include: '#keyword' },
    { include: '#operator' },
  ],
  repository: {
    comment: {
      match: '(#).*$',
      name: 'comment.line.number-sign.tcpscn',
      captures: { 1: { name: 'punctuation.definition.comment.tcpscn' } },
    },
    string: {
      begin: '"',
      end: '"|$',
      name: 'string.quoted.double.tcpscn',
      beginCaptures: { 0: { name: 'punctuation.definition.string.begin.tcpscn' } },
      endCaptures: { 0: { name: 'punctuation.definition.string.end.tcpscn' } },
      patterns: [
        { match: '\\\\["\\\\]', name: 'constant.character.escape.tcpscn' },
        { match: '\\\\.', name: 'invalid.illegal.escape.tcpscn' },
      ],
    },
    declaration: {
      patterns: [
        {
          match: `^\\s*(endpoint)\\s+(${NAME})`,
          captures: { 1: { name: 'keyword.control.endpoint.tcpscn' }, 2: { name: 'entity.name.type.endpoint.tcpscn' } },
        },
        {
          match: `^\\s*(link)\\s+(${NAME})\\s+(${NAME})`,
          captures: {
            1: { name: 'keyword.control.link.tcpscn' },
            2: { name: 'variable.other.endpoint.tcpscn' },
            3: { name: 'variable.other.endpoint.tcpscn' },
          },
        },
        {
          match: `^\\s*(set)\\s+(${OPT})${W1}`,
          captures: { 1: { name: 'keyword.control.set.tcpscn' }, 2: { name: 'variable.parameter.option.tcpscn' } },
        },
        {
          match: `^\\s*(${DECLARATION})(?![\\w-])`,
          captures: { 1: { name: 'keyword.control.$1.tcpscn' } },
        },
      ],
    },
    trigger: {
      match: `${W0}(on)\\s+(${NAME})\\s+(${STATE})${W1}`,
      captures: {
        1: { name: 'keyword.control.on.tcpscn' },
        2: { name: 'variable.other.endpoint.tcpscn' },
        3: { name: 'constant.language.state.tcpscn' },
      },
    },
    expectation: {
      patterns: [
        {
          match: `${W0}(expect)\\s+(no)\\s+(hazards)${W1}`,
          captures: {
            1: { name: 'keyword.control.expect.tcpscn' },
            2: { name: 'keyword.other.no.tcpscn' },
            3: { name: 'keyword.other.hazards.tcpscn' },
          },
        },
        {
          match: `${W0}(expect)\\s+(?:(no)\\s+)?(hazard)${W1}`,
          captures: {
            1: { name: 'keyword.control.expect.tcpscn' },
            2: { name: 'keyword.other.no.tcpscn' },
            3: { name: 'keyword.other.hazard.tcpscn' },
          },
        },
        {
          match: `${W0}(expect)\\s+(${NAME})\\s+(error)${W1}`,
          captures: {
            1: { name: 'keyword.control.expect.tcpscn' },
            2: { name: 'variable.other.endpoint.tcpscn' },
            3: { name: 'keyword.other.error.tcpscn' },
          },
        },
        {
          match: `${W0}(expect)\\s+(${NAME})\\s+(${STATE})${W1}`,
          captures: {
            1: { name: 'keyword.control.expect.tcpscn' },
            2: { name: 'variable.other.endpoint.tcpscn' },
            3: { name: 'constant.language.state.tcpscn' },
          },
        },
      ],
    },
    net: {
      match: `${W0}(net)\\s+(${any(NET_RULES)})${W1}`,
      captures: { 1: { name: 'keyword.control.net.tcpscn' }, 2: { name: 'keyword.other.rule.tcpscn' } },
    },
    direction: {
      match: `(${NAME})\\s*(->)\\s*(${NAME})`,
      captures: {
        1: { name: 'variable.other.endpoint.tcpscn' },
        2: { name: 'keyword.operator.arrow.tcpscn' },
        3: { name: 'variable.other.endpoint.tcpscn' },
      },
    },
    call: {
      match: `(?<![\\w-])(?!(?:on|net|expect|in)(?![\\w-]))(${NAME})\\s+(${VERB})${W1}(?:(?<=connect)\\s+(${NAME}))?`,
      captures: {
        1: { name: 'variable.other.endpoint.tcpscn' },
        2: { name: 'entity.name.function.verb.tcpscn' },
        3: { name: 'variable.other.endpoint.tcpscn' },
      },
    },
    assignment: {
      patterns: [
        {
          match: `${W0}(${OPT})\\s*(=)\\s*(${VALUE})${W1}`,
          captures: {
            1: { name: 'variable.parameter.option.tcpscn' },
            2: { name: 'keyword.operator.assignment.tcpscn' },
            3: { name: 'constant.language.value.tcpscn' },
          },
        },
        { match: `${W0}(${OPT})(?=\\s*=)`, name: 'variable.parameter.option.tcpscn' },
        {
          match: `(=)\\s*(${VALUE})(?![\\w-])`,
          captures: {
            1: { name: 'keyword.operator.assignment.tcpscn' },
            2: { name: 'constant.language.value.tcpscn' },
          },
        },
      ],
    },
    field: {
      patterns: [
        {
          match: `${W0}(${FIELDS})(=)(?!\\s*(?:${ISN_VALUES})${W1})`,
          captures: {
            1: { name: 'variable.parameter.field.tcpscn' },
            2: { name: 'keyword.operator.assignment.tcpscn' },
          },
        },
        { match: `${W0}(?:${BARE_ENDPOINT_OPTIONS})${W1}`, name: 'storage.modifier.reuse.tcpscn' },
      ],
    },
    hazard: { match: `${W0}${HAZ}${W1}`, name: 'support.constant.hazard.tcpscn' },
    'error-code': { match: `${W0}${ERR}${W1}`, name: 'support.constant.error-code.tcpscn' },
    state: { match: `${W0}${STATE}${W1}`, name: 'constant.language.state.tcpscn' },
    flag: { match: `${W0}${FLAG}${W1}`, name: 'constant.language.flag.tcpscn' },
    address: {
      patterns: [
        {
          match: '(\\[[0-9A-Fa-f:.]*\\])(?:(:)(\\d+))?',
          captures: {
            1: { name: 'constant.other.address.ipv6.tcpscn' },
            2: { name: 'punctuation.separator.port.tcpscn' },
            3: { name: 'constant.numeric.port.tcpscn' },
          },
        },
        {
          match: '(?<![\\w.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?:(:)(\\d+))?(?![\\w.])',
          captures: {
            1: { name: 'constant.other.address.ipv4.tcpscn' },
            2: { name: 'punctuation.separator.port.tcpscn' },
            3: { name: 'constant.numeric.port.tcpscn' },
          },
        },
      ],
    },
    time: {
      patterns: [
        {
          match: `(?<![\\w.+])(\\+)\\d+(?:\\.\\d+)?${UNIT}?(?![\\w.])`,
          name: 'constant.numeric.time.relative.tcpscn',
          captures: { 1: { name: 'keyword.operator.relative.tcpscn' } },
        },
        { match: `(?<![\\w.])\\d+(?:\\.\\d+)?${UNIT}(?![\\w.])`, name: 'constant.numeric.duration.tcpscn' },
        { match: '(?<![\\w.])\\d+(?:\\.\\d+)?(?![\\w.])', name: 'constant.numeric.integer.tcpscn' },
      ],
    },
    keyword: {
      patterns: [
        { match: `${W0}(?:on|net|expect|in)${W1}`, name: 'keyword.control.tcpscn' },
        {
          match: `${W0}(?:${OTHER_WORDS})${W1}`,
          name: 'keyword.other.tcpscn',
        },
        { match: `${W0}${VERB}${W1}`, name: 'entity.name.function.verb.tcpscn' },
        { match: `${W0}${OPT}${W1}`, name: 'variable.parameter.option.tcpscn' },
      ],
    },
    operator: {
      patterns: [
        { match: '->', name: 'keyword.operator.arrow.tcpscn' },
        { match: '=', name: 'keyword.operator.assignment.tcpscn' },
        { match: '\\*', name: 'keyword.operator.wildcard.tcpscn' },
        { match: ',', name: 'punctuation.separator.comma.tcpscn' },
      ],
    },
  },
};
const out = new URL('./tcpscn.tmLanguage.json', import.meta.url);
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== JSON.stringify(g, null, 2) + '\n') {
    console.error('syntaxes/tcpscn.tmLanguage.json is stale: run npm run grammar');
    process.exit(1);
  }
} else {
  writeFileSync(out, JSON.stringify(g, null, 2) + '\n');
}
