"""Small helpers the test modules share."""

from django.test import Client

from subsidy.models import Application


def signed_in(user) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def at(app, state, **extra):
    """Put an application in `state` directly (test set-up, not a transition)."""
    Application.objects.filter(pk=app.pk).update(state=state, **extra)
    return Application.objects.get(pk=app.pk)
