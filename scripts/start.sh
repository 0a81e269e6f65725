#!/usr/bin/env bash
# Starts tcpscn in a real VS Code with examples/ open, setting up whatever is missing.
#
#   bash scripts/start.sh                 desktop `code` when on PATH, else code-server
#   bash scripts/start.sh --code-server   always code-server (VS Code in the browser)
#
# code-server: installs dependencies when needed, builds and packages the .vsix, runs
# scripts/setup-vscode.sh, installs the .vsix into a fresh extensions folder, and serves VS
# Code at http://127.0.0.1:${TCPSCN_PORT:-8080}/ with the examples folder and one example
# open. Runs in the foreground until Ctrl+C. Nothing outside ${TCPSCN_CACHE:-~/.cache/tcpscn}
# and the repository is written.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE="${TCPSCN_CACHE:-$HOME/.cache/tcpscn}"
PORT="${TCPSCN_PORT:-8080}"
log() { printf '[start] %s\n' "$*"; }

USE_CODE_SERVER=0
for a in "$@"; do
  case "$a" in
    --code-server) USE_CODE_SERVER=1 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $a" >&2; exit 2 ;;
  esac
done

if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  log "dependencies up to date"
else
  log "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

if [ -d examples ] && compgen -G 'examples/*.tcpscn' >/dev/null; then
  WORKSPACE="$ROOT/examples"
elif [ -d ../shared/examples ]; then
  WORKSPACE="$(cd ../shared/examples && pwd)"
else
  echo "no examples folder (examples/ or ../shared/examples)" >&2
  exit 1
fi
FIRST_FILE="$WORKSPACE/handshake-and-close.tcpscn"
[ -f "$FIRST_FILE" ] || FIRST_FILE="$(ls "$WORKSPACE"/*.tcpscn | head -n1)"

if [ "$USE_CODE_SERVER" = 0 ] && command -v code >/dev/null 2>&1; then
  log "building (development build with source maps)"
  node esbuild.mjs
  log "desktop VS Code found: code --extensionDevelopmentPath=$ROOT $WORKSPACE"
  log "(use --code-server for VS Code in the browser instead)"
  exec code --extensionDevelopmentPath="$ROOT" "$WORKSPACE" "$FIRST_FILE"
fi

log "building and packaging the extension"
rm -f tcpscn-*.vsix
npm run --silent package >/dev/null
VSIX="$(ls "$ROOT"/tcpscn-*.vsix)"
log "packaged $(basename "$VSIX")"

bash scripts/setup-vscode.sh
NODE24_BIN="$CACHE/node24/node_modules/node/bin"
CODE_SERVER="$CACHE/code-server/node_modules/.bin/code-server"
export PATH="$NODE24_BIN:$PATH"

# A fresh extensions folder each time, so the running extension is exactly this build.
# User settings persist between starts (in the cache), like a normal VS Code profile.
RUN="$CACHE/start"
rm -rf "$RUN/extensions"
mkdir -p "$RUN/extensions" "$RUN/user-data/User"
if [ ! -f "$RUN/user-data/User/settings.json" ]; then
  cat >"$RUN/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
fi
printf 'auth: none\ncert: false\n' >"$RUN/config.yaml"
COMMON=(--config "$RUN/config.yaml" --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/extensions")
"$CODE_SERVER" "${COMMON[@]}" --force --install-extension "$VSIX" >/dev/null
log "installed $(basename "$VSIX") into $RUN/extensions"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is in use; choose another with TCPSCN_PORT=NNNN" >&2
  exit 1
fi

# The web workbench opens a file given as `openFile` in the `payload` query parameter.
urlencode() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }
PAYLOAD="[[\"openFile\",\"vscode-remote://127.0.0.1:$PORT$FIRST_FILE\"]]"
URL="http://127.0.0.1:$PORT/?folder=$(urlencode "$WORKSPACE")&payload=$(urlencode "$PAYLOAD")"

cat <<EOF

  tcpscn is running in VS Code (code-server) with $WORKSPACE open.
  Open this address in a browser:

    $URL

  (or just http://127.0.0.1:$PORT/). In the editor, run "TCP Scenario: Run TCP scenario"
  from the command palette (Ctrl+Shift+P) or press the ▶ in the editor title.
  Ctrl+C stops it.

EOF

exec "$CODE_SERVER" "${COMMON[@]}" \
  --auth none --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened \
  "$WORKSPACE"
