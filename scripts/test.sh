#!/usr/bin/env bash
# The whole test suite: builds, lints and tests every project (contract, backend, frontend, and
# docker: the deployment files checked against the code), then
# runs the browser end-to-end tests (frontend-e2e: Debian's Chromium against the real backend).
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

# Browser tests drive Debian's Chromium (never a downloaded browser); install it when missing.
if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi

# The deployment checks (docker:test) run Debian's nginx on the web server's config and Compose v1
# on the compose file (no container engine needed); install them when missing. Their packages'
# services are not started: a policy-rc.d refuses that for the length of the install.
deploy_tools=()
command -v nginx >/dev/null || deploy_tools+=(nginx)
command -v docker-compose >/dev/null || deploy_tools+=(docker-compose)
if [[ ${#deploy_tools[@]} -gt 0 ]]; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    policy_added=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy_added=true
    fi
    apt_install() { apt-get install -y -q --no-install-recommends "${deploy_tools[@]}" >/dev/null; }
    apt_install || { apt-get update -q >/dev/null && apt_install; }
    if [[ "$policy_added" == true ]]; then rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "missing: ${deploy_tools[*]}: run 'sudo apt-get install -y --no-install-recommends ${deploy_tools[*]}'" >&2
    exit 1
  fi
fi

mkdir -p tmp
rm -f tmp/backend-test-results.json
status=0
npx nx run-many -t build lint test --parallel=2 --outputStyle=stream || status=$?
# then the browser end-to-end tests, alone, against the builds made above
npx nx run frontend-e2e:e2e --outputStyle=stream || status=$?

# One closing line with the backend's counts (the frontend's are printed by Vitest above).
if [[ -f tmp/backend-test-results.json ]]; then
  node -e '
    const r = require("./tmp/backend-test-results.json");
    console.log(`backend: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  '
fi
exit "$status"
