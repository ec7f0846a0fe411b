"""Small helpers the test modules share."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import needs_two_factor
from subsidy.models import Application


def totp_device(user) -> TOTPDevice:
    """The user's authenticator-app device, named "default" as enrolment names it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Client, user) -> Client:
    """Log `client` in as `user`; staff also pass their second factor."""
    client.force_login(user)
    if needs_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    return client


def signed_in(user) -> Client:
    """A new test client logged in as `user` (see sign_in)."""
    return sign_in(Client(), user)


def at(app, state, **extra):
    """Put an application in `state` directly (test set-up, not a transition).

    Like a state change behind the log, it leaves `state_changed_at` as it was (the creation
    time, or the last transition's), which is also what the audit log would say; pass
    `state_changed_at=` to start the clock elsewhere."""
    Application.objects.filter(pk=app.pk).update(state=state, **extra)
    return Application.objects.get(pk=app.pk)
