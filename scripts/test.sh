#!/usr/bin/env bash
# Set up and run the whole test suite (plus migration, style and bandit security checks)
# against the database DATABASE_URL names (default: SQLite). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"  # as the quick start: DEBUG is off unless asked for
bash scripts/setup.sh
.venv/bin/python manage.py makemigrations --check --dry-run -v0 \
  || { echo "models and migrations disagree: run makemigrations"; exit 1; }
.venv/bin/ruff check --quiet .
.venv/bin/bandit --quiet --configfile pyproject.toml --recursive . \
  || { echo "bandit found a security issue: fix it, or mark it # nosec with a reason"; exit 1; }
.venv/bin/pytest "$@"
