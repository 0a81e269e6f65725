// The names a document declares (endpoints and variant labels), found by lexing each line
// rather than by parsing, so completion and hover keep working while the file is half-typed
// and has syntax errors elsewhere. The tokens are the parser's (lexer.ts), so a name or an
// address is read here exactly as the parser reads it.

import { lexLine, splitLines, type Token } from '../lexer';

export interface EndpointInfo {
  name: string;
  /** As written: `10.0.0.1:5000` or `[fd00::1]:80`; empty when missing. */
  address: string;
  /** The rest of the declaration (`isn=1000 reuse`), as written. */
  options: string;
  /** Zero-based line of the declaration and the name's columns. */
  line: number;
  start: number;
  end: number;
}

export interface VariantInfo {
  label: string;
  /** The overrides as written (`time_wait = 0`). */
  overrides: string;
  line: number;
}

export interface Declarations {
  endpoints: EndpointInfo[];
  variants: VariantInfo[];
}

function code(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'comment');
}

const startOf = (t: Token): number => t.range.start.character;
const endOf = (t: Token): number => t.range.end.character;

export function collectDeclarations(text: string): Declarations {
  const endpoints: EndpointInfo[] = [];
  const variants: VariantInfo[] = [];
  splitLines(text).forEach((lineText, line) => {
    const d = lineDeclaration(lineText, line);
    if (d?.endpoint) endpoints.push(d.endpoint);
    if (d?.variant) variants.push(d.variant);
  });
  return { endpoints, variants };
}

/** What one line declares, if anything. Lines without the keyword are not even lexed. */
export function lineDeclaration(
  lineText: string,
  line: number,
): { endpoint?: EndpointInfo; variant?: VariantInfo } | undefined {
  // A declaration's first token is the word `endpoint` or `variant`, a slice of the line.
  if (!lineText.includes('endpoint') && !lineText.includes('variant')) return undefined;
  const tokens = code(lexLine(lineText, line));
  if (tokens.length < 2 || tokens[0].kind !== 'word') return undefined;
  if (tokens[0].text === 'endpoint' && tokens[1].kind === 'word') {
    const addr = tokens[2]?.kind === 'address' ? tokens[2] : undefined;
    const rest = addr ? tokens.slice(3) : [];
    const options = rest.length ? lineText.slice(startOf(rest[0]), endOf(rest[rest.length - 1])) : '';
    return {
      endpoint: {
        name: tokens[1].text,
        address: addr?.text ?? '',
        options,
        line,
        start: startOf(tokens[1]),
        end: endOf(tokens[1]),
      },
    };
  }
  if (tokens[0].text === 'variant' && tokens[1].kind === 'string') {
    const rest = tokens.slice(2);
    const overrides = rest.length ? lineText.slice(startOf(rest[0]), endOf(rest[rest.length - 1])) : '';
    // A string token's value is its unescaped text, also when the closing quote is missing.
    return { variant: { label: typeof tokens[1].value === 'string' ? tokens[1].value : '', overrides, line } };
  }
  return undefined;
}

/** Declarations read only when a slot looks at them (most completions and hovers need none). */
export function lazyDeclarations(get: () => Declarations): Declarations {
  let found: Declarations | undefined;
  return {
    get endpoints() {
      return (found ??= get()).endpoints;
    },
    get variants() {
      return (found ??= get()).variants;
    },
  };
}

/** Distinct endpoint names in declaration order. */
export function endpointNames(decls: Declarations): string[] {
  return [...new Set(decls.endpoints.map((e) => e.name))];
}
