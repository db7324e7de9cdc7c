"""Every change to assessments, crime data and plans goes through these functions (one transaction each).

One module per area; this package re-exports them so callers write `services.assessment_create(...)`.
"""

from priorities.services.assessments import (
    assessment_approve,
    assessment_comment,
    assessment_create,
    assessment_share,
    assessment_update,
    consultation_add,
    issue_save,
    local_data_add,
)
from priorities.services.crime import ImportSummary, crime_import, import_targets, text_stream
from priorities.services.plans import (
    Decision,
    NewPriority,
    check_measure,
    measure_save,
    measure_value_add,
    plan_adopt,
    plan_create,
    plan_review,
    plan_send_to_consultation,
    plan_update,
    priority_retire,
    priority_save,
)

__all__ = [
    "Decision",
    "ImportSummary",
    "NewPriority",
    "assessment_approve",
    "assessment_comment",
    "assessment_create",
    "assessment_share",
    "assessment_update",
    "check_measure",
    "consultation_add",
    "crime_import",
    "import_targets",
    "issue_save",
    "local_data_add",
    "measure_save",
    "measure_value_add",
    "plan_adopt",
    "plan_create",
    "plan_review",
    "plan_send_to_consultation",
    "plan_update",
    "priority_retire",
    "priority_save",
    "text_stream",
]
