"""Small helpers the test modules share."""

import threading
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import needs_two_factor
from subsidy.models import Application

#: The programme's time zone (settings.TIME_ZONE): Hengyang keeps Beijing time.
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: How long any test waits for something another thread or process does (a server
#: starting, a worker reaching a point, a thread finishing) before it gives up: far longer
#: than it takes on a busy machine, so only a real hang fails.
PATIENCE = 120


def local_time(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """`day` at hour:minute in Hengyang (Asia/Shanghai), 09:00 unless told."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def travel_to(when: date | datetime, tick: bool = True):
    """time_machine.travel to `when` (a date means 09:00 that day in Hengyang), the clock
    running on from there unless `tick=False`. Also what `@pytest.mark.today(...)` uses."""
    moment = when if isinstance(when, datetime) else local_time(when)
    return time_machine.travel(moment, tick=tick)


def wait_until(predicate, timeout: float = PATIENCE, interval: float = 0.1,
               message="the condition never held"):
    """Poll `predicate` until it returns something true (which is returned); fail with
    `message` (called if it is a function) after `timeout` seconds. An exception from
    `predicate` is not caught: catch what is expected inside it."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message() if callable(message) else message)
        time.sleep(interval)


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


def race(callables, timeout: float = PATIENCE):
    """Run each callable in its own thread (own connection), released together by a barrier.

    Returns each callable's result, or the exception it raised, in order.
    """
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def run(index, func):
        try:
            barrier.wait()
            results[index] = func()
        except Exception as exc:  # the outcome is what the test asserts on
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(callables)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a racing thread did not finish"
    return results


def verify(capsys) -> tuple[bool, str]:
    """Run `manage.py verify_audit`: (whether the log verified, what it printed)."""
    try:
        call_command("verify_audit")
    except CommandError:
        return False, capsys.readouterr().err
    return True, capsys.readouterr().out


def confirmed(client, url: str, data: dict):
    """POST `data` to a form that asks for confirmation first (irreversible steps): the first
    answer must be the confirmation (200), then the same data is posted with its button."""
    import html
    import re

    asked = client.post(url, data)
    assert asked.status_code == 200, asked.content.decode()[:2000]
    key = re.search(r'name="confirmed" value="([^"]*)"', asked.content.decode())
    assert key, "no confirmation asked"
    return client.post(url, {**data, "confirmed": html.unescape(key.group(1))})
