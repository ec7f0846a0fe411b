"""System checks: notices need a CJK font and HarfBuzz subsetting (never whole fonts), and
where they must be signed, usable signing keys."""

import ctypes.util
import os
import subprocess  # nosec B404
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register

from .signing import configured_keys, trust_roots


def installed_families() -> set[str]:
    """Font families fontconfig knows, or an empty set if fc-list is unavailable."""
    try:
        # fixed argv, no shell, no user input; fc-list found on PATH like any system tool
        out = subprocess.run(["fc-list", ":lang=zh", "family"],  # nosec B603 B607
                             capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


@register()
def check_notice_fonts(app_configs=None, **kwargs):
    errors = []
    families = installed_families()
    for role, stack in settings.NOTICE_FONTS.items():
        if not any(name in families for name in stack):
            errors.append(Error(
                f"No CJK font for notices ({role}): none of {stack} is installed.",
                hint="Install Debian's fonts-noto-cjk (scripts/setup.sh does) or set "
                     f"NOTICE_FONT_{role.upper()}.", id="notices.E001"))
    if ctypes.util.find_library("harfbuzz-subset") is None:
        errors.append(Error(
            "HarfBuzz subsetting (libharfbuzz-subset) is not available: every CJK notice "
            "would take seconds longer to render.",
            hint="Install Debian's libharfbuzz-subset0 (scripts/setup.sh does).",
            id="notices.E002"))
    return errors


@register()
def check_signing_keys(app_configs=None, **kwargs):
    """Where notices must be signed, every configured key must be usable: found at start-up,
    not when an office is issuing a notice."""
    if not settings.NOTICE_SIGNATURES_REQUIRED:
        return []
    problems = []
    for reference, key in configured_keys().items():
        if key.pkcs12 and not Path(key.pkcs12).is_file():
            problems.append(Error(
                f"The signing key of {reference} ({key.pkcs12}) is not there.",
                hint="Fix its path in NOTICE_SIGNING_KEYS.", id="notices.E003"))
        if key.secret_env and key.secret_env not in os.environ:
            problems.append(Error(
                f"The passphrase or PIN of the signing key of {reference} is not set "
                f"(environment variable {key.secret_env}).", id="notices.E004"))
        if key.pkcs12 and not key.secret_env:
            problems.append(Warning(
                f"The signing key of {reference} has no passphrase_env: an unencrypted "
                "PKCS#12 file.", hint="Protect it with a passphrase read from the environment.",
                id="notices.W001"))
    for root in trust_roots():
        if not Path(root).is_file():
            problems.append(Error(f"The CA certificate {root} (NOTICE_SIGNING_TRUST_ROOTS) is "
                                  "not there.", id="notices.E005"))
    if not trust_roots():
        problems.append(Warning(
            "NOTICE_SIGNING_TRUST_ROOTS is empty: the verification page cannot recognise "
            "the office's own signatures.", id="notices.W002"))
    return problems
