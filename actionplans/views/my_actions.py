"""'My actions': the open actions the person's organisations lead, overdue and unreported first, each
with a quick progress form that saves in place.

Without JavaScript the quick form posts to the progress page, which returns to this page at the action
(?next=…#action-<pk>). With it (static/js/quick-update.mjs) the form is sent in the background and the
action's card is replaced where it stands, so the person keeps their place in the list.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from actionplans import permissions, selectors
from actionplans.views.actions import quick_progress_form
from actionplans.views.common import page_of, query_without


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.my_actions_for_leads(permissions.my_action_leads(request.user)))
    here = reverse("actionplans:my_actions")
    query = query_without(request, "page")
    page_query = "&".join(part for part in (query, f"page={page.number}" if page.number > 1 else "") if part)
    cards = [
        {
            "action": action,
            "form": quick_progress_form(action),
            "next": f"{here}?{page_query}#action-{action.pk}" if page_query else f"{here}#action-{action.pk}",
        }
        for action in page.object_list
    ]
    today = timezone.localdate()
    context = {
        "page": page,
        "cards": cards,
        "query": query,
        "quarter_start": selectors.quarter_start(today),
        "has_roles": bool(permissions.my_action_leads(request.user)),
    }
    return render(request, "actionplans/my_actions.html", context)
