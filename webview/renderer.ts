// Mermaid, loaded on first use (its ESM build splits into chunks, so the panel's own UI
// appears before Mermaid and the diagram code arrive). Renders run one at a time; a
// generation counter lets a newer update drop the results of older renders.

import type { Mermaid } from 'mermaid';
import { mermaidThemeVariables, themeKind } from './theme';

/** The sequence diagram's font size at 100 %. */
export const SEQUENCE_FONT_PX = 12;

let mermaidPromise: Promise<Mermaid> | undefined;
let renderCounter = 0;
type Config = Parameters<Mermaid['initialize']>[0];
let baseConfig: Config | undefined;
let configuredGanttWidth: number | undefined;

function loadMermaid(): Promise<Mermaid> {
  mermaidPromise ??= import('mermaid').then((m) => m.default);
  return mermaidPromise;
}

/** (Re)configures Mermaid for the current VS Code theme. */
export async function configureMermaid(): Promise<void> {
  const mermaid = await loadMermaid();
  const kind = themeKind();
  const themeVariables = mermaidThemeVariables(kind);
  baseConfig = {
    startOnLoad: false,
    securityLevel: 'strict',
    suppressErrorRendering: true,
    theme: 'base',
    look: 'classic',
    themeVariables,
    fontFamily: String(themeVariables.fontFamily),
    // A long trace is far more than the default 50 000 characters; windows keep it bounded.
    maxTextSize: 5_000_000,
    // The sequence diagram's text size, one size for names, labels and notes (Mermaid sets all
    // three from this). The first view keeps it at SEQUENCE_FONT_PX * scale >= 11 px.
    fontSize: SEQUENCE_FONT_PX,
    // Compact, for a side pane: the core writes labels and notes in short lines
    // (renderSequence's `compact`), and these margins keep Mermaid from adding more room
    // than the text needs (its defaults: boxes 150 px wide, 50 px between them, 16 px text).
    sequence: {
      useMaxWidth: false,
      mirrorActors: true,
      showSequenceNumbers: false,
      wrap: false,
      messageAlign: 'center',
      noteAlign: 'left',
      width: 60,
      height: 40,
      actorMargin: 16,
      wrapPadding: 6,
      diagramMarginX: 8,
      diagramMarginY: 8,
      noteMargin: 6,
      boxMargin: 6,
      messageMargin: 24,
    },
    gantt: {
      useMaxWidth: false,
      displayMode: 'compact',
      barHeight: 22,
      barGap: 6,
      topPadding: 40,
      leftPadding: 140,
      fontSize: 12,
      sectionFontSize: 12,
    },
  };
  configuredGanttWidth = undefined;
  mermaid.initialize(baseConfig);
}

export interface RenderResult {
  svg: string;
}

/**
 * Where Mermaid draws before it hands back the SVG text: an element of its own, off screen and
 * with layout containment (main.css), rather than the body. Mermaid measures text as it draws
 * (getBBox), and each measure lays out what changed; in the body that was the page around it,
 * and removing its scratch element afterwards left the whole page to lay out again.
 */
let scratch: HTMLElement | undefined;
function scratchElement(): HTMLElement {
  if (!scratch?.isConnected) {
    scratch = document.createElement('div');
    scratch.className = 'mermaid-scratch';
    scratch.setAttribute('aria-hidden', 'true');
    document.body.append(scratch);
  }
  return scratch;
}

