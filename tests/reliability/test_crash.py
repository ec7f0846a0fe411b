"""A web worker killed with SIGKILL in the middle of an applicant's submission.

A real gunicorn serves the PostgreSQL test database; the applicant logs in, creates an
application, uploads its attachments and submits it through the portal's forms, while the
test kills the worker (SIGKILL: no clean-up code runs) at chosen points:

* inside the transaction that creates the application (a crash pause, see
  subsidy/crashpoints.py, holds the worker there until it is killed);
* inside the upload transaction, after the file is written and its row inserted;
* while the upload's body is still arriving;
* at several moments of the submit request.

After each kill the request's work is all there or not there at all; the applicant retries.
At the end the application is complete (every row has its file, bytes intact), the audit log
verifies, and after `manage.py sweep_orphan_files` no file under MEDIA_ROOT lacks a row.
"""

import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from subsidy.models import Application, Attachment
from subsidy.orphans import find_orphans
from workflows.models import AuditEntry
from workflows.stages import State

from ..factories import PASSWORD, category, valid_form_data
from ..helpers import PATIENCE, wait_until
from . import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"% padding\n" * 200
       + b"trailer << >>\n%%EOF\n")
#: Seconds a crash pause holds the worker: longer than the test can take to notice the pause
#: and kill it, however busy the machine (it is killed long before).
PAUSE = 3 * PATIENCE


class Server:
    """gunicorn (one sync worker) on a free loopback port, against the test database."""

    def __init__(self, tmp_path, pauses: dict):
        self.markers = tmp_path / "markers"
        self.markers.mkdir()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        db = connection.settings_dict
        env = {**os.environ,
               "DJANGO_SETTINGS_MODULE": "tests.reliability.crash_settings",
               "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{db['NAME']}",
               "MEDIA_ROOT": str(settings.MEDIA_ROOT), "SECURE_HTTPS": "false",
               "CRASH_PAUSES": json.dumps(pauses), "CRASH_MARKER_DIR": str(self.markers)}
        self.log = open(tmp_path / "gunicorn.log", "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", str(PAUSE * 2)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        self.wait_ready()

    def wait_ready(self) -> None:
        """Until the (new) worker serves the login page; a slow answer is asked again."""
        def answers():
            assert self.process.poll() is None, self.log_text()
            try:
                return requests.get(f"{self.url}/accounts/login/",
                                    timeout=PATIENCE / 4).status_code == 200
            except requests.RequestException:  # not listening yet, or too busy to answer
                return False

        wait_until(answers, interval=0.2,
                   message=lambda: f"gunicorn did not start:\n{self.log_text()}")

    def worker_pid(self) -> int:
        return wait_until(self.worker_pid_or_none, message="gunicorn has no worker")

    def kill_worker(self) -> None:
        """SIGKILL the worker; the master starts a new one, which must answer."""
        pid = self.worker_pid()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: self.worker_pid_or_none() not in (None, pid),
                   message="gunicorn started no new worker")
        self.wait_ready()

    def worker_pid_or_none(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = path.read_text().split()
        return int(pids[0]) if pids else None

    def has_accepted(self, client_port: int) -> bool:
        """Whether the worker holds the server end of the connection from `client_port`,
        i.e. has accepted it. (Until then it waits in the listening socket's queue, which
        the master keeps: a worker killed then would leave it to the next worker.)"""
        ends = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            local, remote, inode = (line.split()[i] for i in (1, 2, 9))
            if (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)) == (
                    self.port, client_port):
                ends.add(f"socket:[{inode}]")
        held = set()
        for fd in Path(f"/proc/{self.worker_pid()}/fd").iterdir():
            try:
                held.add(os.readlink(fd))
            except OSError:  # closed meanwhile
                pass
        return bool(ends & held)

    def wait_for_pause(self, point: str) -> None:
        wait_until((self.markers / point).exists, interval=0.05,
                   message=f"the worker never reached {point}")

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def server(tmp_path):
    started = Server(tmp_path, pauses={"application_created": PAUSE,
                                       "attachment_stored": PAUSE})
    yield started
    started.stop()


def login_fields(username: str, password: str) -> dict:
    """The login form's fields: Django's plain form and the two-factor wizard's first step
    (each ignores the other's), so this works before and after two-factor login lands."""
    return {"username": username, "password": password, "login_view-current_step": "auth",
            "auth-username": username, "auth-password": password}


class Applicant:
    """A browser-like session on the portal: cookies, CSRF token in every form post."""

    def __init__(self, base_url: str, user):
        self.base = base_url
        self.session = requests.Session()
        self.session.get(f"{self.base}/accounts/login/", timeout=PATIENCE)
        response = self.post("/accounts/login/", login_fields(user.username, PASSWORD))
        assert response.status_code == 302, response.text[:500]

    def post(self, path, data, files=None, **kwargs):
        data = {**data, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}
        return self.session.post(f"{self.base}{path}", data=data, files=files,
                                 allow_redirects=False,
                                 timeout=kwargs.pop("timeout", PATIENCE),
                                 headers={"Referer": f"{self.base}{path}"}, **kwargs)


def in_background(func):
    """Start `func` in a thread; the returned list receives its result or exception."""
    box = []

    def run():
        try:
            box.append(func())
        except Exception as exc:  # a killed worker closes the connection: expected
            box.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def finished(thread, box) -> list:
    """Wait for a request started with in_background to end (answered or cut off)."""
    thread.join(PATIENCE)
    assert not thread.is_alive(), "the request never ended"
    return box


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    folder = root / "attachments"
    return {p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file()} \
        if folder.exists() else set()


