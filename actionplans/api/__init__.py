"""The action plans app's API endpoints: action plans (plans.py), actions with their progress reports
(actions.py), progress updates (progress.py), the actions' milestones and budget lines (items.py), and
the annual reports to the crime and disorder committee (reports.py, read-only). Registered in
csp_portal/api/urls.py.

Scope: actionplans.permissions (visible_action_plans, visible_actions; progress updates are those of the
visible actions). Lead officers' and authors' names are personal data: null for those who may not see the
partnership's people (actionplans.permissions.can_read_people: scrutiny members).
Writes, through actionplans.services exactly as the pages:
- PUT/PATCH an action plan (action_plan_update) and POST, PUT, PATCH an action (action_create,
  action_update): the partnership's managers, not once the plan is closed;
- POST /actions/{id}/progress-updates/ (action_record_progress): the officers of the organisation that
  leads the action, and the managers; so are POST, PUT, PATCH of its milestones and budget lines
  (milestone_save, budget_line_save).
Versioned writes say which version they change (If-Match or `version`: csp_portal/api/concurrency.py).
"""

from actionplans.api.actions import ActionViewSet
from actionplans.api.items import BudgetLineViewSet, MilestoneViewSet
from actionplans.api.plans import ActionPlanViewSet
from actionplans.api.progress import ProgressUpdateViewSet
from actionplans.api.reports import AnnualReportViewSet

__all__ = [
    "ActionPlanViewSet",
    "ActionViewSet",
    "AnnualReportViewSet",
    "BudgetLineViewSet",
    "MilestoneViewSet",
    "ProgressUpdateViewSet",
]
