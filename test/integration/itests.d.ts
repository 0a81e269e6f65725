// The module esbuild.mjs generates at build time: one entry per test/integration/*.itest.ts.
declare module 'tcpscn:itests' {
  export const itestModules: ReadonlyArray<{
    file: string;
    tests: Record<string, () => Promise<void>> | undefined;
  }>;
}
