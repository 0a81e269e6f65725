#!/usr/bin/env bash
# Every test of tcpscn, from a fresh clone: what `npm test` and CI run.
#
#   install      npm ci (only when node_modules is missing or older than package-lock.json)
#   typecheck    tsc -b over every layer (npm run typecheck; see tsconfig.json)
#   lint         Prettier's check and ESLint (npm run lint)
#   unit         node:test unit and property tests (test/unit/*.test.ts)
#   build        esbuild bundles (extension, cli, webview, integration suite)
#   examples     `tcpscn test` on every example folder
#   verify       `tcpscn verify` of a few short examples on this machine's kernel, in parallel and
#                bounded in time; "skipped: <reason>" where it cannot run (not root, no TUN...)
#   package      the .vsix, and a check of what it holds
#   setup        Chromium, Node 24 and code-server (scripts/setup-vscode.sh; cached)
#   integration  the vscode-API suite inside code-server's extension host
#   e2e          the user's view: code-server's workbench in Chromium
#
# A stage that fails makes the script fail. Stages that others need (install, build, package,
# setup) stop the run at once; test stages all run so one report shows every failure.
# The last line sums every stage's counts: `N passed, N failed`.
#
# Options: TCPSCN_SKIP="e2e integration" skips stages by name (for quick local runs).
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
export FUZZ_RUNS="${FUZZ_RUNS:-50}"
SKIP=" ${TCPSCN_SKIP:-} "
LOGDIR="$ROOT/test-output/logs"
mkdir -p "$LOGDIR"

TOTAL_PASSED=0
TOTAL_FAILED=0
FAILED_STAGES=()
SUMMARY=()
START_ALL=$SECONDS

header() {
  printf '\n==================== %s ====================\n' "$1"
}

# Adds the counts a runner printed to the totals. Understands node:test's closing lines
# (spec `ℹ pass N` / TAP `# pass N`) and the `N passed, N failed` line of the cli and the
# integration runner.
count_tests() {
  local log="$1" p f line
  p="$(grep -aE '^(ℹ|#) pass [0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+$' || true)"
  f="$(grep -aE '^(ℹ|#) fail [0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+$' || true)"
  if [ -z "$p" ]; then
    line="$(grep -aE '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1 || true)"
    if [ -n "$line" ]; then
      p="$(sed -E 's/.*([^0-9]|^)([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")"
      f="$(sed -E 's/.*([^0-9]|^)([0-9]+) passed, ([0-9]+) failed.*/\3/' <<<"$line")"
    fi
  fi
  STAGE_PASSED="${p:-}"
  STAGE_FAILED="${f:-}"
}

# run_stage NAME KIND COMMAND...   KIND: "gate" stops everything on failure, "test" goes on.
run_stage() {
  local name="$1" kind="$2"
  shift 2
  if [[ "$SKIP" == *" $name "* ]]; then
    header "$name (skipped: TCPSCN_SKIP)"
    SUMMARY+=("$(printf '%-12s skipped' "$name")")
    return 0
  fi
  header "$name"
  local log="$LOGDIR/$name.log" started=$SECONDS status
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  local secs=$((SECONDS - started))
  STAGE_PASSED=""
  STAGE_FAILED=""
  count_tests "$log"
  local counts=""
  if [ -n "$STAGE_PASSED" ]; then
    TOTAL_PASSED=$((TOTAL_PASSED + STAGE_PASSED))
    TOTAL_FAILED=$((TOTAL_FAILED + ${STAGE_FAILED:-0}))
    counts=" ($STAGE_PASSED passed, ${STAGE_FAILED:-0} failed)"
  fi
  if [ "$status" -ne 0 ]; then
    # A runner that failed without counting (a crash, a compile error) still counts as one.
    if [ "$kind" = test ] && { [ -z "$STAGE_FAILED" ] || [ "$STAGE_FAILED" = 0 ]; }; then
      TOTAL_FAILED=$((TOTAL_FAILED + 1))
    fi
    FAILED_STAGES+=("$name")
    SUMMARY+=("$(printf '%-12s FAILED  %4ss%s' "$name" "$secs" "$counts")")
    printf '\n---- stage %s FAILED (exit %s, %ss); log: %s\n' "$name" "$status" "$secs" "${log#"$ROOT"/}"
    if [ "$kind" = gate ]; then finish; fi
  else
    SUMMARY+=("$(printf '%-12s ok      %4ss%s' "$name" "$secs" "$counts")")
    printf '\n---- stage %s ok (%ss)%s\n' "$name" "$secs" "$counts"
  fi
}

finish() {
  header "summary"
  printf '%s\n' "${SUMMARY[@]}"
  printf 'total time %ss\n' "$((SECONDS - START_ALL))"
  if [ ${#FAILED_STAGES[@]} -gt 0 ]; then
    printf 'FAILED stages: %s\n' "${FAILED_STAGES[*]}"
    printf '%s passed, %s failed\n' "$TOTAL_PASSED" "$TOTAL_FAILED"
    exit 1
  fi
  printf '%s passed, %s failed\n' "$TOTAL_PASSED" "$TOTAL_FAILED"
  exit 0
}

install_deps() {
  if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "node_modules is up to date with package-lock.json"
  else
    echo "node_modules missing or older than package-lock.json: npm ci"
    npm ci --no-audit --no-fund
  fi
}

example_dirs() {
  local dirs=()
  for d in ../shared/examples examples; do
    if [ -d "$d" ]; then dirs+=("$d"); else echo "examples: $d does not exist, skipped" >&2; fi
  done
  [ ${#dirs[@]} -gt 0 ] || { echo "examples: no example folder found" >&2; return 1; }
  node dist/cli.js test "${dirs[@]}"
}

package_and_check() {
  rm -f tcpscn-*.vsix
  npm run --silent package || return 1
  local vsix
  vsix="$(ls tcpscn-*.vsix)"
  node --import tsx --test --test-reporter=spec test/vscode/vsix.check.ts
}

unit_tests() {
  shopt -s nullglob
  local files=(test/unit/*.test.ts)
  [ ${#files[@]} -gt 0 ] || { echo "no unit tests found"; return 1; }
  node --import tsx --test --test-reporter=spec --test-timeout=60000 "${files[@]}"
}

e2e_tests() {
  shopt -s nullglob
  local files=(test/e2e/*.e2e.ts)
  [ ${#files[@]} -gt 0 ] || { echo "no e2e tests found"; return 1; }
  node --import tsx --test --test-reporter=spec --test-concurrency=1 --test-timeout=300000 "${files[@]}"
}

run_stage install gate install_deps
run_stage typecheck test npm run --silent typecheck
run_stage lint test npm run --silent lint
run_stage unit test unit_tests
run_stage build gate node esbuild.mjs
run_stage examples test example_dirs
run_stage verify test timeout 300 node --import tsx scripts/verify-examples.ts --ci --jobs 3
run_stage package gate package_and_check
run_stage setup gate bash scripts/setup-vscode.sh
run_stage integration test node --import tsx test/vscode/run-integration.ts
run_stage e2e test e2e_tests
finish
