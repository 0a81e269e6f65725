// Types of what esbuild.mjs exports to TypeScript callers (the bench, test/unit/bundle.test.ts).
import type { BuildOptions } from 'esbuild';

/** The extension host's bundles, by output name in dist/, each with its source module. */
export declare const EXTENSION_ENTRIES: { extension: string; verify: string; export: string; assist: string };

/** esbuild's options for the extension host's bundles, written to `outdir` (default dist/);
 * `production` minifies (default: esbuild.mjs's --production). */
export declare function extensionBuildOptions(options?: { outdir?: string; production?: boolean }): BuildOptions;
