"""Settings package. Everything that differs between machines comes from the environment.

`base` holds the settings; `test` adds what the test suite needs on top.
"""

from .base import *  # noqa: F403
