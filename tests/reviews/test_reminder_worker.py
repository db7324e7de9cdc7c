"""Reminders end to end on a real Celery worker, a real Redis broker and PostgreSQL (issue 6: exactly once).

Each test starts `celery -A csp_portal worker --pool=solo` in its own process, on a queue and under a
node name of its own, against the test database (the rows a test writes are committed, so the worker
sees them) and the Redis of REDIS_URL. The worker's mail goes to a sink of tests/reviews/mailsink.py:
one file per message in a folder of the test's. The tasks the worker queues itself (the planner's
one send per person) go to the test's queue too: the worker imports mailsink at start (`--include`),
which sets Celery's default queue from CELERY_TASK_DEFAULT_QUEUE. The planner runs for a fixed day (the worker is
another process: time is not travelled there, only the day passed to the task), with every action due
that day or ten days on, so nothing else is due.

The test watches the database and the files, and learns that a task has finished from the worker's
log ("Task … succeeded in …s: <return value>"); there is no result backend. Every wait polls with a
time limit. The workers are stopped in the fixture's teardown, whatever happens, and the Redis keys of
the test's queue are deleted.

Needs DATABASE_URL on PostgreSQL and REDIS_URL (`make test` in CI sets both); skipped otherwise.
"""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import pytest
import redis
from celery.utils.nodenames import host_format
from django.conf import settings
from django.db import connection

from csp_portal.celery import app
from partnerships.models import Role, User
from reviews.reminders.models import Reminder, ReminderStatus
from reviews.tasks import plan_reminders, sweep_reminders
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    RoleFactory,
    UserFactory,
)
from tests.reviews import mailsink

ROOT = Path(__file__).resolve().parents[2]
# Monday 2 February 2026: mid-quarter, so no quarterly update is due; actions fall due today or in ten days.
DAY = date(2026, 2, 2)
# A send that claimed its rows this long ago without finishing is taken to have died (the sweep's lease).
LEASE_SECONDS = 1
START_TIMEOUT = 60.0
WAIT_TIMEOUT = 60.0
T = TypeVar("T")


def _missing_services() -> str:
    reasons = []
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        reasons.append(
            "DATABASE_URL does not point at PostgreSQL (the worker, another process, must share the database)"
        )
    if not getattr(settings, "REDIS_URL", ""):
        reasons.append("REDIS_URL is not set (the broker)")
    return "; ".join(reasons)


pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(_missing_services()), reason=f"needs a real worker: {_missing_services()}"),
]


def _test_database_url() -> str:
    """The URL of the test database (settings name it test_… while the tests run), for the worker."""
    db = connection.settings_dict
    user, password = db.get("USER") or "", db.get("PASSWORD") or ""
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "") + "@" if user else ""
    host = quote(db.get("HOST") or "", safe="")  # none: the local socket, as for the test process
    port = f":{db['PORT']}" if db.get("PORT") else ""
    options = {key: value for key, value in (db.get("OPTIONS") or {}).items() if isinstance(value, str | int)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}{query}"


