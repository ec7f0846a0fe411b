"""Refusals raised by the transition service. Each carries a reason a person can read."""

from django.utils import translation


class TransitionRefused(Exception):
    """A transition was not taken. `status` is the HTTP status the API answers with."""

    status = 400
    code = "refused"

    def __init__(self, reason, *, transition: str = "", state: str = ""):
        super().__init__(str(reason))
        self.reason = reason
        self.transition = transition
        self.state = state

    def reasons(self) -> dict[str, str]:
        """The reason in every interface language: {"zh-hans": …, "en": …}."""
        out = {}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                out[language] = str(self.reason)
        return out


class TransitionNotAvailable(TransitionRefused):
    """The application's lifecycle has no such transition from its current state."""

    status = 409
    code = "not_available"


class ConcurrentUpdate(TransitionNotAvailable):
    """Someone else changed the application first."""

    code = "conflict"


class TransitionForbidden(TransitionRefused):
    """The actor may not take this transition on this application."""

    status = 403
    code = "forbidden"


class GuardFailed(TransitionRefused):
    """A condition of the transition is not met (missing attachment, budget exhausted, …)."""

    status = 422
    code = "guard_failed"
