#!/usr/bin/env bash
# provision-postgres.sh — make a local PostgreSQL (15 on Debian bookworm) with pgvector 0.8.x usable
# on 127.0.0.1:$PGPORT, and print an admin connection URL.
#
# Usage:
#   sudo scripts/provision-postgres.sh                # -> postgresql://bb_test:bb_test@127.0.0.1:5432/postgres
#   TEST_POSTGRES_ADMIN_URL="$(bash scripts/provision-postgres.sh)"   # what scripts/test.sh does
#
# Handles PostgreSQL that is (a) running, (b) installed but stopped / without a cluster, or (c) absent
# (apt-get install postgresql). Idempotent: when everything is in place it prints nothing but the URL
# and needs no privileges. Progress lines go to stderr prefixed "[provision-postgres]"; stdout is
# exactly one line, the URL of a LOGIN SUPERUSER role bb_test/bb_test (works under trust and under
# Debian's default scram-sha-256 host auth; pg_hba.conf is never edited).
#
# pgvector: Debian bookworm does not package it for PostgreSQL 15, so when
# $(pg_config --sharedir)/extension/vector.control is missing (or older than 0.8) it is built from
# Debian trixie's source package. The trixie deb-src entry lives only in a throw-away apt
# configuration under a temp dir (nothing is added to /etc/apt, no trixie binaries can be installed);
# the build needs postgresql-server-dev-<major> and build-essential, which are installed if missing.
#
# Environment:
#   PGPORT          port to serve on (default 5432)
#   PG_MAJOR        PostgreSQL major version to use/install (default: the cluster already on PGPORT,
#                   else the newest installed server, else what Debian's `postgresql` package installs)
#   DEBIAN_MIRROR   Debian archive used for the pgvector source (default: the machine's own Debian
#                   archive, read from its apt sources)
#   PGVECTOR_SUITE  Debian suite to take the pgvector source package from (default trixie)
#   PGVECTOR_OPTFLAGS  compiler flags for the pgvector build (default -march=native; "" for a
#                   portable build, as Debian's own packages are)
set -euo pipefail

PGPORT="${PGPORT:-5432}"
PG_MAJOR="${PG_MAJOR:-}"
# The machine's own Debian archive (first main-archive URI in its apt sources), so this script
# uses whatever mirror apt is already configured with.
apt_mirror() {
  local uri
  uri="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
    | grep -oE '(https?|file)://[^ ]+' | grep -vE 'security|updates|backports' | grep -E '/debian/?$' | head -n1 || true)"
  printf '%s' "${uri%/}"
}
DEBIAN_MIRROR="${DEBIAN_MIRROR:-$(apt_mirror)}"
PGVECTOR_SUITE="${PGVECTOR_SUITE:-trixie}"
PGVECTOR_OPTFLAGS="${PGVECTOR_OPTFLAGS--march=native}"
ROLE=bb_test
ROLE_PASSWORD=bb_test
URL="postgresql://${ROLE}:${ROLE_PASSWORD}@127.0.0.1:${PGPORT}/postgres"

# Connection settings from the caller must not leak into our own psql calls.
unset PGHOST PGHOSTADDR PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE PGOPTIONS \
  PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS PGCLUSTER PGCONNECT_TIMEOUT 2>/dev/null || true
export PGPORT

# stdout is reserved for the final URL; everything else (including tool output) goes to stderr.
exec 3>&1 1>&2
cd /

log() { printf '[provision-postgres] %s\n' "$*" >&2; }
die() { printf '[provision-postgres] ERROR: %s\n' "$*" >&2; exit 1; }

case "$PGPORT" in '' | *[!0-9]*) die "PGPORT must be a number (got '$PGPORT')" ;; esac

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1
need_root() { [ "$IS_ROOT" -eq 1 ] || die "need root to $* — re-run as root (e.g. sudo $0)"; }

TMP=""
cleanup() { [ -n "$TMP" ] && rm -rf "$TMP"; return 0; }
trap cleanup EXIT
tmpdir() {
  if [ -z "$TMP" ]; then
    TMP="$(mktemp -d "${TMPDIR:-/tmp}/provision-postgres.XXXXXX")"
    chmod 755 "$TMP" # lets apt's sandbox user (_apt) write its downloads below it
  fi
}

