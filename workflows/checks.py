"""System checks: every lifecycle loads, validates and names only registered rules."""

from django.core.checks import Error, register

from .lifecycle import LifecycleError, lifecycles
from .registry import GUARDS, PERMISSIONS


@register()
def check_lifecycles(app_configs=None, **kwargs):
    try:
        found = lifecycles()
    except (LifecycleError, OSError, ValueError) as problem:
        return [Error(f"A lifecycle definition is invalid: {problem}", id="workflows.E001")]
    if not found:
        return [Error("No lifecycle definitions found in WORKFLOWS_LIFECYCLE_DIRS.",
                      id="workflows.E002")]
    errors = []
    for key, lifecycle in found.items():
        for name in sorted(lifecycle.permission_names() - PERMISSIONS.keys()):
            errors.append(Error(f"Lifecycle {key!r} uses unknown permission rule {name!r}.",
                                id="workflows.E003"))
        for name in sorted(lifecycle.guard_names() - GUARDS.keys()):
            errors.append(Error(f"Lifecycle {key!r} uses unknown guard {name!r}.",
                                id="workflows.E004"))
    return errors
