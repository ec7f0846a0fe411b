"""Test-only pauses, so the reliability tests can SIGKILL a web worker at a known point.

Inert in every real configuration: `pause` does nothing unless settings.CRASH_PAUSES names
the point (only tests/reliability/crash_settings.py sets it). When it does, the first time
only (per marker directory), it touches `<CRASH_MARKER_DIR>/<point>` (the test waits for
that file) and sleeps, so the test can kill the process there; later requests pass.
"""

import time
from pathlib import Path

from django.conf import settings


def pause(point: str) -> None:
    seconds = (getattr(settings, "CRASH_PAUSES", None) or {}).get(point)
    if not seconds:
        return
    marker = Path(settings.CRASH_MARKER_DIR, point)
    if marker.exists():
        return
    marker.touch()
    time.sleep(seconds)
