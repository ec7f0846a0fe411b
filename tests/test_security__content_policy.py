"""A Content-Security-Policy on every page (django-csp): scripts from the site's own files
only, nothing from elsewhere; no template carries inline script for it to block; the API's
docs page serves Swagger UI from the project's own static files. A served attachment keeps
its own stricter policy (tests/test_attachments__preview.py). (The browser walk through
the demo, tests/test_browser__demo_roles.py, fails on any script the policy blocks.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .helpers import signed_in

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_has_the_policy(applicant, city, reference):
    pages = [(Client(), "/"), (Client(), "/publicity/"), (Client(), "/accounts/login/"),
             (signed_in(applicant), "/my/"), (signed_in(city), "/desk/review/"),
             (signed_in(city), "/api/v1/docs")]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        rules = policy(response)
        assert rules["script-src"] == ["'self'"], path
        assert rules["default-src"] == ["'self'"] and rules["object-src"] == ["'none'"], path
        assert not any("http" in source for sources in rules.values() for source in sources)


def test_no_template_carries_inline_script():
    inline = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                inline.append(f"{template.relative_to(TEMPLATES)}: {tag}")
        inline += [f"{template.relative_to(TEMPLATES)}: {handler}"
                   for handler in re.findall(r"\son[a-z]+=\"", text)]
    assert inline == []


def test_the_api_docs_load_swagger_from_the_site_itself(city):
    page = signed_in(city).get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert not any(source.startswith(("http:", "https:", "//")) for source in sources)
