// The messages between the extension host and the analysis worker (analysisWorker.ts).

import type { Diagnostic } from '../core/types';
import type { OutlineSymbol } from '../core/assist/outline';
import type { TransferHead, TransferPiece } from './analysisTransfer';

export type ToWorker = { type: 'analyze'; id: number; text: string; full: boolean } | { type: 'next'; id: number };

export type FromWorker =
  | {
      type: 'result';
      id: number;
      /** Empty when `head` comes: then they are the analysis's own. */
      diagnostics: Diagnostic[];
      outline: OutlineSymbol[];
      /** The whole analysis's head (its pieces follow on request), when asked for (`full`). */
      head?: TransferHead;
    }
  | { type: 'piece'; id: number; piece: TransferPiece }
  | { type: 'error'; id: number; message: string };
