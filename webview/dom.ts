// The page's fixed elements (written by src/extension/preview/html.ts) and the small DOM helpers
// every part of the page uses. Writes touch the DOM only when a value changes: even a write of
// the same value is a mutation, and these run on every update.

import type { ViewKind } from '../src/protocol';

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
}

/** Shows or hides `el`, touching it only when that changes. */
export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

/** Enables or disables the toolkit button `id`, touching it only when that changes. */
export function setDisabled(id: string, disabled: boolean): void {
  const b = document.getElementById(id) as (HTMLElement & { disabled: boolean }) | null;
  if (b && b.disabled !== disabled) b.disabled = disabled;
}

/** Sets `el`'s text, touching it only when that changes. */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export type Ui = ReturnType<typeof findUi>;

/** The page's fixed elements; a missing one throws at once rather than failing later. */
export function findUi() {
  return {
    app: $('app'),
    toolbar: $('toolbar'),
    title: $('doc-title'),
    lockState: $('lock-state'),
    variantLabel: $('variant-label'),
    variantSelect: $<HTMLElement & { value: string }>('variant-select'),
    zoomControls: $('zoom-controls'),
    zoomLevel: $('zoom-level'),
    banner: $('banner'),
    summary: $('summary'),
    placeholder: $('placeholder'),
    tabs: $<HTMLElement & { activeid: string }>('tabs'),
    windowBar: $('window-bar'),
    windowNote: $('window-note'),
    containers: { sequence: $('sequence'), timeline: $('timeline') } as Record<ViewKind, HTMLElement>,
    trace: $('trace'),
    ladder: { viewport: $('ladder-viewport'), canvas: $('ladder-canvas'), header: $('ladder-header') },
  };
}
