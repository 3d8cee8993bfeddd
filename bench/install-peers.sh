#!/usr/bin/env bash
# Installs the benchmark peers: wrk (Debian), and the deno and bun npm packages (which ship
# their binaries) into bench/.peers/. Node comes with the machine.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk
fi
mkdir -p .peers
npm install --silent --prefix .peers deno bun >/dev/null 2>&1 || echo "note: deno/bun not installed (npm failed); they will be skipped"
echo "peers: wrk=$(command -v wrk) node=$(command -v node) deno=$(ls .peers/node_modules/.bin/deno 2>/dev/null) bun=$(ls .peers/node_modules/.bin/bun 2>/dev/null)"
