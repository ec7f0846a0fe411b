"""The translation catalogues leave nothing a person reads untranslated.

The source strings are Chinese; the English catalogue must translate every one of them (an
empty msgstr shows Chinese on the English site). It is checked as `makemessages` would leave
it for today's code, on a copy of the project: a string added to the code but not to the
catalogue counts as untranslated. The Chinese catalogue is written by hand for the English
strings of viewflow and django-two-factor-auth (never by `makemessages`, which would drop
them): each of its entries has its Chinese. Fuzzy entries are never shown by gettext, so none
may remain in either."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("msgattrib") is None,
                                reason="gettext tools are installed by scripts/setup.sh")


@pytest.fixture(scope="module")
def refreshed_locale(tmp_path_factory) -> Path:
    """The project's catalogues after `makemessages -l en` on a copy of the project."""
    copy = tmp_path_factory.mktemp("project") / "zizhu"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "var", "docs", "staticfiles", "node_modules", "__pycache__",
        "*.sqlite3*"))
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=.venv",
                    "-v0"], cwd=copy, check=True)
    return copy / "locale"


def entries(po: Path, *selection: str) -> list[str]:
    """The msgids of the catalogue's entries that `msgattrib` selects."""
    out = subprocess.run(["msgattrib", *selection, "--no-obsolete", "--no-wrap", str(po)],
                         capture_output=True, text=True, check=True).stdout
    msgids = re.findall(r'^msgid ((?:".*"\n)+)', out, flags=re.M)
    joined = ("".join(re.findall(r'"(.*)"', block)) for block in msgids)
    return [m for m in joined if m]


def has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def test_no_fuzzy_entries(refreshed_locale):
    assert entries(refreshed_locale / "en" / "LC_MESSAGES" / "django.po", "--only-fuzzy") == []
    assert entries(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
                   "--only-fuzzy") == []


def test_english_catalogue_translates_every_chinese_string(refreshed_locale):
    untranslated = entries(refreshed_locale / "en" / "LC_MESSAGES" / "django.po",
                           "--untranslated")
    assert [m for m in untranslated if has_chinese(m)] == []


def test_chinese_catalogue_translates_every_english_string_of_ours(refreshed_locale):
    """The English strings our templates take from viewflow's (e.g. "Process list") read
    in Chinese too: the hand-written Chinese catalogue has each of them."""
    ours = entries(refreshed_locale / "en" / "LC_MESSAGES" / "django.po")
    chinese = set(entries(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
                          "--translated"))
    # acronyms and punctuation ("PDF", "BPMN", "：") read the same in both languages
    english = [m for m in ours if not has_chinese(m)
               and re.search(r"[a-z]{2}", re.sub(r"%\(\w+\)\w", "", m))]
    assert [m for m in english if m not in chinese] == []


def test_chinese_catalogue_gives_every_entry_its_chinese():
    assert entries(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
                   "--untranslated") == []
