// A trace as the PlantUML sequence diagram a person would write for it today, for the
// side-by-side benchmark (bench/plantuml.ts): one participant per endpoint, one arrow per
// segment with the label our own sequence diagram gives it (src/core/render/sequence.ts), in the
// order ours draws them. Our diagram carries more (state notes, error and hazard notes); this
// is the least a hand-drawn equivalent has, so PlantUML's time is not inflated.

import type { Trace, TraceSegment } from '../src/core/trace';
import { arrowLabelParts, drawnAtArrival, endpointAddress } from '../src/core/render/sequence';

/**
 * Text safe on one PlantUML line: no line breaks or quotes, and no doubled markup characters
 * (Creole reads `--x--` as strike-through, `**x**` as bold, ...): `~` makes the first one literal.
 */
function plantumlText(s: string): string {
  return s
    .replace(/[\r\n"]/g, ' ')
    .replace(/\\/g, '/')
    .replace(/([*/\-_~^=])\1/g, '~$1$1');
}

/** The label of our arrow for `s`, unescaped (the same pieces sequence.ts draws). */
export function segmentLabel(s: TraceSegment): string {
  return arrowLabelParts(s).join(' \u00b7 ');
}

/** PlantUML's arrow for our kinds: delivered `->`, lost `->x`, a duplicate's copy dashed, injected open. */
function arrowOf(s: TraceSegment): string {
  const dashed = s.fate === 'duplicate';
  const head = s.fate === 'dropped' ? '>x' : s.injected ? '>>' : '>';
  return `${dashed ? '--' : '-'}${head}`;
}

/** The PlantUML sequence diagram for `trace`. */
export function traceToPlantuml(trace: Trace): string {
  const ids = new Map(trace.endpoints.map((e, i) => [e.name, `p${i}`]));
  const lines = ['@startuml'];
  if (trace.title) lines.push(`title ${plantumlText(trace.title)}`);
  for (const e of trace.endpoints)
    lines.push(`participant "${plantumlText(e.name)}\\n${plantumlText(endpointAddress(e))}" as ${ids.get(e.name)}`);
  // Our diagram draws a held or duplicated segment where it arrives; the same order here.
  const drawn = trace.segments
    .map((s, order) => ({ s, order, t: drawnAtArrival(s) && s.arrivedAt !== null ? s.arrivedAt : s.sentAt }))
    .sort((a, b) => a.t - b.t || a.order - b.order);
  for (const { s } of drawn) {
    const from = ids.get(s.from);
    const to = ids.get(s.to);
    if (from === undefined || to === undefined) continue; // an injected segment from an address no endpoint has
    lines.push(`${from} ${arrowOf(s)} ${to} : ${plantumlText(segmentLabel(s))}`);
  }
  lines.push('@enduml', '');
  return lines.join('\n');
}
