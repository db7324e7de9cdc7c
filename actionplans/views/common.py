"""What the action plan pages share: their form template and links; the rest comes from csp_portal.pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from actionplans.models import Action, ActionPlan
from csp_portal.pages import GET_AND_POST, actor, form_status, page_of, query_without, safe_next

FORM_TEMPLATE = "actionplans/form.html"


def form_page(request: HttpRequest, form: Any, *, stale: bool = False, **context: Any) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, **context}, status=form_status(form, stale=stale))


def plan_url(action_plan: ActionPlan | int) -> str:
    pk = action_plan if isinstance(action_plan, int) else action_plan.pk
    return reverse("actionplans:plan", args=[pk])


def action_url(action: Action | int, anchor: str = "") -> str:
    pk = action if isinstance(action, int) else action.pk
    return reverse("actionplans:action", args=[pk]) + (f"#{anchor}" if anchor else "")


__all__ = [
    "GET_AND_POST",
    "action_url",
    "actor",
    "form_page",
    "form_status",
    "page_of",
    "plan_url",
    "query_without",
    "safe_next",
]
