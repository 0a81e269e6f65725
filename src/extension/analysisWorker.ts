// The analysis worker: a `worker_threads` thread that runs the core's `analyze` for large
// documents, so parsing and simulating a 1 MB file never blocks the extension host. Bundled
// on its own to dist/analysisWorker.js (esbuild.mjs); started by AnalysisWorkerBackend.
//
// Protocol (see analysisTransfer.ts for why the result travels in pieces):
//   host -> worker  { type: 'analyze', id, text, full }   analyse this text
//   worker -> host  { type: 'result', id, diagnostics, outline, head?, reused }
//                   what the diagnostics and the outline show (outline null: the same as the
//                   last result's, as when typing below its first 2 000 symbols, so the host
//                   keeps that one instead of receiving and converting it again); with `full`, also the whole
//                   analysis's head (pieces follow on request). Without `full` the host never
//                   receives the analysis itself: see analysisScheduler.ts for why.
//   host -> worker  { type: 'next', id }            send the next piece
//   worker -> host  { type: 'piece', id, piece }    one piece
//   worker -> host  { type: 'error', id, message }  analyze threw (the core should never)
//   host -> worker  { type: 'fixes', id, job, range }  the quick fixes for `range` of job
//   worker -> host  { type: 'fixes', id, fixes }       `job`'s text (null: no longer held)
// The worker holds its last job's text and analysis for the quick fixes, so the host asks for
// them instead of bringing the whole analysis over.
// One job at a time: the host sends a new `analyze` only after the last piece of the previous.

import { parentPort } from 'node:worker_threads';
import { analyze } from '../core/index';
import { outlineHead, type OutlineSymbol } from '../core/assist/outline';
import { quickFixes } from '../core/assist/quickFix';
import type { Analysis } from '../core/index';
import { AnalysisSender } from './analysisTransfer';
import type { FromWorker, ToWorker } from './analysisProtocol';

const port = parentPort;
if (!port) throw new Error('analysisWorker must run in a worker thread');

/** The result being sent; dropped after its last piece so the worker does not hold it. */
let current: { id: number; sender: AnalysisSender; sent: number } | undefined;
/** The last job's text and analysis (for its quick fixes), until the next job. */
let last: { id: number; text: string; analysis: Analysis; outline: OutlineSymbol[] } | undefined;

const post = (m: FromWorker): void => port.postMessage(m);

/** The last outline sent (as JSON), to send `null` for the same one again. */
let sentOutline: string | undefined;
function changed(outline: OutlineSymbol[]): OutlineSymbol[] | null {
  const json = JSON.stringify(outline);
  if (json === sentOutline) return null;
  sentOutline = json;
  return outline;
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'analyze') {
    current = undefined;
    // The same text again (the preview asks for the whole analysis of the version whose summary
    // was just sent): its analysis is at hand, only sending it is left.
    const same = last?.text === m.text ? last : undefined;
    last = undefined;
    try {
      const analysis = same?.analysis ?? analyze(m.text);
      const outline = same?.outline ?? outlineHead(analysis.scenario, m.text);
      last = { id: m.id, text: m.text, analysis, outline };
      const reused = same !== undefined;
      if (!m.full) {
        post({ type: 'result', id: m.id, diagnostics: analysis.diagnostics, outline: changed(outline), reused });
        return;
      }
      const sender = new AnalysisSender(analysis);
      current = sender.head.pieces > 0 ? { id: m.id, sender, sent: 0 } : undefined;
      post({ type: 'result', id: m.id, diagnostics: [], outline: changed(outline), head: sender.head, reused });
    } catch (e) {
      post({ type: 'error', id: m.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  } else if (m.type === 'fixes') {
    let fixes = null;
    try {
      fixes = last?.id === m.job ? quickFixes(last.text, m.range, last.analysis) : null;
    } catch {
      // The core should never throw; the host then makes the fixes itself from the analysis.
    }
    post({ type: 'fixes', id: m.id, fixes });
  } else if (m.type === 'next') {
    if (!current || current.id !== m.id) return;
    const piece = current.sender.next();
    if (piece) post({ type: 'piece', id: m.id, piece });
    if (!piece || ++current.sent >= current.sender.head.pieces) current = undefined;
  }
});