def slow_multipart_upload(server, applicant, pk, kill_after: float) -> None:
    """POST a 2 MB upload to the portal, sending the body slowly, and kill the worker while
    it is still arriving: `kill_after` seconds of sending after the worker took the
    connection."""
    boundary = "KiLlBoUnDaRy"
    token = applicant.session.cookies["csrftoken"]
    payload = PDF + b"%" + b"x" * 2_000_000 + b"\n"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
            f"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"kind\"\r\n\r\ncertificate\r\n--{boundary}\r\nContent-Disposition: "
            f"form-data; name=\"file\"; filename=\"slow.pdf\"\r\nContent-Type: "
            f"application/pdf\r\n\r\n").encode()
    body = head + payload + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=PATIENCE)
    conn.putrequest("POST", f"/applications/{pk}/")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(body)))
    conn.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in
                                       applicant.session.cookies.items()))
    conn.putheader("Referer", f"{server.url}/applications/{pk}/")
    conn.endheaders()
    sent = 16_384
    conn.send(body[:sent])
    client_port = conn.sock.getsockname()[1]
    wait_until(lambda: server.has_accepted(client_port), interval=0.02,
               message="the worker never took the upload's connection")
    started = time.monotonic()
    while time.monotonic() - started < kill_after:
        conn.send(body[sent:sent + 16_384])
        sent += 16_384
        time.sleep(0.02)
    assert sent < len(body), "the body was sent completely before the kill"
    server.kill_worker()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        conn.send(body[sent:])
        conn.getresponse()
    conn.close()


def test_a_killed_worker_leaves_all_or_nothing(server, programme, applicant):
    cat = category("21")
    url = f"/programmes/{programme.pk}/apply/{cat.code}/"
    form = {"title": "贯标认证", "requested_amount": "30000",
            **{k: str(v) for k, v in valid_form_data(cat).items()}}
    portal = Applicant(server.url, applicant)

    # 1. killed inside the transaction that creates the application: nothing is created
    thread, box = in_background(lambda: portal.post(url, form, timeout=PAUSE * 2))
    server.wait_for_pause("application_created")
    server.kill_worker()
    assert isinstance(finished(thread, box)[0], requests.ConnectionError), box
    assert not Application.objects.exists()

    # … the applicant tries again: created, and the killed attempt used no number
    created = portal.post(url, form)
    assert created.status_code == 302, created.text[:500]
    app = Application.objects.get()
    assert created.headers["Location"] == f"/applications/{app.pk}/"
    assert app.number.endswith("-0001")
    detail = f"/applications/{app.pk}/"

    # 2. killed inside the upload transaction, after the file is written: no row
    thread, box = in_background(lambda: portal.post(
        detail, {"kind": "application_form"}, files={"file": ("申报书.pdf", PDF)},
        timeout=PAUSE * 2))
    server.wait_for_pause("attachment_stored")
    assert len(stored_files()) == 1  # the file is there, its row not yet committed
    server.kill_worker()
    assert isinstance(finished(thread, box)[0], requests.ConnectionError), box
    assert not Attachment.objects.exists()
    orphan = stored_files()
    assert len(orphan) == 1  # what a killed process leaves for the sweep

    # 3. killed while the body of an upload is still arriving: nothing stored
    slow_multipart_upload(server, portal, app.pk, kill_after=0.3)
    assert not Attachment.objects.exists() and stored_files() == orphan

    # … the applicant uploads both files again: stored
    for kind, name in (("application_form", "申报书.pdf"), ("certificate", "证书.pdf")):
        uploaded = portal.post(detail, {"kind": kind}, files={"file": (name, PDF)})
        assert uploaded.status_code == 303, uploaded.text[:500]
    assert Attachment.objects.filter(application=app).count() == 2

    # 4. killed at some moment of the submit request (or just after): it happened or not
    for delay in (0.0, 0.01, 0.03, 0.1):
        app.refresh_from_db()
        if app.state == State.SUBMITTED:
            break
        thread, box = in_background(lambda: portal.post(detail, {"action": "submit"}))
        time.sleep(delay)
        server.kill_worker()
        finished(thread, box)
        app.refresh_from_db()
        entries = AuditEntry.objects.filter(subject=app).count()
        assert (app.state, entries) in {(State.DRAFT, 0), (State.SUBMITTED, 1)}, \
            (app.state, entries, box)
    if app.state != State.SUBMITTED:
        assert portal.post(detail, {"action": "submit"}).status_code == 303
    app.refresh_from_db()
    assert app.state == State.SUBMITTED and app.audit_seq == 1

    # the application is complete: each row has its file with the right bytes
    attachments = list(Attachment.objects.filter(application=app))
    assert sorted(a.kind for a in attachments) == ["application_form", "certificate"]
    for attachment in attachments:
        with attachment.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == attachment.sha256
    call_command("verify_audit")

    # the sweep removes the file the killed upload left, and only that
    assert find_orphans(0) == sorted(orphan)
    call_command("sweep_orphan_files", grace_seconds=0)
    assert stored_files() == {a.file.name for a in attachments}
    assert find_orphans(0) == []
    assert "Traceback" not in server.log_text(), server.log_text()
