#!/usr/bin/env bash
# install.sh: the third-party servers of the interop tier, from Debian's own packages.
#
#   usage: bash test/interop/install.sh [--check]
#
#   apt : glewlwyd                     an OAuth 2 / OpenID Connect server (RFC 7591/7592 registration, JWT access
#                                      tokens, JWKS, discovery), nobody on this team wrote it
#         apache2-bin                  Apache httpd (the binary and its modules, no system service or site config)
#         libapache2-mod-auth-openidc  its OAuth 2.0 resource-server module: validates JWT access tokens against the
#                                      IdP's JWKS; the tier's gateway
#         sqlite3                      glewlwyd's database (the tier makes one per run in a temp dir)
#         dbconfig-sqlite3             satisfies glewlwyd's "dbconfig-mysql | dbconfig-sqlite3 | …" dependency
#                                      without pulling in a MariaDB client
#         openssl                      the throw-away TLS certificate of the IdP (mod_auth_openidc only fetches
#                                      JWKS over https)
#   Nothing is configured or started system-wide: glewlwyd's debconf question is answered "No configuration"
#   (its "Personalized" default sets up a PostgreSQL database), apache2-bin has no service, and while apt runs a
#   policy-rc.d (the file Debian's invoke-rc.d asks) keeps packages from starting services if there is none.
#   The tier starts both servers itself, on loopback ports, with configs in a temp dir.
#
#   Idempotent: when everything is there it returns in well under a second without calling apt.
#   Needs root (or sudo) only when something is missing. --check: never install; exit 3 with the list instead.
#   Measured on this project's 2-core Debian 12 machine (busy), nothing installed: 40 s, apt-get update included.
set -euo pipefail
CHECK=0
for a in "$@"; do case "$a" in
  --check) CHECK=1;;
  -h|--help) sed -n 2,24p "$0"; exit 0;;
  *) echo "interop install: unknown argument $a" >&2; exit 2;;
esac; done
t0=$(date +%s)
log() { echo "[interop install $(( $(date +%s) - t0 ))s] $*" >&2; }

PKGS=(glewlwyd apache2-bin libapache2-mod-auth-openidc sqlite3 dbconfig-sqlite3 openssl)
# What the tier uses from each package: all present = installed.
have_all() {
  command -v glewlwyd >/dev/null && [ -x /usr/sbin/apache2 ] && command -v sqlite3 >/dev/null && command -v openssl >/dev/null &&
    [ -f /usr/lib/apache2/modules/mod_auth_openidc.so ] && [ -f /usr/lib/glewlwyd/plugin/libprotocol_oidc.so ] &&
    [ -f /usr/share/dbconfig-common/data/glewlwyd/install/sqlite3 ]
}
if have_all; then exit 0; fi

if [ "$CHECK" = 1 ]; then
  echo "interop install: missing Debian packages; run  bash test/interop/install.sh  as root (it runs: apt-get install ${PKGS[*]})" >&2
  exit 3
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo
  else
    echo "interop install: not root and no password-less sudo: install the Debian packages yourself: apt-get install ${PKGS[*]}" >&2
    echo "  (answer glewlwyd's question with \"No configuration\": echo 'glewlwyd glewlwyd/config_type select No configuration' | debconf-set-selections)" >&2
    exit 3
  fi
fi
command -v apt-get >/dev/null || { echo "interop install: no apt-get: this tier needs a Debian-based machine (packages: ${PKGS[*]})" >&2; exit 3; }

# Two runs at once (two CI jobs) wait for each other; apt itself waits for its own lock below.
exec 9>/tmp/kdcr-interop-install.lock; flock 9
if have_all; then exit 0; fi

POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\n# kdcr interop install: no service starts while it runs apt (removed afterwards)\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
echo 'glewlwyd glewlwyd/config_type select No configuration' | $SUDO debconf-set-selections
log "apt-get update"
$SUDO apt-get update -qq >&2
log "apt-get install ${PKGS[*]}"
out=$(mktemp)
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${PKGS[@]}" >"$out" 2>&1; then
  tail -30 "$out" >&2; rm -f "$out"
  echo "interop install: apt-get install failed (above)" >&2
  exit 4
fi
rm -f "$out"
have_all || { echo "interop install: apt-get succeeded but a file the tier needs is missing (glewlwyd, /usr/sbin/apache2, mod_auth_openidc.so, sqlite3, openssl)" >&2; exit 4; }
log "done: glewlwyd $(glewlwyd --version 2>&1 | tail -1), $(/usr/sbin/apache2 -v | head -1), mod_auth_openidc $(dpkg-query -W -f '${Version}' libapache2-mod-auth-openidc)"
