#!/usr/bin/env bash
# Install everything the project needs on a fresh Debian machine: system packages, a
# virtualenv with the pinned requirements, compiled translations. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(gettext libmagic1 chromium fonts-noto-cjk fonts-lxgw-wenkai libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils faketime)
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing pinned requirements"
  # (this machine's pip config lists local mirrors that may be absent; silence only that)
  { .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -r requirements-dev.txt; } 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import django, django_fsm, celery, psycopg, pytest, playwright, magic" \
    || { echo "setup: requirements did not install"; exit 1; }
  echo "$wanted" > "$stamp"
fi

mkdir -p var
DEBUG="${DEBUG:-true}" .venv/bin/python manage.py compilemessages -v0 --ignore=.venv  # needs no keys
