#!/usr/bin/env bash
# Quick start: set up, migrate, load the demo data and serve on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
# a development server: DEBUG is off unless asked for, so the quick start asks
export DEBUG="${DEBUG:-true}"
bash scripts/setup.sh
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_demo
cat <<EOF
Demo users, password ${DEMO_PASSWORD:-zizhu-demo-2021} (the README's quick start says what each sees):
  applicant1, applicant2 — the applicant portal, /my/
  county-430405 … county-GXQ — county 初审 (one per county), /desk/review/
  city — city review, publicity and acceptance batches, notices, /desk/review/
  chief, leader — 公文签发 (a notice waits for each), /desk/signoff/queue/
  finance — 登记拨付, /desk/review/payments/
  expert … expert5 — 专家评分, /desk/experts/
  admin — /admin/
  the public pages, without signing in — /publicity/
EOF
exec .venv/bin/python manage.py runserver "${BIND:-127.0.0.1:8000}"