# Runs a noisy command with its output captured; shows the output only if it fails.
# fds 3 (our stdout) and 9 (the lock) are closed for it: a postmaster started by pg_ctlcluster or by a
# package's postinst would otherwise inherit them, keep the lock held forever and make a caller's
# `URL=$(provision-postgres.sh)` wait for EOF until the server stops.
quietly() {
  tmpdir
  local out="$TMP/cmd.log"
  if ! "$@" </dev/null >"$out" 2>&1 3>&- 9>&-; then
    tail -n 40 "$out" >&2
    die "command failed: $*"
  fi
}

# Serialise concurrent runs (e.g. parallel test jobs) when we can; not essential.
LOCK_FILE=/run/lock/bb-provision-postgres.lock
[ -d /run/lock ] && [ -w /run/lock ] || LOCK_FILE="${TMPDIR:-/tmp}/bb-provision-postgres.$(id -u).lock"
if command -v flock >/dev/null 2>&1 && { exec 9>>"$LOCK_FILE"; } 2>/dev/null; then
  flock -w 300 9 || die "timed out waiting for another provision-postgres run ($LOCK_FILE)"
fi

# ---------------------------------------------------------------------------------------- apt helpers
APT_UPDATED=0
apt_base=(apt-get -q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
apt_update() {
  [ "$APT_UPDATED" -eq 1 ] && return 0
  log "apt-get update"
  quietly env DEBIAN_FRONTEND=noninteractive "${apt_base[@]}" update
  APT_UPDATED=1
}
apt_install() {
  need_root "install $*"
  apt_update
  log "apt-get install $*"
  quietly env DEBIAN_FRONTEND=noninteractive "${apt_base[@]}" install --no-install-recommends "$@"
}

# ------------------------------------------------------------------------------ PostgreSQL discovery
installed_majors() { # newest first
  local d
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$d" ] || continue
    d="${d#/usr/lib/postgresql/}"
    printf '%s\n' "${d%%/*}"
  done | sort -rn
}
# Prints "version name status" of the cluster configured for port $1 (any version), if any.
cluster_on_port() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk -v p="$1" '$3 == p { print $1, $2, $4; exit }'
}
cluster_exists() { # version name
  [ -f "/etc/postgresql/$1/$2/postgresql.conf" ]
}
port_in_use() { # anything accepting TCP connections on 127.0.0.1:$PGPORT
  timeout 3 bash -c 'exec 8<>"/dev/tcp/127.0.0.1/$1"' _ "$PGPORT" 2>/dev/null
}

# 1. Server binaries -------------------------------------------------------------------------------
CLUSTER="$(cluster_on_port "$PGPORT")"
if [ -n "$CLUSTER" ] && [ -z "$PG_MAJOR" ]; then
  PG_MAJOR="${CLUSTER%% *}"
fi
if [ -z "$PG_MAJOR" ]; then
  PG_MAJOR="$(installed_majors | head -n1)"
fi
if [ -z "$PG_MAJOR" ] || [ ! -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ] || ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ -n "$PG_MAJOR" ]; then
    log "PostgreSQL $PG_MAJOR server is not installed; installing it"
    apt_install "postgresql-$PG_MAJOR" postgresql-common
  else
    log "PostgreSQL server is not installed; installing Debian's default version"
    apt_install postgresql
    PG_MAJOR="$(installed_majors | head -n1)"
  fi
  if [ -z "$PG_MAJOR" ] || [ ! -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ]; then
    die "PostgreSQL server binaries not found under /usr/lib/postgresql after installation"
  fi
  command -v pg_lsclusters >/dev/null 2>&1 || die "pg_lsclusters (postgresql-common) not found after installation"
  log "PostgreSQL $PG_MAJOR installed"
  # The package's postinst may have created (and, where services can start, started) a cluster.
  CLUSTER="$(cluster_on_port "$PGPORT")"
fi
BIN="/usr/lib/postgresql/$PG_MAJOR/bin"

# 2. A cluster on PGPORT ----------------------------------------------------------------------------
if [ -z "$CLUSTER" ]; then
  if port_in_use; then
    die "something (not a Debian-managed PostgreSQL cluster) already listens on 127.0.0.1:$PGPORT; stop it or choose another PGPORT"
  fi
  need_root "create a PostgreSQL cluster"
  NAME=main
  cluster_exists "$PG_MAJOR" "$NAME" && NAME="bb_$PGPORT"
  cluster_exists "$PG_MAJOR" "$NAME" && die "cluster $PG_MAJOR/$NAME exists but is not configured for port $PGPORT"
  log "creating cluster $PG_MAJOR/$NAME on port $PGPORT"
  quietly pg_createcluster --start-conf=auto -p "$PGPORT" "$PG_MAJOR" "$NAME"
  CLUSTER="$PG_MAJOR $NAME down"
