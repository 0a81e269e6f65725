// Parts of the extension that activation does not need (the kernel verify command, the exports;
// completion, hover and quick fixes) are bundled by esbuild.mjs into their own files beside
// dist/extension.js (dist/verify.js, dist/export.js, dist/assist.js),
// and loaded here only when a command first needs them, so activation reads and compiles only
// what every session uses. esbuild's code splitting would do this by itself, but it needs ESM
// output, and VS Code loads this extension as CommonJS: a separate entry and a plain `require`
// at the moment of use is the CommonJS way. The path is computed, so esbuild leaves the
// `require` alone instead of pulling the module back into extension.js.

import { join } from 'node:path';

/**
 * The lazily loaded bundles in dist/; esbuild.mjs (LAZY_ENTRIES) builds each from its module:
 * verify.js from src/extension/verify/verifyDocument.ts, export.js from src/extension/preview/export.ts,
 * assist.js (completion, hover, quick fixes) from src/extension/language/assist.ts.
 */
export type LazyBundle = 'verify.js' | 'export.js' | 'assist.js';

const loaded = new Set<LazyBundle>();

/**
 * A loader of `file` (a LazyBundle) from the folder of the running bundle: the first call
 * loads it, later calls return the same module. `T` is `typeof import(<its source module>)`.
 */
export function lazyBundle<T>(file: LazyBundle, dir: string = __dirname): () => T {
  let module: T | undefined;
  return () => {
    if (module === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use on purpose (see above)
      module = require(join(dir, file)) as T;
      loaded.add(file);
    }
    return module;
  };
}

/** Which lazy bundles this extension host has loaded so far (for the integration tests). */
export function loadedLazyBundles(): LazyBundle[] {
  return [...loaded].sort();
}
