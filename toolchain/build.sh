#!/usr/bin/env bash
# The pinned Pulumi CLI toolchain: `pulumi`, our `pulumi-language-nodejs` and the `pulumi-resource-pulumi-nodejs`
# launcher, built from Go modules into a cache outside the checkout (so a fresh clone reuses it).
# Prints the directory that holds the three on stdout; everything else goes to stderr.
#
#   toolchain/build.sh           build if needed (fresh: minutes; cached: well under a second)
#   toolchain/build.sh --locate  print the directory only if it is already there (exit 1 otherwise)
#
# A `pulumi` on PATH at the pinned version or newer (a contributor's own install, with its own language host and
# launcher beside it) is used instead. EDGECONF_TOOLCHAIN_CACHE moves the cache (default ~/.cache/pulumi-edgeconf).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-build}

version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")
[ -n "$version" ] || { echo "toolchain: no github.com/pulumi/pulumi/pkg/v3 version in $here/go.mod" >&2; exit 1; }

# newer_or_equal A B: is version A (vX.Y.Z) at least B?
newer_or_equal() { [ "$(printf '%s\n%s\n' "${1#v}" "${2#v}" | sort -V | head -1)" = "${2#v}" ]; }

if on_path=$(command -v pulumi 2>/dev/null); then
  found=$(pulumi version 2>/dev/null | tr -d '[:space:]' || true)
  if [[ $found == v3.* ]] && newer_or_equal "$found" "$version" && [ -x "$(dirname "$on_path")/pulumi-language-nodejs" ]; then
    dirname "$on_path"
    exit 0
  fi
fi

# The key covers everything that goes into the build, so an edit to the host or a new pin builds anew; bump
# `recipe` when the steps below change what they produce.
recipe=1
key=$( (echo "recipe $recipe"; cat "$here/go.mod" "$here/go.sum" "$here"/language-nodejs/*.go) | sha256sum | cut -c1-12)
cache=${EDGECONF_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-edgeconf}
bin="$cache/pulumi-$version-$key/bin"
if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
  echo "$bin"
  exit 0
fi
if [ "$mode" = --locate ]; then
  echo "toolchain: Pulumi CLI $version is not built yet; build it with: bash toolchain/build.sh (Go 1.26+, minutes)" >&2
  exit 1
fi
command -v go >/dev/null || { echo "toolchain: building the Pulumi CLI needs Go (1.26 or later) on PATH" >&2; exit 1; }

started=$(date +%s)
echo "toolchain: building Pulumi CLI $version into $bin (fresh: several minutes on 2 cores)" >&2
tmp="$bin.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"
(
  cd "$here"
  go build -trimpath -ldflags "$ldflags" -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  go build -trimpath -ldflags "$ldflags" -o "$tmp/pulumi-language-nodejs" ./language-nodejs
) >&2
# What the CLI distribution ships beside `pulumi`: the dynamic provider, started from the program's @pulumi/pulumi.
cat > "$tmp/pulumi-resource-pulumi-nodejs" <<'SH'
#!/bin/sh
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
SH
chmod +x "$tmp/pulumi-resource-pulumi-nodejs"
rm -rf "$bin" && mkdir -p "$(dirname "$bin")" && mv "$tmp" "$bin"
echo "toolchain: built in $(( $(date +%s) - started )) s" >&2
echo "$bin"