@dataclass
class Worker:
    node: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no cleaning up; as a machine losing power."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def wait_or_kill(self) -> None:
        """After a SIGTERM (warm shutdown: the task in hand finishes), SIGKILL if it is not over in 15 s."""
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class Harness:
    """A queue, a mail folder and the workers of one test."""

    folder: Path
    queue: str = field(default_factory=lambda: f"reminder-test-{uuid.uuid4().hex[:12]}")
    workers: list[Worker] = field(default_factory=list)

    @property
    def mail(self) -> Path:
        return self.folder / "mail"

    def start_worker(self, backend: str, **env: str) -> Worker:
        node = f"{self.queue}-{len(self.workers) + 1}@%h"
        log = self.folder / f"worker-{len(self.workers) + 1}.log"
        environment = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": _test_database_url(),
            # Connections closed after every task: none left open when the test database is flushed.
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": settings.CELERY_BROKER_URL,
            "EMAIL_BACKEND": f"tests.reviews.mailsink.{backend}",
            # Never GOV.UK Notify from a test, whatever the environment holds.
            "NOTIFY_API_KEY": "",
            mailsink.DIR_VARIABLE: str(self.mail),
            mailsink.QUEUE_VARIABLE: self.queue,
            "REMINDER_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
            **env,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "csp_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            self.queue,
            "-n",
            node,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--include",
            "tests.reviews.mailsink",
            "--loglevel=INFO",
        ]
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 (our own command line)
                command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
            )
        worker = Worker(host_format(node), process, log)
        self.workers.append(worker)
        self.until(
            lambda: app.control.ping(destination=[worker.node], timeout=0.5), "the worker to answer", START_TIMEOUT
        )
        return worker

    def enqueue_plan(self) -> str:
        return str(plan_reminders.apply_async(kwargs={"day": DAY.isoformat()}, queue=self.queue).id)

    def enqueue_sweep(self) -> str:
        return str(sweep_reminders.apply_async(queue=self.queue).id)

    def logs(self) -> str:
        return "\n".join(f"--- {w.node} ---\n{w.log_text()[-6000:]}" for w in self.workers)

    def until(self, condition: Callable[[], T | None], what: str, timeout: float = WAIT_TIMEOUT) -> T:
        """Poll `condition` until it returns something true; fail with the workers' logs after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            for worker in self.workers:
                if not worker.alive() and worker.process.returncode != -signal.SIGKILL:
                    pytest.fail(f"worker {worker.node} exited ({worker.process.returncode}):\n{self.logs()}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{self.logs()}")
            time.sleep(0.05)

    def finished(self, task_id: str) -> Any:
        """Wait for the task to succeed on any worker; its return value, as the worker logged it."""
        pattern = re.compile(rf"Task [\w.]+\[{task_id}\] (succeeded in [\d.e-]+s: (.*)|raised .*)$", re.M)

        def result() -> re.Match[str] | None:
            return next((m for w in self.workers if (m := pattern.search(w.log_text()))), None)

        match = self.until(result, f"task {task_id}")
        if match.group(2) is None:
            pytest.fail(f"task {task_id} failed: {match.group(1)}\n{self.logs()}")
        return ast.literal_eval(match.group(2))

    def send_results(self) -> list[int]:
        """What every finished reviews.send_reminders_to returned (reminders sent), on every worker."""
        pattern = re.compile(r"Task reviews\.send_reminders_to\[[\w-]+\] succeeded in [\d.e-]+s: (\d+)$", re.M)
        return [int(n) for w in self.workers for n in pattern.findall(w.log_text())]

    def messages_by_recipient(self) -> Counter[str]:
        return Counter(message["To"] for message in mailsink.read_messages(self.mail))


def _forget_queue(queue: str) -> None:
    """Delete the Redis keys of the test's queue, and messages a killed worker left unacknowledged."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*", count=1000))
        if keys:
            client.delete(*keys)
        # kombu keeps delivered, unacknowledged messages in the "unacked" hash: [message, exchange, routing key].
        for tag, value in client.hscan_iter("unacked"):
            try:
                routing_key = json.loads(value)[2]
            except (ValueError, IndexError, TypeError):
                continue
            if routing_key == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    harness = Harness(tmp_path)
    harness.mail.mkdir()
    try:
        yield harness
    finally:
        app.conf.task_always_eager = eager
        running = [worker for worker in harness.workers if worker.alive()]
        for worker in running:
            worker.process.terminate()  # warm shutdown, all at once: the task in hand finishes
        for worker in running:
            worker.wait_or_kill()
        _forget_queue(harness.queue)


def _officers(count: int, *, actions_each: int = 2) -> list[User]:
    """`count` partner officers of one CSP, each leading `actions_each` open actions: one due on DAY, the
    others ten days on (inside the 14-day window)."""
    partnership = PartnershipFactory()
    organisation = OrganisationFactory()
    MembershipFactory(partnership=partnership, organisation=organisation)
    plan = ActionPlanFactory(partnership=partnership)
    people = []
    for n in range(count):
        person = UserFactory(email=f"officer{n:03d}@example.org", full_name=f"Officer {n}")
        RoleFactory(person=person, partnership=partnership, organisation=organisation, role=Role.PARTNER_OFFICER)
        for a in range(actions_each):
            ActionFactory(
                action_plan=plan,
                lead_organisation=organisation,
                lead_officer=person,
                due_date=DAY if a == 0 else DAY + timedelta(days=10),
            )
        people.append(person)
    return people


def _all_sent(expected: int) -> Callable[[], bool]:
    def check() -> bool:
        return Reminder.objects.filter(status=ReminderStatus.SENT).count() == expected

    return check


def _assert_exactly_once(harness: Harness, people: list[User], *, per_person: int) -> None:
    """Every person has one message; every row is sent, and carries the id of that message."""
    messages = mailsink.read_messages(harness.mail)
    assert Counter(m["To"] for m in messages) == Counter({p.email: 1 for p in people})
    assert Reminder.objects.count() == len(people) * per_person
    assert not Reminder.objects.exclude(status=ReminderStatus.SENT).exists()
    for message in messages:
        rows = Reminder.objects.filter(recipient__email=message["To"])
        assert {r.provider_id for r in rows} == {message["Message-ID"]}
        things = f"{per_person} thing{'s' if per_person != 1 else ''}"
        assert message["Subject"] == f"CSP Portal: {things} due"


