#!/bin/sh
# Installs the npm dependencies (the dev ones included: they hold the pinned Node 24) when they are missing or stale,
# so `npm start` and `npm test` work on a fresh clone.
set -eu
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-install: npm ci" >&2
  npm ci --include=dev --no-audit --no-fund
fi
