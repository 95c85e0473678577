#!/usr/bin/env bash
# One-step set-up for a fresh Debian machine, then the job:
#   bash dev.sh demo   -> installs, serves the bundled demo portal, audits it, reports in ./out/
#   bash dev.sh test   -> installs, runs the whole test suite (what CI runs)
#   bash dev.sh samples -> regenerates sample_reports/ from the demo (fixed port, so URLs are stable)
# Installs system packages with apt when they are missing, and the project into ./.venv.
set -euo pipefail
cd "$(dirname "$0")"
what="${1:-}"
case "$what" in demo|test|samples) ;; *) echo "usage: bash dev.sh demo|test|samples" >&2; exit 2;; esac

# System packages the project needs: the system Chromium (accessibility checks, rendering, report
# screenshots; CJK fonts so Chinese pages render) for both; the tests also start their own Redis and
# PostgreSQL servers for the distributed survey.
APT_PACKAGES=(python3 python3-venv python3-pip chromium fonts-noto-cjk)
if [ "$what" = test ]; then
  APT_PACKAGES+=(redis-server postgresql openssl)
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# python3 from another source (pyenv) is fine: only ask apt for what we cannot find.
if command -v python3 >/dev/null && python3 -c "import ensurepip, venv" >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
  filtered=(); for p in "${missing[@]}"; do case "$p" in python3|python3-venv|python3-pip) ;; *) filtered+=("$p");; esac; done
  missing=("${filtered[@]}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "dev.sh: installing ${missing[*]} with apt-get" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

case "$what" in
  demo) exec .venv/bin/govaudit demo --out out ;;
  test) exec .venv/bin/python -m pytest -q -p no:cacheprovider ;;
  samples)
    rm -rf sample_reports && tmpdb=$(mktemp -d)
    .venv/bin/govaudit demo --port 18080 --format json,html,md --out sample_reports --db "$tmpdb/samples.db"
    rm -rf "$tmpdb" ;;
esac
