// The analysis worker: a `worker_threads` thread that runs the core's `analyze` for large
// documents, so parsing and simulating a 1 MB file never blocks the extension host. Bundled
// on its own to dist/analysisWorker.js (esbuild.mjs); started by AnalysisWorkerBackend.
//
// Protocol (see analysisTransfer.ts for why the result travels in pieces):
//   host -> worker  { type: 'analyze', id, text }   analyse this text
//   worker -> host  { type: 'head', id, head }      the result's head (pieces follow on request)
//   host -> worker  { type: 'next', id }            send the next piece
//   worker -> host  { type: 'piece', id, piece }    one piece
//   worker -> host  { type: 'error', id, message }  analyze threw (the core should never)
// One job at a time: the host sends a new `analyze` only after the last piece of the previous.

import { parentPort } from 'node:worker_threads';
import { analyze } from '../core/index';
import { AnalysisSender } from './analysisTransfer';
import type { FromWorker, ToWorker } from './analysisProtocol';

const port = parentPort;
if (!port) throw new Error('analysisWorker must run in a worker thread');

/** The result being sent; dropped after its last piece so the worker does not hold it. */
let current: { id: number; sender: AnalysisSender; sent: number } | undefined;

const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'analyze') {
    current = undefined;
    try {
      const sender = new AnalysisSender(analyze(m.text));
      current = sender.head.pieces > 0 ? { id: m.id, sender, sent: 0 } : undefined;
      post({ type: 'head', id: m.id, head: sender.head });
    } catch (e) {
      post({ type: 'error', id: m.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  } else if (m.type === 'next') {
    if (!current || current.id !== m.id) return;
    const piece = current.sender.next();
    if (piece) post({ type: 'piece', id: m.id, piece });
    if (!piece || ++current.sent >= current.sender.head.pieces) current = undefined;
  }
});