fi
read -r CL_VER CL_NAME CL_STATUS <<<"$CLUSTER"
[ "$CL_VER" = "$PG_MAJOR" ] ||
  die "port $PGPORT belongs to cluster $CL_VER/$CL_NAME, but PG_MAJOR=$PG_MAJOR was requested; choose another PGPORT"

# 3. Running and accepting connections -----------------------------------------------------------------
case "$CL_STATUS" in
online*) ;;
*)
  log "starting cluster $CL_VER/$CL_NAME (was: $CL_STATUS)"
  OWNER="$(stat -c %U "/etc/postgresql/$CL_VER/$CL_NAME/postgresql.conf" 2>/dev/null || echo postgres)"
  if [ "$IS_ROOT" -ne 1 ] && [ "$(id -un)" != "$OWNER" ]; then
    die "cluster $CL_VER/$CL_NAME is down and starting it needs root (or user $OWNER)"
  fi
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && [ "$IS_ROOT" -eq 1 ]; then
    quietly systemctl start "postgresql@$CL_VER-$CL_NAME"
  else
    # No systemd (containers, CI machines): drive pg_ctl directly.
    quietly pg_ctlcluster --skip-systemctl-redirect "$CL_VER" "$CL_NAME" start
  fi
  ;;
esac
for _ in $(seq 1 120); do
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -t 2 && break
  sleep 0.5
done
"$BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -t 2 ||
  die "cluster $CL_VER/$CL_NAME does not accept TCP connections on 127.0.0.1:$PGPORT (see /var/log/postgresql/postgresql-$CL_VER-$CL_NAME.log; is listen_addresses empty?)"

# 4. pgvector 0.8.x ---------------------------------------------------------------------------------
PG_CONFIG="$BIN/pg_config"
if [ -x "$PG_CONFIG" ]; then
  SHAREDIR="$("$PG_CONFIG" --sharedir)"
else
  SHAREDIR="/usr/share/postgresql/$PG_MAJOR"
fi
CONTROL="$SHAREDIR/extension/vector.control"

vector_version() { # default_version from the control file, empty if absent
  [ -f "$CONTROL" ] || return 0
  sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$CONTROL" | head -n1
}
vector_ok() { # 0.8 or newer
  local v major minor
  v="$(vector_version)"
  [ -n "$v" ] || return 1
  major="${v%%.*}"
  minor="${v#*.}"
  minor="${minor%%.*}"
  case "$major$minor" in '' | *[!0-9]*) return 1 ;; esac
  [ "$major" -gt 0 ] || [ "$minor" -ge 8 ]
}

