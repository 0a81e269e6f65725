// Mermaid, loaded on first use (its ESM build splits into chunks, so the panel's own UI
// appears before Mermaid and the diagram code arrive). Renders run one at a time; a
// generation counter lets a newer update drop the results of older renders.

import type { Mermaid } from 'mermaid';
import { mermaidThemeVariables, themeKind } from './theme';

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
    sequence: {
      useMaxWidth: false,
      mirrorActors: true,
      showSequenceNumbers: false,
      wrap: false,
      messageAlign: 'center',
      noteAlign: 'left',
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
    const { svg } = await mermaid.render(id, text);
    return { svg };
  } finally {
    // On an error Mermaid leaves its scratch element (#d<id>) in the body; remove it either way.
    document.getElementById(`d${id}`)?.remove();
    document.getElementById(id)?.remove();
  }
}

/**
 * Parses an SVG string produced by Mermaid into an element of this page, without ever assigning
 * it to innerHTML: the string holds the file's text (title, notes, labels), escaped by the
 * renderer and sanitized by Mermaid's strict mode. It is parsed in a separate, inert document
 * (nothing there runs or loads), and anything that could run or load is removed before it is
 * adopted, in case a Mermaid version lets one through.
 */
export function svgElementFrom(svg: string): SVGSVGElement | null {
  const parsed = new DOMParser().parseFromString(svg, 'text/html');
  const el = parsed.querySelector('svg');
  if (!el) return null;
  scrub(el);
  const adopted = document.adoptNode(el);
  return adopted instanceof SVGSVGElement ? adopted : null;
}

const ACTIVE_ELEMENTS = 'script, iframe, frame, object, embed, img, image, audio, video, link, meta, base, form, input, button, textarea, animate, set, use[href^="http"], use[href^="//"]';

/** Removes from a parsed SVG every element that runs or loads, event handlers, and script links. */
function scrub(root: Element): void {
  for (const e of root.querySelectorAll(ACTIVE_ELEMENTS)) e.remove();
  for (const e of [root, ...root.querySelectorAll('*')]) {
    for (const a of [...e.attributes]) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (name.startsWith('on') || ((name === 'href' || name === 'xlink:href' || name === 'src') && /^(javascript|data|vbscript):/.test(value))) {
        e.removeAttribute(a.name);
      }
    }
  }
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
