#!/usr/bin/env bash
# The whole test suite: builds, lints and tests every project (backend and frontend).
# Backend integration tests run against BOTH embedded PGlite and a real PostgreSQL 15 with
# pgvector 0.8; scripts/provision-postgres.sh installs/starts that server when needed (Debian, root)
# and each test file creates and drops its own scratch database.
#
#   TEST_ENGINES=pglite npm test         # embedded engine only, no PostgreSQL needed
#   TEST_POSTGRES_ADMIN_URL=postgresql://user:pass@host:5432/postgres npm test   # use an existing server
set -euo pipefail
cd "$(dirname "$0")/.."

export CLERK_TELEMETRY_DISABLED=1 NX_DAEMON=false NX_NO_CLOUD=true NG_CLI_ANALYTICS=false
export TEST_ENGINES="${TEST_ENGINES:-pglite,postgres}"

if [[ "$TEST_ENGINES" == *postgres* && -z "${TEST_POSTGRES_ADMIN_URL:-}" ]]; then
  TEST_POSTGRES_ADMIN_URL="$(bash scripts/provision-postgres.sh)"
  export TEST_POSTGRES_ADMIN_URL
fi

mkdir -p tmp
rm -f tmp/backend-test-results.json
status=0
npx nx run-many -t build lint test --parallel=2 --outputStyle=stream || status=$?

# One closing line with the backend's counts (the frontend's are printed by Vitest above).
if [[ -f tmp/backend-test-results.json ]]; then
  node -e '
    const r = require("./tmp/backend-test-results.json");
    console.log(`backend: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  '
fi
exit "$status"
