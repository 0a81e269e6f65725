// The names a document declares (endpoints and variant labels), found by scanning each line
// rather than by parsing, so completion and hover keep working while the file is half-typed
// and has syntax errors elsewhere.

import { scanLine, splitLines, stringValue, type Token } from './scan';

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

export function collectDeclarations(text: string): Declarations {
  const endpoints: EndpointInfo[] = [];
  const variants: VariantInfo[] = [];
  splitLines(text).forEach((lineText, line) => {
    const tokens = code(scanLine(lineText));
    if (tokens.length < 2 || tokens[0].kind !== 'word') return;
    if (tokens[0].text === 'endpoint' && tokens[1].kind === 'word') {
      const addr = tokens[2]?.kind === 'address' ? tokens[2] : undefined;
      const rest = addr ? tokens.slice(3) : [];
      const options = rest.length ? lineText.slice(rest[0].start, rest[rest.length - 1].end) : '';
      endpoints.push({ name: tokens[1].text, address: addr?.text ?? '', options, line, start: tokens[1].start, end: tokens[1].end });
    } else if (tokens[0].text === 'variant' && tokens[1].kind === 'string') {
      const rest = tokens.slice(2);
      const overrides = rest.length ? lineText.slice(rest[0].start, rest[rest.length - 1].end) : '';
      variants.push({ label: stringValue(tokens[1]), overrides, line });
    }
  });
  return { endpoints, variants };
}

/** Distinct endpoint names in declaration order. */
export function endpointNames(decls: Declarations): string[] {
  return [...new Set(decls.endpoints.map((e) => e.name))];
}
