"""The priorities app's API endpoints: strategic assessments (assessments.py), and partnership plans, their
priorities, outcome measures and measure values (plans.py). Registered in csp_portal/api/urls.py."""

from priorities.api.assessments import AssessmentViewSet
from priorities.api.plans import MeasureValueViewSet, MeasureViewSet, PlanViewSet, PriorityViewSet

__all__ = ["AssessmentViewSet", "MeasureValueViewSet", "MeasureViewSet", "PlanViewSet", "PriorityViewSet"]
