#!/usr/bin/env bash
# Quick start: set up, migrate, load the demo data and serve on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_demo
echo "Demo users (password: ${DEMO_PASSWORD:-zizhu-demo-2021}): applicant1, applicant2, county-430405 …, city, chief, leader, finance, expert, expert2, expert3, admin"
exec .venv/bin/python manage.py runserver "${BIND:-127.0.0.1:8000}"
