// The messages between the extension host and the analysis worker (analysisWorker.ts).

import type { TransferHead, TransferPiece } from './analysisTransfer';

export type ToWorker = { type: 'analyze'; id: number; text: string } | { type: 'next'; id: number };

export type FromWorker =
  | { type: 'head'; id: number; head: TransferHead }
  | { type: 'piece'; id: number; piece: TransferPiece }
  | { type: 'error'; id: number; message: string };
