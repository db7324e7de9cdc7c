"""The one way reminder emails leave the portal: Django's email backend (SMTP in production, the
console in development) or, with NOTIFY_API_KEY set, GOV.UK Notify, which most councils already use."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from notifications_python_client.notifications import NotificationsAPIClient

from partnerships.models import User
from reviews.reminders.models import Reminder


def _portal_url(path: str) -> str:
    scheme = "https" if settings.PORTAL_USE_HTTPS else "http"
    return f"{scheme}://{settings.PORTAL_DOMAIN}{path}"


def _subject(reminders: Sequence[Reminder]) -> str:
    count = len(reminders)
    return f"CSP Portal: {count} thing{'s' if count != 1 else ''} due"


def send_digest(*, recipient: User, reminders: Sequence[Reminder], reference: str) -> str:
    """Send one digest listing every reminder; returns the gateway's message id. Raises on failure."""
    items = [{"title": r.title, "url": _portal_url(r.path), "kind": r.get_kind_display()} for r in reminders]
    context = {"recipient": recipient, "items": items, "settings_url": _portal_url("/accounts/reminders/")}
    if settings.NOTIFY_API_KEY:
        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)  # type: ignore[no-untyped-call]
        response = client.send_email_notification(  # type: ignore[no-untyped-call]
            email_address=recipient.email,
            template_id=settings.NOTIFY_REMINDER_TEMPLATE_ID,
            personalisation={
                "name": recipient.full_name or recipient.email,
                "subject": _subject(reminders),
                "items": "\n".join(f"* {item['title']}: {item['url']}" for item in items),
                "settings_url": context["settings_url"],
            },
            reference=reference,
        )
        return str(response["id"])
    message_id = f"<reminders-{reference}@{settings.PORTAL_DOMAIN.split(':')[0]}>"
    email = EmailMultiAlternatives(
        subject=_subject(reminders),
        body=render_to_string("reviews/reminders/digest.txt", context),
        to=[recipient.email],
        headers={"Message-ID": message_id},
    )
    email.attach_alternative(render_to_string("reviews/reminders/digest.html", context), "text/html")
    email.send()
    return message_id
