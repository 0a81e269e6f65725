// Mermaid's own parser, run in Node for the renderer tests. Mermaid 11 calls DOMPurify on
// titles, aliases and notes while parsing; DOMPurify without a DOM is an empty shell (no
// `sanitize`, no `addHook`), so parsing a diagram with a title throws in Node. We give that
// shell an identity `sanitize` and a no-op `addHook` before Mermaid loads: every other part of
// Mermaid's real parser runs unchanged, and the tests then see the text exactly as the parser
// produced it, before any HTML sanitizing: so they prove that our escaping alone keeps markup
// and directives out (a sanitizer in the webview is a second line of defence, not the first).

interface SequenceMessage {
  type: number;
  from?: string;
  to?: string;
  message: string | { start: number; step: number; visible: boolean } | null;
  wrap?: boolean;
}

export interface SequenceDb {
  getMessages(): SequenceMessage[];
  getActors(): Map<string, { name: string; description: string }>;
  getDiagramTitle(): string;
  LINETYPE: Record<string, number>;
}

export interface GanttTask {
  task: string;
  id: string;
  section: string;
  startTime: Date;
  endTime: Date;
  milestone: boolean;
  vert: boolean;
}

export interface GanttDb {
  getTasks(): GanttTask[];
  getSections(): string[];
  getDiagramTitle(): string;
  getDisplayMode(): string;
  getAxisFormat(): string;
}

interface MermaidLike {
  parse(text: string): Promise<{ diagramType: string } | false>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: unknown; type: string }> };
}

let loaded: Promise<MermaidLike> | undefined;

export function loadMermaid(): Promise<MermaidLike> {
  loaded ??= (async () => {
    const purify = (await import('dompurify')).default as unknown as Record<string, unknown>;
    if (typeof purify.sanitize !== 'function') purify.sanitize = (dirty: unknown) => dirty;
    if (typeof purify.addHook !== 'function') purify.addHook = () => undefined;
    return (await import('mermaid')).default as unknown as MermaidLike;
  })();
  return loaded;
}

/** Parses with Mermaid (throws its parse error) and returns the diagram type. */
export async function mermaidParse(text: string): Promise<string> {
  const m = await loadMermaid();
  const r = await m.parse(text);
  if (r === false) throw new Error('mermaid.parse returned false');
  return r.diagramType;
}

export async function sequenceDb(text: string): Promise<SequenceDb> {
  const m = await loadMermaid();
  await mermaidParse(text); // also registers the diagram types getDiagramFromText needs
  const d = await m.mermaidAPI.getDiagramFromText(text);
  if (d.type !== 'sequence') throw new Error(`not a sequence diagram: ${d.type}`);
  return d.db as SequenceDb;
}

export async function ganttDb(text: string): Promise<GanttDb> {
  const m = await loadMermaid();
  await mermaidParse(text);
  const d = await m.mermaidAPI.getDiagramFromText(text);
  if (d.type !== 'gantt') throw new Error(`not a gantt diagram: ${d.type}`);
  return d.db as GanttDb;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', nbsp: '\u00A0' };

/**
 * Mermaid keeps entity codes as private markers (`ﬂ°°35¶ß`, `ﬂ°lt¶ß`) until it writes the SVG,
 * where they become `&#35;` / `&lt;`. This turns the markers into the characters a reader sees.
 */
export function decodeMermaidEntities(s: string): string {
  // Raw `<br/>` first: one written as entity codes (`#lt;br/#gt;`) is text, not a line break.
  return s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (m, name: string) => NAMED[name] ?? m);
}
