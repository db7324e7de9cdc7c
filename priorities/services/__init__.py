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

__all__ = [
    "ImportSummary",
    "assessment_approve",
    "assessment_comment",
    "assessment_create",
    "assessment_share",
    "assessment_update",
    "consultation_add",
    "crime_import",
    "import_targets",
    "issue_save",
    "local_data_add",
    "text_stream",
]
