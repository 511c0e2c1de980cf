#!/usr/bin/env bash
# A pinned Node.js from the npm registry's node-linux-<arch> package (which ships the binary), cached outside
# the checkout. Prints the directory holding `node` (put it first on PATH: npm then runs on it too).
#   toolchain/node.sh 22 | 24
set -euo pipefail
case "${1:-22}" in
  22) version=22.23.3 ;;
  24) version=24.21.0 ;;
  *) echo "node.sh: Node 22 or 24, not '$1'" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node.sh: no node package for $(uname -m)" >&2; exit 1 ;;
esac
cache=${EDGECONF_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-edgeconf}
prefix="$cache/node-v$version"
bin="$prefix/node_modules/node-linux-$arch/bin"
if ! [ -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$version" ]; then
  echo "node.sh: installing Node.js $version into $prefix" >&2
  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$prefix" "node-linux-$arch@$version" >&2
fi
echo "$bin"
