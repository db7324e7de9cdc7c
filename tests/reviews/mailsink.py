"""Email backends for tests that run a real Celery worker in another process (tests/reviews/test_reminder_worker.py).

The worker is started with EMAIL_BACKEND set to one of these classes; each message becomes one file
in the folder named by MAILSINK_DIR, written under a temporary name and renamed into place, so the
test never reads half a message:

- FileSink: writes every message at once;
- SlowFileSink: first writes `SENDING` (the recipients of the message on its way), then sleeps
  MAILSINK_DELAY seconds (0.3 by default) before writing the message, so a test can kill the worker
  while a message is being sent and know that it has not been;
- FlakyFileSink: refuses every message, as a mail server that is down does, while the file named by
  MAILSINK_FAIL_FLAG exists.

The worker imports this module at start (`--include tests.reviews.mailsink`) for one more thing: with
CELERY_TASK_DEFAULT_QUEUE set it sends the tasks it queues itself (the planner's one send per person) to
that queue, the test's own, rather than to Celery's shared default "celery".
"""

from __future__ import annotations

import os
import smtplib
import time
import uuid
from collections.abc import Sequence
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

DIR_VARIABLE = "MAILSINK_DIR"
DELAY_VARIABLE = "MAILSINK_DELAY"
FAIL_FLAG_VARIABLE = "MAILSINK_FAIL_FLAG"
QUEUE_VARIABLE = "CELERY_TASK_DEFAULT_QUEUE"
# SlowFileSink's note of the message it is sending (the recipients, one a line).
SENDING = ".sending"
SUFFIX = ".eml"


def _write_atomically(folder: Path, name: str, content: bytes) -> Path:
    """Write to a hidden temporary file, then rename: a reader sees the whole file or none."""
    temporary = folder / f".{name}.{uuid.uuid4().hex}.tmp"
    temporary.write_bytes(content)
    target = folder / name
    os.replace(temporary, target)
    return target


class FileSink(BaseEmailBackend):
    """One file per message, `<uuid>.eml`, in MAILSINK_DIR."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.folder = Path(os.environ[DIR_VARIABLE])
        self.folder.mkdir(parents=True, exist_ok=True)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                self.before_writing(message)
                _write_atomically(self.folder, f"{uuid.uuid4().hex}{SUFFIX}", message.message().as_bytes())
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def before_writing(self, message: EmailMessage) -> None:
        """A hook for the slow and the failing sinks."""


class SlowFileSink(FileSink):
    """Notes the message in `SENDING`, sleeps MAILSINK_DELAY seconds, then writes it."""

    def before_writing(self, message: EmailMessage) -> None:
        _write_atomically(self.folder, SENDING, "\n".join(message.recipients()).encode())
        time.sleep(float(os.environ.get(DELAY_VARIABLE, "0.3")))


class FlakyFileSink(FileSink):
    """Refuses every message while the file MAILSINK_FAIL_FLAG exists."""

    def before_writing(self, message: EmailMessage) -> None:
        if Path(os.environ[FAIL_FLAG_VARIABLE]).exists():
            raise smtplib.SMTPDataError(421, b"4.3.2 Service not available, try again later")


def read_messages(folder: Path) -> list[Message]:
    """The messages a sink has written, oldest first."""
    files = sorted(folder.glob(f"*{SUFFIX}"), key=lambda path: (path.stat().st_mtime_ns, path.name))
    return [message_from_bytes(path.read_bytes()) for path in files]


def _route_queued_tasks_to_test_queue() -> None:
    queue = os.environ.get(QUEUE_VARIABLE)
    if queue:
        from csp_portal.celery import app

        app.conf.task_default_queue = queue


_route_queued_tasks_to_test_queue()
