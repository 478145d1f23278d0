#!/usr/bin/env bash
# Install the system packages the test suite runs against, only those that are missing:
# redis-server, Dovecot (IMAP), Chromium, PostgreSQL server, plus make and python3-venv, and
# wrk (the load generator benchmarks/links.py uses; without it a slower Python client).
# Debian/Ubuntu only. Needs root (or sudo) only when something is missing.
#   --check   print what is missing and exit 1 if anything is, install nothing
set -euo pipefail

check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

have() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; }

have_postgres() {
  # The test fixture looks in the same places: PATH, then Debian's versioned directories.
  if have initdb && have pg_ctl; then return 0; fi
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

have_venv() { python3 -c 'import ensurepip, venv' >/dev/null 2>&1; }

missing=()
have redis-server || missing+=(redis-server)
have dovecot || missing+=(dovecot-imapd)
have chromium || have chromium-browser || missing+=(chromium)
have_postgres || missing+=(postgresql)
have make || missing+=(make)
have python3 && { have_venv || missing+=(python3-venv); }
have wrk || missing+=(wrk)

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-system-deps: redis-server, dovecot, chromium, postgresql, make, wrk: all present"
  exit 0
fi
echo "install-system-deps: missing: ${missing[*]}"
if [[ $check_only -eq 1 ]]; then
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: no apt-get here; install these yourself: ${missing[*]}" >&2
  exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-system-deps: run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# Keep the packages' own services (system redis, dovecot, postgres cluster) from starting:
# the tests start private instances of their own. Only if no policy is in place already.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  added_policy=1
fi
cleanup() { if [[ $added_policy -eq 1 ]]; then "${sudo[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q "${missing[@]}"
echo "install-system-deps: installed ${missing[*]}"
