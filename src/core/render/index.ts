// The renderers: pure functions from a Trace to Mermaid, Markdown and plain text.
export { formatDuration } from '../duration';
export { displayText, escapeGantt, escapeMermaid, MermaidIds, NOTE_WIDTH, sanitizeId, wrapText } from './escape';
export {
  ERROR_MEANING,
  connectionNames,
  errorCounts,
  HAZARD_LESSON,
  HAZARD_MEANING,
  errorLine,
  errorMeaning,
  errorParts,
  hazardLine,
  hazardParts,
  repeats,
  segmentRemarks,
  segmentSummary,
} from './explain';
export {
  COMPACT_WIDTH,
  compactLabelLines,
  compactWidth,
  endpointAddress,
  renderSequence,
  windowSpan,
  STATE_NOTES,
  type SequenceOptions,
  type SequenceRender,
  type StateNotes,
} from './sequence';
export {
  CHART_WIDTH,
  compressTime,
  drawnAt,
  LEGEND_SECTION,
  OFF_SCALE_NOTE,
  renderTimeline,
  STATE_ABBREVIATIONS,
  textPx,
  timelineChart,
  timelineRows,
  timelineTicks,
  TIMELINE_TICK_MIN_PX,
  type TimeAxis,
  type TimelineAxis,
  type TimelineChart,
  type TimelineOptions,
  type TimelineTick,
} from './timeline';
export { markdownText, renderMarkdown } from './markdown';
export { expectationLine, plain, renderText } from './text';
