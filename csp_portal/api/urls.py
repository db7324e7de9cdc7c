"""/api/v1/ (every app's viewsets), /api/schema/ (OpenAPI 3) and /api/docs/ (the docs page).

Mounted by csp_portal/urls.py. URL names are in the "api" namespace: api:action-list, api:action-detail …
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from actionplans.api import (
    ActionPlanViewSet,
    ActionViewSet,
    AnnualReportViewSet,
    BudgetLineViewSet,
    MilestoneViewSet,
    ProgressUpdateViewSet,
)
from csp_portal.api import docs
from partnerships.api import OrganisationViewSet, PartnershipViewSet
from priorities.api import AssessmentViewSet, MeasureValueViewSet, MeasureViewSet, PlanViewSet, PriorityViewSet
from reviews.api import RecommendationViewSet, ReviewViewSet


class Router(DefaultRouter):
    include_format_suffixes = False  # JSON only: no .json variants of every address


router = Router()
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("strategic-assessments", AssessmentViewSet, basename="assessment")
router.register("partnership-plans", PlanViewSet, basename="plan")
router.register("priorities", PriorityViewSet, basename="priority")
router.register("outcome-measures", MeasureViewSet, basename="measure")
router.register("measure-values", MeasureValueViewSet, basename="measure-value")
router.register("action-plans", ActionPlanViewSet, basename="action-plan")
router.register("actions", ActionViewSet, basename="action")
router.register("progress-updates", ProgressUpdateViewSet, basename="progress-update")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("reviews", ReviewViewSet, basename="review")
router.register("recommendations", RecommendationViewSet, basename="recommendation")

app_name = "api"


@csrf_exempt  # a 404 for every method, never the CSRF failure page
def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other address under /api/: a 404 in JSON, as the API's own 404s are (not the portal's HTML page)."""
    detail = "Not found."
    if not request.path.endswith("/"):
        detail += " Addresses of the API end with a slash."
    return JsonResponse({"detail": detail}, status=404)


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    re_path(r"^(?P<rest>.*)$", not_found, name="not-found"),
]
