"""Named permission rules and guards that lifecycle definitions refer to.

The domain registers them (see `subsidy/rules.py`); the engine looks them up by name. Each
returns ``(allowed, reason)`` so a refusal can say why.

- permission rule: ``rule(actor, subject) -> (bool, reason)``
- guard: ``guard(subject, context) -> (bool, reason)`` where `context` is a
  `workflows.services.TransitionContext` (actor, params, comment, a per-call cache).
"""

from collections.abc import Callable

Decision = tuple[bool, str]
OK: Decision = (True, "")

PERMISSIONS: dict[str, Callable[..., Decision]] = {}
GUARDS: dict[str, Callable[..., Decision]] = {}


def permission_rule(name: str):
    """Register a permission rule under `name`."""

    def register(func):
        PERMISSIONS[name] = func
        return func

    return register


def guard(name: str):
    """Register a guard under `name`."""

    def register(func):
        GUARDS[name] = func
        return func

    return register
