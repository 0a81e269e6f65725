// The pager of a big trace's sequence diagram: a trace of more than WINDOW_THRESHOLD segments
// is drawn a window at a time (src/protocol/window.ts), and the bar above the diagram says which
// segments are shown and moves the window (First, Previous, Next, Last) by asking the extension
// for another one (`requestWindow`).

import { neighbourWindows, type ToExtension, type Unaddressed, type VariantView } from '../src/protocol';
import { $, setDisabled, setHidden, setText, type Ui } from './dom';

export type PagerMove = 'first' | 'prev' | 'next' | 'last';

export class Pager {
  constructor(
    private readonly ui: Ui,
    /** The variants whose panes are on screen (the pager moves all their windows together). */
    private readonly shownVariants: () => VariantView[],
    private readonly variantCount: () => number,
    private readonly post: (m: Unaddressed<ToExtension>) => void,
  ) {
    for (const where of ['first', 'prev', 'next', 'last'] as const)
      $(`window-${where}`).addEventListener('click', () => this.move(where));
  }

  /** Shows the bar when a shown variant is windowed, with its windows and which moves are possible. */
  update(): void {
    const several = this.variantCount() > 1;
    const windowed = this.shownVariants().filter((v) => v.sequence.window !== null);
    setHidden(this.ui.windowBar, windowed.length === 0);
    if (!windowed.length) return;
    const note = windowed
      .map((v) => {
        const w = v.sequence.window!;
        return `${several ? `"${v.label}": ` : ''}segments ${w.from}\u2013${w.to} of ${w.total}`;
      })
      .join('; ')
      .concat(' \u2014 a large trace is drawn a window at a time.');
    setText(this.ui.windowNote, note);
    const nb = neighbourWindows(windowed[0].sequence.window!);
    setDisabled('window-first', nb.previous === null);
    setDisabled('window-prev', nb.previous === null);
    setDisabled('window-next', nb.next === null);
    setDisabled('window-last', nb.next === null);
  }

  /** Asks for the window `where` of every shown windowed variant. */
  move(where: PagerMove): void {
    for (const v of this.shownVariants()) {
      const w = v.sequence.window;
      if (!w) continue;
      const span = w.to - w.from + 1;
      const nb = neighbourWindows(w);
      const from =
        where === 'first' ? 1 : where === 'last' ? w.total - span + 1 : where === 'prev' ? nb.previous : nb.next;
      if (from === null || from === w.from) continue;
      this.post({
        type: 'requestWindow',
        variant: v.label,
        fromSegment: from,
        toSegment: Math.min(w.total, from + span - 1),
      });
    }
  }
}
