// Which previews were locked, as the extension itself records it (in workspaceState) the moment
// a preview is locked, unlocked, opened or closed. VS Code keeps a webview's own state
// (vscode.setState) for a reload only when it next saves the workbench's editors, so a reload
// soon after locking brought the preview back unlocked; this record is written at once and is
// what the serializer trusts. Pure: no vscode import.

export const LOCK_RECORD_KEY = 'tcpscn.preview.lockedUris';

/** The URIs in a stored record, or undefined when there is none (older version, first run). */
export function parseLockRecord(stored: unknown): string[] | undefined {
  if (!Array.isArray(stored)) return undefined;
  return stored.filter((x): x is string => typeof x === 'string');
}

/**
 * The locked previews recorded by the last session, handed out as their panels are restored.
 * One entry per locked panel: two locked previews of one document are two entries.
 */
export class PendingLocks {
  private readonly pending: string[] | undefined;

  constructor(stored: unknown) {
    this.pending = parseLockRecord(stored);
  }

  /**
   * Whether a restored panel of `uri` comes back locked. With a record, the record decides
   * (the panel's own state may predate the last lock or unlock) and the entry is used up;
   * without one, the panel's own state does.
   */
  take(uri: string, stateLocked: boolean): boolean {
    if (this.pending === undefined) return stateLocked;
    const i = this.pending.indexOf(uri);
    if (i < 0) return false;
    this.pending.splice(i, 1);
    return true;
  }

  /** Recorded locks whose panels have not been restored yet (a background tab is restored when first shown). */
  remaining(): string[] {
    return [...(this.pending ?? [])];
  }
}

/** The record to store: the locked previews open now, and those still waiting to be restored. */
export function lockRecord(lockedNow: readonly string[], pending: PendingLocks): string[] {
  return [...lockedNow, ...pending.remaining()];
}
