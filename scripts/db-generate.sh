#!/usr/bin/env bash
# Generates the next migration from src/db/schema/*.ts. Several people may add tables at once:
# generation runs one at a time (mkdir is atomic), so the migration journal stays in order.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=.cache/db-generate.lock
mkdir -p .cache
for _ in $(seq 1 120); do mkdir "$lock" 2>/dev/null && break; sleep 1; done
[ -d "$lock" ] || { echo "Could not take $lock after 2 minutes" >&2; exit 1; }
trap 'rmdir "$lock"' EXIT
npx drizzle-kit generate "$@"
