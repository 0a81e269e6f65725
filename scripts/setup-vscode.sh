#!/usr/bin/env bash
# Prepares everything needed to run tcpscn in a real VS Code on a machine without internet
# (except the npm registry and Debian packages): Chromium and the build tools for
# code-server's native modules (apt), Node 24 (code-server needs it; the project runs on
# Node 20) and code-server itself (VS Code server + web workbench). Idempotent: each step is
# skipped when its result is already present, so a second run takes about a second.
#
# Caches live OUTSIDE git: ${TCPSCN_CACHE:-$HOME/.cache/tcpscn}.
# Prints `export` lines for the paths at the end; other scripts source this file's
# functions through `source scripts/setup-vscode.sh --print-env` style use (see start.sh).
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE="${TCPSCN_CACHE:-$HOME/.cache/tcpscn}"
NODE24_DIR="$CACHE/node24"
NODE24_BIN="$NODE24_DIR/node_modules/node/bin"
CODE_SERVER_DIR="$CACHE/code-server"
CODE_SERVER="$CODE_SERVER_DIR/node_modules/.bin/code-server"

log() { printf '[setup-vscode] %s\n' "$*"; }

# Run from `npm test`, this script inherits npm's settings for Node 20 (npm_config_nodedir=/usr,
# npm_node_execpath, NODE, ...): a nested npm would then build code-server's native modules
# against Node 20's headers and run its install scripts with Node 20, which code-server
# refuses. Start every npm here from a clean slate.
for v in $(env | grep -oE '^(npm_[A-Za-z0-9_]+|NODE)=' | tr -d '='); do unset "$v"; done

# npm itself, run by a given node (npm is a plain script; the `node` registry package brings
# only the node binary).
NPM_CLI="$(readlink -f "$(command -v npm)")"
npm_with() {
  local node_bin="$1"
  shift
  if head -n1 "$NPM_CLI" | grep -q node; then
    PATH="$node_bin:$PATH" "$node_bin/node" "$NPM_CLI" "$@"
  else
    # A shell wrapper (not npm-cli.js itself): it runs the first node on PATH.
    PATH="$node_bin:$PATH" npm "$@"
  fi
}

APT_PACKAGES=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++)

ensure_apt_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt packages present: ${APT_PACKAGES[*]}"
    return
  fi
  log "installing apt packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  log "apt packages installed"
}

ensure_node24() {
  if [ -x "$NODE24_BIN/node" ] && "$NODE24_BIN/node" --version | grep -q '^v24\.'; then
    log "Node 24 present: $("$NODE24_BIN/node" --version) ($NODE24_BIN/node)"
    return
  fi
  log "installing Node 24 from the npm registry into $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-audit --no-fund --loglevel=error node@24 >/dev/null
  log "Node 24 installed: $("$NODE24_BIN/node" --version)"
}

code_server_version() {
  # `code-server --version` prints "4.139.1 <commit> with Code 1.x.y"; first word is enough.
  [ -x "$CODE_SERVER" ] || return 1
  PATH="$NODE24_BIN:$PATH" "$CODE_SERVER" --version 2>/dev/null | grep -m1 -oE "^[0-9]+\.[0-9]+\.[0-9]+"
}

ensure_code_server() {
  local have
  have="$(code_server_version || true)"
  if [ "$have" = "$CODE_SERVER_VERSION" ]; then
    log "code-server $have present ($CODE_SERVER)"
    return
  fi
  log "installing code-server@$CODE_SERVER_VERSION into $CODE_SERVER_DIR (about 2 minutes; found: ${have:-none})"
  mkdir -p "$CODE_SERVER_DIR"
  local start=$SECONDS
  # Its postinstall builds native modules with node-gyp against Node 24's headers, which
  # node-gyp reads from the registry-installed Node itself.
  npm_with "$NODE24_BIN" install --prefix "$CODE_SERVER_DIR" --no-audit --no-fund \
    --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$CACHE/code-server-install.log" 2>&1 || {
      log "code-server install FAILED; last lines of $CACHE/code-server-install.log:"
      tail -n 40 "$CACHE/code-server-install.log"
      exit 1
    }
  log "code-server installed in $((SECONDS - start)) s"
}

main() {
  mkdir -p "$CACHE"
  ensure_apt_packages
  ensure_node24
  ensure_code_server
  local v
  v="$(PATH="$NODE24_BIN:$PATH" "$CODE_SERVER" --version | grep -m1 "with Code")"
  log "verified: code-server --version -> $v"
  log "CODE_SERVER=$CODE_SERVER"
  log "NODE24_BIN=$NODE24_BIN"
}

main "$@"
