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

/** Parses an SVG string produced by Mermaid (already sanitized by it in strict mode) into an element, without inserting it. */
export function svgElementFrom(svg: string): SVGSVGElement | null {
  const template = document.createElement('template');
  template.innerHTML = svg; // inert: nothing in a template runs or loads
  const el = template.content.querySelector('svg');
  return el instanceof SVGSVGElement ? el : null;
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
