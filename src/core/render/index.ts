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
  LEGEND_SECTION,
  renderTimeline,
  STATE_ABBREVIATIONS,
  textPx,
  timelineRows,
  type TimeAxis,
  type TimelineOptions,
} from './timeline';
export { markdownText, renderMarkdown } from './markdown';
export { expectationLine, plain, renderText } from './text';
