// The ladder view (issue 8): layout as data (layout.ts, scale.ts), SVG from it (svg.ts).
import type { Trace } from '../../trace';
import { layoutLadder, type LadderOptions } from './layout';
import { renderLadderSvg, type LadderSvgOptions } from './svg';

export * from './layout';
export { buildScale, niceStep, type ScaleBreak, type ScaleTick, type TimeScale } from './scale';
export { escapeXml, LADDER_COLOURS, LADDER_CSS, LADDER_PALETTES, renderLadderSvg, type LadderTheme } from './svg';
export type { LadderSvgOptions } from './svg';
export { fitText, ladderLabel, ladderTooltip, textWidth } from './text';

/** Layout and SVG in one call: what the command line and the exports write. */
export function renderLadder(traces: readonly Trace[], opts: LadderOptions & LadderSvgOptions = {}): string {
  return renderLadderSvg(layoutLadder(traces, opts), opts);
}