/** Renders Mermaid text to an SVG string; throws on a parse or layout error, leaving nothing behind. */
export async function renderMermaid(text: string, ganttWidth?: number): Promise<RenderResult> {
  const mermaid = await loadMermaid();
  // A gantt chart takes the width of the element it is drawn in, which is not the pane it will
  // be shown in; give it the pane's width (renders run one at a time, so this cannot race).
  if (baseConfig && ganttWidth !== undefined && ganttWidth !== configuredGanttWidth) {
    configuredGanttWidth = ganttWidth;
    mermaid.initialize({ ...baseConfig, gantt: { ...baseConfig.gantt, useWidth: ganttWidth } });
  }
  const id = `tcpscn-mmd-${++renderCounter}`;
  try {
    const { svg } = await mermaid.render(id, text, scratchElement());
    return { svg };
  } finally {
    // On an error Mermaid may leave its element (#d<id>) in the scratch: remove this render's
    // own, not the scratch's whole content. Mermaid runs renders one after the other, and the
    // next one (the tab the user just switched to) may already have its element there: clearing
    // it all made that render fail ("Cannot read properties of null (reading 'firstChild')"),
    // and a failed drawing is not retried until its text changes.
    document.getElementById(`d${id}`)?.remove();
  }
}

/**
 * A document with no browsing context (as DOMParser makes, and as DOMPurify uses): nothing parsed
 * into it runs or loads. Made once: a new DOMParser document per update cost more than the parse
 * itself (0.48 against 0.29 ms for a timeline, 1.8 against 1.4 ms for a 100-segment sequence).
 */
let inert: Document | undefined;

/**
 * Parses an SVG string produced by Mermaid into an element of this page, without ever handing it
 * to the page's own HTML parser: the string holds the file's text (title, notes, labels), escaped
 * by the renderer and sanitized by Mermaid's strict mode. It is parsed in the inert document
 * above, and anything that could run or load is removed before it is adopted, in case a Mermaid
 * version lets one through.
 */
export function svgElementFrom(svg: string): SVGSVGElement | null {
  inert ??= document.implementation.createHTMLDocument('');
  const holder = inert.body;
  holder.innerHTML = svg; // the inert document's parser, never the page's (see preview.html.test.ts)
  const el = holder.querySelector('svg');
  if (!el) {
    holder.replaceChildren();
    return null;
  }
  scrub(el);
  const adopted = document.adoptNode(el);
  holder.replaceChildren(); // nothing of this diagram stays behind in the inert document
  return adopted instanceof SVGSVGElement ? adopted : null;
}

/** Elements (by local name, lower case) that run or load something; a `use` counts when it links off the page. */
const ACTIVE_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'object',
  'embed',
  'img',
  'image',
  'audio',
  'video',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'animate',
  'set',
]);

/**
 * Removes from a parsed SVG every element that runs or loads, event handlers, and script links.
 * One pass over the elements, reading only the attributes' names and only links' values: this
 * runs on every update, between Mermaid's render and the swap. The names come as strings
 * (getAttributeNames): walking `attributes`, an Attr object per attribute, took twice as long
 * (3.8 against 1.8 ms for a 101-segment sequence diagram's 634 elements, in Chromium).
 */
function scrub(root: Element): void {
  const doomed: Element[] = [];
  const all = root.getElementsByTagName('*');
  for (const e of [root, ...all]) {
    const tag = e.localName.toLowerCase();
    if (
      ACTIVE_ELEMENTS.has(tag) ||
      (tag === 'use' && /^\s*(http|\/\/)/i.test(e.getAttribute('href') ?? e.getAttribute('xlink:href') ?? ''))
    ) {
      doomed.push(e);
      continue;
    }
    for (const qualified of e.getAttributeNames()) {
      const name = qualified.toLowerCase();
      const link = name === 'href' || name === 'xlink:href' || name === 'src';
      if (
        name.startsWith('on') ||
        (link &&
          /^(javascript|data|vbscript):/.test(
            (e.getAttribute(qualified) ?? '').replace(/[\s\u0000-\u001f]/g, '').toLowerCase(),
          ))
      ) {
        e.removeAttribute(qualified);
      }
    }
  }
  for (const e of doomed) e.remove();
}

/** Hands out generation numbers: a render may show its result only while its generation is current. */
export class Generations {
  private current = 0;
  next(): number {
    return ++this.current;
  }
  isCurrent(g: number): boolean {
    return g === this.current;
  }
}
