"""Settings of the gunicorn server that tests/reliability/test_crash.py starts and kills.

The test settings (same password hasher, so users the test creates can log in) plus the
crash pauses the test asks for in the environment (see subsidy/crashpoints.py).
"""

import json
import os

from config.settings.test import *  # noqa: F403

CRASH_PAUSES = json.loads(os.environ.get("CRASH_PAUSES", "{}"))
CRASH_MARKER_DIR = os.environ.get("CRASH_MARKER_DIR", "")
