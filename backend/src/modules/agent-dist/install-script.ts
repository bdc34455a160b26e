import { AGENT_NODE_FLAGS } from './agent-node-flags.js';

/**
 * `GET /install.sh`: installs the agent on a Debian/Ubuntu host. Run as
 * `curl -fsSL <url>/install.sh | sudo sh -s -- --url <url> --token <token>`; the token is an
 * argument, never part of a URL. `--root DIR` installs under DIR and `--no-systemd` starts the
 * agent as a background process instead of a systemd unit (both used by the tests).
 */
export function installScript(defaultUrl: string): string {
  return `#!/bin/sh
# Syntra agent installer. Usage: sh install.sh --token <agent token> [--url URL] [--root DIR] [--no-systemd]
set -eu

URL=${shellQuote(defaultUrl)}
TOKEN=""
ROOT=""
SYSTEMD=1
NODE_BIN="\${SYNTRA_NODE:-}"

while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL="$2"; shift 2 ;;
    --token) TOKEN="$2"; shift 2 ;;
    --root) ROOT="$2"; shift 2 ;;
    --no-systemd) SYSTEMD=0; shift ;;
    *) echo "syntra: unknown option $1" >&2; exit 2 ;;
  esac
done

[ -n "$TOKEN" ] || { echo "syntra: --token is required" >&2; exit 2; }
URL="\${URL%/}"

say() { printf '  \\033[1m%s\\033[0m\\n' "$*"; }

# 1. Node.js >= 18 (the agent is a single ES module; Debian 12's nodejs package is 18).
if [ -z "$NODE_BIN" ]; then NODE_BIN="$(command -v node || true)"; fi
if [ -z "$NODE_BIN" ] || ! "$NODE_BIN" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
  if [ -n "$ROOT" ]; then echo "syntra: Node.js >= 18 is required" >&2; exit 1; fi
  say "Installing Node.js"
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq nodejs >/dev/null
    NODE_BIN="$(command -v node)"
  else
    echo "syntra: install Node.js >= 18, then run this again" >&2; exit 1
  fi
fi

BIN_DIR="$ROOT/opt/syntra-agent"
CONF_DIR="$ROOT/etc/syntra-agent"
DATA_DIR="$ROOT/var/lib/syntra-agent"
LOG_DIR="$ROOT/var/log"
mkdir -p "$BIN_DIR" "$CONF_DIR" "$DATA_DIR" "$LOG_DIR"
chmod 700 "$CONF_DIR" "$DATA_DIR"

# 2. The agent itself, from this control plane.
say "Downloading the agent from $URL"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL "$URL/agent/syntra-agent.mjs" -o "$BIN_DIR/syntra-agent.mjs.tmp"
else
  wget -qO "$BIN_DIR/syntra-agent.mjs.tmp" "$URL/agent/syntra-agent.mjs"
fi
mv "$BIN_DIR/syntra-agent.mjs.tmp" "$BIN_DIR/syntra-agent.mjs"
chmod 755 "$BIN_DIR/syntra-agent.mjs"

# 2b. Native modules per platform: node-pty (terminals) and bufferutil (fast WebSocket masking).
#     Optional: the agent runs without them, minus terminals.
case "$(uname -m)" in
  x86_64|amd64) NATIVE_TARGET="linux-x64" ;;
  aarch64|arm64) NATIVE_TARGET="linux-arm64" ;;
  *) NATIVE_TARGET="" ;;
esac
NATIVE_OK=0
if [ -n "$NATIVE_TARGET" ]; then
  mkdir -p "$BIN_DIR/node_modules"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL "$URL/agent/native-$NATIVE_TARGET.tar.gz" -o "$BIN_DIR/native.tar.gz" 2>/dev/null && NATIVE_OK=1
  else
    wget -qO "$BIN_DIR/native.tar.gz" "$URL/agent/native-$NATIVE_TARGET.tar.gz" 2>/dev/null && NATIVE_OK=1
  fi
  if [ "$NATIVE_OK" = 1 ]; then
    rm -rf "$BIN_DIR/node_modules/@lydell" "$BIN_DIR/node_modules/bufferutil" "$BIN_DIR/node_modules/node-gyp-build"
    tar -xzf "$BIN_DIR/native.tar.gz" -C "$BIN_DIR/node_modules" || NATIVE_OK=0
  fi
  rm -f "$BIN_DIR/native.tar.gz"
fi
if [ "$NATIVE_OK" = 1 ]; then
  say "Native modules installed ($NATIVE_TARGET): terminals ready"
else
  echo "syntra: no native modules for $(uname -m) from this control plane; the agent runs without terminals." >&2
  echo "        To add them: cd $BIN_DIR && npm install @lydell/node-pty bufferutil" >&2
fi

# 3. Configuration, readable by root only: it holds the token.
CONF="$CONF_DIR/config.json"
umask 077
cat > "$CONF.tmp" <<CONFIG
{
  "url": "$URL",
  "token": "$TOKEN",
  "data_dir": "$DATA_DIR"
}
CONFIG
chmod 600 "$CONF.tmp"
mv "$CONF.tmp" "$CONF"
umask 022

START="$NODE_BIN ${AGENT_NODE_FLAGS.join(' ')} $BIN_DIR/syntra-agent.mjs --config $CONF"

# 4. Start it: a systemd unit on a real host, a background process otherwise.
if [ "$SYSTEMD" = 1 ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  mkdir -p "$ROOT/etc/systemd/system"
  cat > "$ROOT/etc/systemd/system/syntra-agent.service" <<UNIT
[Unit]
Description=Syntra agent
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$START
Restart=always
RestartSec=3
KillSignal=SIGTERM
TimeoutStopSec=20

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now syntra-agent >/dev/null
  say "Syntra agent installed and started (systemctl status syntra-agent)"
else
  mkdir -p "$ROOT/run"
  nohup $START >> "$LOG_DIR/syntra-agent.log" 2>&1 &
  echo $! > "$ROOT/run/syntra-agent.pid"
  say "Syntra agent started (pid $(cat "$ROOT/run/syntra-agent.pid"), log $LOG_DIR/syntra-agent.log)"
fi
`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
