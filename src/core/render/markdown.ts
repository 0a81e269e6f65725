// A Markdown report of one or more runs (variants): per variant both diagrams in fenced
// `mermaid` blocks (GitHub renders them), the segments as a table, errors, hazards and each
// expectation's result. User strings are escaped for Markdown (HTML, `|`, emphasis, links).

import type { Trace } from '../trace';
import { displayText } from './escape';
import { formatDuration } from '../duration';
import { errorLine, hazardLine, segmentRemarks } from './explain';
import { endpointAddress, renderSequence } from './sequence';
import { timelineChart } from './timeline';

/** The most segments drawn in one diagram of the report (see variantSection). */
export const MAX_DRAWN_SEGMENTS = 300;

/** A user string as inline Markdown text: one line, no HTML, no table breaks, no markup. */
export function markdownText(s: string): string {
  return displayText(s)
    .replace(/\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

/** A fenced block whose fence is longer than any run of backticks inside it. */
function fenced(lang: string, body: string): string {
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${body.endsWith('\n') ? body : `${body}\n`}${fence}`;
}

function segmentTable(trace: Trace): string[] {
  if (trace.segments.length === 0) return ['No segment was sent.'];
  const rows = [
    '| n | sent | arrived | from | to | flags | seq | ack | len | fate |',
    '|---:|---:|---:|---|---|---|---:|---:|---:|---|',
  ];
  for (const s of trace.segments) {
    const fate = [
      s.fate,
      ...segmentRemarks(s).filter((r) => r !== 'LOST' && !(r.startsWith('duplicate') && s.fate === 'duplicate')),
    ];
    if (s.fate === 'duplicate' && s.duplicateOf !== null) fate[0] = `duplicate of #${s.duplicateOf}`;
    rows.push(
      `| ${s.n} | ${formatDuration(s.sentAt)} | ${s.arrivedAt === null ? '—' : formatDuration(s.arrivedAt)} | ${markdownText(s.from)} | ${markdownText(s.to)} | ${s.flags.join(',')} | ${s.seq} | ${s.ack ?? '—'} | ${s.len} | ${markdownText(fate.join(', '))} |`,
    );
  }
  return rows;
}

function variantSection(trace: Trace, heading: string): string[] {
  const out: string[] = [];
  out.push(`${heading} Variant "${markdownText(trace.variant)}"`, '');
  const ends = `The run ended at ${formatDuration(trace.endedAt)}${trace.truncated !== null ? `, stopped early: ${markdownText(trace.truncated)}` : ''}.`;
  out.push(
    `Endpoints: ${trace.endpoints.map((e) => `${markdownText(e.name)} (${markdownText(endpointAddress(e))})`).join(', ') || 'none'}. ${ends}`,
    '',
  );
  out.push(`${heading}# Sequence`, '');
  if (trace.segments.length > MAX_DRAWN_SEGMENTS) {
    // Mermaid refuses text over 50 000 characters (maxTextSize), about 1 200 messages with
    // notes; a renderer we do not configure (GitHub's) would show an error instead.
    out.push(
      `Only segments 1 to ${MAX_DRAWN_SEGMENTS} of ${trace.segments.length} are drawn; the table lists all of them.`,
      '',
    );
    out.push(fenced('mermaid', renderSequence(trace, { fromSegment: 1, toSegment: MAX_DRAWN_SEGMENTS }).text), '');
  } else {
    out.push(fenced('mermaid', renderSequence(trace).text), '');
  }
  const timeline = timelineChart(trace, { fixedWidth: true });
  out.push(`${heading}# State timeline`, '', fenced('mermaid', timeline.text), '');
  if (timeline.note !== null) out.push(timeline.note, '');
  out.push(`${heading}# Segments`, '', ...segmentTable(trace), '');
  out.push(`${heading}# Errors`, '');
  if (trace.errors.length === 0) out.push('None.');
  for (const e of trace.errors)
    out.push(
      `- **${markdownText(e.endpoint)}**: ${markdownText(errorLine(e))}${e.line !== null ? ` (line ${e.line})` : ''}`,
    );
  out.push('', `${heading}# Hazards`, '');
  if (trace.hazards.length === 0) out.push('None.');
  for (const h of trace.hazards) out.push(`- **${markdownText(h.endpoint)}**: ${markdownText(hazardLine(h))}`);
  out.push('', `${heading}# Expectations`, '');
  if (trace.expectations.length === 0) out.push('None.');
  for (const x of trace.expectations) {
    const why = x.ok || x.message === '' ? '' : `: ${markdownText(x.message)}`;
    out.push(
      `- ${x.ok ? '✅ PASS' : '❌ FAIL'} line ${x.line}: \`${displayText(x.text).replace(/\n/g, ' ').replace(/`/g, "'")}\`${why}`,
    );
  }
  out.push('');
  return out;
}

export interface MarkdownOptions {
  /**
   * A relative link to the ladder SVG written beside the report (GitHub shows a linked SVG
   * image but not SVG inside Markdown); the report shows it under the title.
   */
  ladderImage?: string;
}

/** A relative link target as Markdown writes it: spaces and brackets percent-encoded. */
function linkTarget(path: string): string {
  return path.replace(/[ ()<>[\]%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function renderMarkdown(traces: readonly Trace[], opts: MarkdownOptions = {}): string {
  const title = traces.find((t) => t.title.trim() !== '')?.title ?? 'TCP scenario';
  const out: string[] = [`# ${markdownText(title)}`, ''];
  if (traces.length === 0) {
    out.push('No run: the scenario has errors.', '');
    return out.join('\n');
  }
  if (traces.length > 1) out.push(`Variants: ${traces.map((t) => `"${markdownText(t.variant)}"`).join(', ')}.`, '');
  if (opts.ladderImage !== undefined)
    out.push(
      '## Ladder',
      '',
      `![Ladder: each segment an arrow from its sending to its arrival, time running down${traces.length > 1 ? ', the variants side by side' : ''}](${linkTarget(opts.ladderImage)})`,
      '',
    );
  for (const t of traces) out.push(...variantSection(t, '##'));
  return out.join('\n');
}
