"""The translation catalogues leave nothing a person reads untranslated.

The source strings are Chinese; the English catalogue must translate every string of ours:
an empty msgstr shows Chinese on the English site (an English msgid of ours is given its
msgstr too, so that an empty one always means forgotten). It is checked as `makemessages`
would leave it for today's code, on a copy of the project: a string added to the code but
not to the catalogue counts as untranslated. Fuzzy entries are never shown by gettext, so
none may remain. The Chinese catalogues are written by hand for the English strings of
Django, viewflow, django-axes, django-two-factor-auth and django-filter (never by
`makemessages`, which would drop them): each of their entries has its Chinese. The checks
are shown to fail on a copy with an untranslated Chinese string, an untranslated English
one and a fuzzy entry planted in it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = Path("locale") / "en" / "LC_MESSAGES" / "django.po"
CHINESE = [ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / name
           for name in ("django.po", "djangojs.po")]

pytestmark = pytest.mark.skipif(shutil.which("msgattrib") is None,
                                reason="gettext tools are installed by scripts/setup.sh")


def project_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("project") / "zizhu"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "var", "docs", "staticfiles", "node_modules", "__pycache__",
        "*.sqlite3*"))
    return copy


def refresh(copy: Path) -> Path:
    """The copy's English catalogue after `makemessages -l en`."""
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=.venv",
                    "-v0"], cwd=copy, check=True)
    return copy / ENGLISH


def entries(po: Path, *selection: str) -> list[str]:
    """The msgids of the catalogue's entries that `msgattrib` selects."""
    out = subprocess.run(["msgattrib", *selection, "--no-obsolete", "--no-wrap", str(po)],
                         capture_output=True, text=True, check=True).stdout
    msgids = re.findall(r'^msgid ((?:".*"\n)+)', out, flags=re.M)
    joined = ("".join(re.findall(r'"(.*)"', block)) for block in msgids)
    return [m for m in joined if m]


def has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def problems(po: Path) -> dict:
    """What a refreshed English catalogue leaves undone: untranslated and fuzzy msgids."""
    return {"untranslated": entries(po, "--untranslated"),
            "fuzzy": entries(po, "--only-fuzzy")}


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> Path:
    return refresh(project_copy(tmp_path_factory))


def test_the_english_catalogue_translates_every_string_and_has_no_fuzzy_one(refreshed):
    assert problems(refreshed) == {"untranslated": [], "fuzzy": []}


def test_the_check_fails_for_a_missing_or_fuzzy_translation(tmp_path_factory):
    copy = project_copy(tmp_path_factory)
    translated = next(m for m in entries(copy / ENGLISH, "--translated")
                      if len(m) > 20 and not re.search(r"[\\%{]", m))
    (copy / "portal" / "planted.py").write_text(
        "from django.utils.translation import gettext as _\n\n"
        "WORDS = [_('未翻译的测试字符串'), _('An English string of ours'), "
        f"_({translated + '另加一句。'!r})]\n", encoding="utf-8")
    found = problems(refresh(copy))
    assert "未翻译的测试字符串" in found["untranslated"]
    assert "An English string of ours" in found["untranslated"]
    assert translated + "另加一句。" in found["fuzzy"]


def test_english_strings_of_ours_read_in_chinese_too(refreshed):
    """An English msgid our templates take from a library ("Process list") must read in
    Chinese on the Chinese site, from the library's catalogue or ours."""
    ours = [m for m in entries(refreshed) if not has_chinese(m)
            # acronyms and punctuation ("PDF", "：") read the same in both languages
            and re.search(r"[a-z]{2}", re.sub(r"%\(\w+\)\w", "", m))]
    with translation.override("zh-hans"):
        assert [m for m in ours if translation.gettext(m) == m] == []


@pytest.mark.parametrize("po", CHINESE, ids=lambda p: p.name)
def test_the_chinese_catalogues_give_every_entry_its_chinese(po):
    assert entries(po, "--untranslated") == []
    assert entries(po, "--only-fuzzy") == []
