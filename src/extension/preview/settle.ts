// A promise the preview starts and does not wait for (a message shown, a context key set, a
// line revealed after a click) still reports its failure: to the extension host's log, where
// the rest of the preview's errors go, never silently.

/** Lets `p` run on without awaiting it; a rejection is logged with `what` was being done. */
export function settle(p: PromiseLike<unknown>, what: string): void {
  p.then(undefined, (err: unknown) => console.error(`tcpscn preview: ${what} failed`, err));
}
