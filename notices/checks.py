"""System checks: notices need a CJK font and HarfBuzz subsetting (never whole fonts)."""

import ctypes.util
import subprocess  # nosec B404

from django.conf import settings
from django.core.checks import Error, register


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