if ! vector_ok; then
  need_root "build and install pgvector"
  if [ -f "$CONTROL" ]; then
    log "pgvector $(vector_version) is too old; building pgvector 0.8.x for PostgreSQL $PG_MAJOR"
  else
    log "pgvector is not installed; building it for PostgreSQL $PG_MAJOR from Debian $PGVECTOR_SUITE's source package"
  fi
  started=$SECONDS

  missing=()
  dpkg-query -W -f='${Status}' "postgresql-server-dev-$PG_MAJOR" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("postgresql-server-dev-$PG_MAJOR")
  for pkg in build-essential dpkg-dev xz-utils; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"
  PG_CONFIG="$BIN/pg_config"
  [ -x "$PG_CONFIG" ] || die "$PG_CONFIG not found (postgresql-server-dev-$PG_MAJOR should provide it)"

  # Throw-away apt configuration that knows only the deb-src entry; the system's apt state is untouched.
  tmpdir
  mkdir -p "$TMP/apt/lists/partial" "$TMP/apt/sources.list.d" "$TMP/src"
  [ -n "$DEBIAN_MIRROR" ] || die "no Debian archive found in the apt sources; set DEBIAN_MIRROR"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || die "$keyring missing (install debian-archive-keyring)"
  printf 'deb-src [signed-by=%s] %s %s main\n' "$keyring" "$DEBIAN_MIRROR" "$PGVECTOR_SUITE" >"$TMP/apt/sources.list"
  chown -R _apt "$TMP/apt/lists/partial" "$TMP/src" 2>/dev/null || true
  apt_src=(apt-get -q -y
    -o "Dir::Etc::SourceList=$TMP/apt/sources.list"
    -o "Dir::Etc::SourceParts=$TMP/apt/sources.list.d"
    -o "Dir::State::Lists=$TMP/apt/lists"
    -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
    -o "APT::Get::List-Cleanup=false")
  log "fetching the pgvector source package ($PGVECTOR_SUITE)"
  quietly "${apt_src[@]}" update
  cd "$TMP/src"
  quietly "${apt_src[@]}" source --download-only pgvector
  cd /
  dsc="$(ls "$TMP"/src/pgvector_*.dsc 2>/dev/null | head -n1)"
  [ -n "$dsc" ] || die "apt-get source did not download a pgvector .dsc"
  quietly dpkg-source --no-check -x "$dsc" "$TMP/src/pgvector"

  log "building $(basename "$dsc" .dsc)"
  # -march=native: the extension is built on the machine that runs it, so it may use all of this
  # CPU's vector instructions for its distance loops; measured here, HNSW inserts of 1536-dimension
  # vectors take ~25% less time than with the portable build (OPTFLAGS="", what Debian ships).
  quietly make -C "$TMP/src/pgvector" -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="$PGVECTOR_OPTFLAGS"
  quietly make -C "$TMP/src/pgvector" PG_CONFIG="$PG_CONFIG" OPTFLAGS="$PGVECTOR_OPTFLAGS" install
  SHAREDIR="$("$PG_CONFIG" --sharedir)"
  CONTROL="$SHAREDIR/extension/vector.control"
  vector_ok || die "pgvector install did not produce a 0.8+ $CONTROL"
  log "pgvector $(vector_version) installed in $((SECONDS - started))s"
fi

# 5. Role bb_test ------------------------------------------------------------------------------------
psql_admin() { # psql as the cluster owner over the unix socket (peer auth)
  local owner
  owner="$(stat -c %U "/etc/postgresql/$CL_VER/$CL_NAME/postgresql.conf" 2>/dev/null || echo postgres)"
  if [ "$IS_ROOT" -eq 1 ]; then
    runuser -u "$owner" -- "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -p "$PGPORT" -d postgres "$@"
  elif [ "$(id -un)" = "$owner" ]; then
    "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -p "$PGPORT" -d postgres "$@"
  else
    return 1
  fi
}

if [ "$IS_ROOT" -eq 1 ] || [ "$(id -un)" = "postgres" ]; then
  state="$(psql_admin -At -c "SELECT rolsuper AND rolcanlogin AND rolpassword IS NOT NULL FROM pg_authid WHERE rolname = '$ROLE'")" ||
    die "cannot connect to cluster $CL_VER/$CL_NAME as its owner over the unix socket"
  case "$state" in
  t) ;;
  f) log "making role $ROLE a LOGIN SUPERUSER with its password" ;;
  *) log "creating LOGIN SUPERUSER role $ROLE" ;;
  esac
  # Always (re)assert the password: under trust auth a wrong one would go unnoticed until hba changes.
  psql_admin <<SQL || die "could not create/alter role $ROLE"
SET password_encryption = 'scram-sha-256';
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$ROLE_PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN SUPERUSER PASSWORD '$ROLE_PASSWORD';
  END IF;
END
\$\$;
SQL
fi

# 6. Final check through the URL we hand out -------------------------------------------------------------
check="$("$BIN/psql" -X -At "$URL" -c "SELECT r.rolsuper, (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') FROM pg_roles r WHERE r.rolname = current_user" 2>&1)" ||
  die "cannot connect as $ROLE via 127.0.0.1:$PGPORT: $check$([ "$IS_ROOT" -eq 1 ] || echo ' (re-run as root to create the role)')"
case "$check" in
t\|0.[8-9]* | t\|0.[1-9][0-9]* | t\|[1-9]*) ;;
t\|*) die "the server does not offer pgvector 0.8+ (got '${check#t|}'); re-run as root" ;;
*) die "role $ROLE is not a superuser (got '$check'); re-run as root" ;;
esac

printf '%s\n' "$URL" >&3