def test_the_planner_on_a_worker_sends_each_person_one_digest_and_a_rerun_sends_nothing(harness: Harness) -> None:
    people = _officers(5)
    harness.start_worker("FileSink")

    assert harness.finished(harness.enqueue_plan()) == {"planned": 10, "recipients": 5}
    harness.until(_all_sent(10), "10 reminders sent")
    harness.until(lambda: len(harness.send_results()) == 5, "the 5 sends to finish")
    _assert_exactly_once(harness, people, per_person=2)

    # The same day again, and a sweep: everything is recorded and sent already, so nothing is queued.
    assert harness.finished(harness.enqueue_plan())["recipients"] == 0
    assert harness.finished(harness.enqueue_sweep()) == {"released": 0, "recipients": 0}
    assert sorted(harness.send_results()) == [2] * 5
    _assert_exactly_once(harness, people, per_person=2)


def test_two_planners_at_once_on_two_workers_send_each_reminder_once(harness: Harness) -> None:
    people = _officers(12)
    harness.start_worker("FileSink")
    harness.start_worker("FileSink")

    first, second = harness.enqueue_plan(), harness.enqueue_plan()
    results = [harness.finished(first), harness.finished(second)]
    # Each planner queued a send for everyone it found waiting; only one send per person found anything.
    queued = sum(r["recipients"] for r in results)
    assert queued >= 12
    harness.until(lambda: len(harness.send_results()) == queued, f"the {queued} sends to finish")
    sends = harness.send_results()
    assert sorted(n for n in sends if n) == [2] * 12
    assert sends.count(0) == queued - 12
    _assert_exactly_once(harness, people, per_person=2)


def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing_and_sends_nothing_twice(harness: Harness) -> None:
    people = _officers(32, actions_each=1)
    sending = harness.mail / mailsink.SENDING
    first = harness.start_worker("SlowFileSink", **{mailsink.DELAY_VARIABLE: "0.3"})
    harness.enqueue_plan()

    def in_the_middle() -> str | None:
        """A person whose message the worker has been sending for under 0.15 s (of 0.3), after 5 were sent."""
        if len(harness.messages_by_recipient()) < 5:
            return None
        try:
            started, recipient = sending.stat().st_mtime, sending.read_text()
        except FileNotFoundError:
            return None
        fresh = time.time() - started < 0.15
        return recipient if fresh and recipient not in harness.messages_by_recipient() else None

    victim = harness.until(in_the_middle, "the worker to be in the middle of sending a message")
    first.kill()

    assert victim not in harness.messages_by_recipient()
    assert set(Reminder.objects.filter(recipient__email=victim).values_list("status", flat=True)) == {
        ReminderStatus.SENDING
    }
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() < 32

    # A new worker takes the sends still queued; the sweep hands back the dead worker's claim once its
    # lease has run out, and queues that person again.
    harness.start_worker("SlowFileSink", **{mailsink.DELAY_VARIABLE: "0.3"})

    def swept() -> bool:
        harness.finished(harness.enqueue_sweep())
        return _all_sent(32)()

    harness.until(swept, "every reminder sent after sweeps")
    _assert_exactly_once(harness, people, per_person=1)
    assert list(Reminder.objects.filter(recipient__email=victim).values_list("attempts", flat=True)) == [2]


def test_a_mail_server_refusing_then_recovering_delivers_everything_once(harness: Harness) -> None:
    people = _officers(6)
    flag = harness.folder / "mail-server-down"
    flag.touch()
    harness.start_worker("FlakyFileSink", **{mailsink.FAIL_FLAG_VARIABLE: str(flag)})
    harness.enqueue_plan()

    def all_refused() -> bool:
        rows = list(Reminder.objects.values_list("status", "attempts", "last_error"))
        return len(rows) == 12 and all(
            status == ReminderStatus.PENDING and attempts >= 1 and "Service not available" in error
            for status, attempts, error in rows
        )

    # While the server refuses: nothing sent, every row back to waiting with the error and its attempt.
    harness.until(all_refused, "every send to be refused and recorded")
    assert not harness.messages_by_recipient()
    assert all("retry: Retry in" in w.log_text() for w in harness.workers)

    flag.unlink()
    harness.finished(harness.enqueue_sweep())
    harness.until(_all_sent(12), "every reminder sent once the server is back")
    _assert_exactly_once(harness, people, per_person=2)
    assert set(Reminder.objects.values_list("last_error", flat=True)) == {""}
    assert min(Reminder.objects.values_list("attempts", flat=True)) >= 2
