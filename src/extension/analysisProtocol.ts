// The messages between the extension host and the analysis worker (analysisWorker.ts).

import type { Diagnostic, Range } from '../core/types';
import type { OutlineSymbol } from '../core/assist/outline';
import type { QuickFix } from '../core/assist/quickFix';
import type { TransferHead, TransferPiece } from './analysisTransfer';

export type ToWorker =
  | { type: 'analyze'; id: number; text: string; full: boolean }
  | { type: 'next'; id: number }
  /** The quick fixes for `range` of job `job`'s text (request `id`). */
  | { type: 'fixes'; id: number; job: number; range: Range };

export type FromWorker =
  | {
      type: 'result';
      id: number;
      /** Empty when `head` comes: then they are the analysis's own. */
      diagnostics: Diagnostic[];
      /** null: the same as the last result's (analysisWorker.ts). */
      outline: OutlineSymbol[] | null;
      /** The whole analysis's head (its pieces follow on request), when asked for (`full`). */
      head?: TransferHead;
      /** The text was the last job's: its analysis was sent again, not made again. */
      reused: boolean;
    }
  | { type: 'piece'; id: number; piece: TransferPiece }
  /** The answer to request `id`: null when the worker no longer holds that job's analysis. */
  | { type: 'fixes'; id: number; fixes: QuickFix[] | null }
  | { type: 'error'; id: number; message: string };
