from django.urls import path

from priorities.views import assessments

app_name = "priorities"

# <ref> is a partnership's slug or ONS code; <pk> an assessment's id.
urlpatterns = [
    path("partnerships/<str:ref>/assessments/", assessments.assessment_list, name="assessments"),
    path("partnerships/<str:ref>/assessments/new/", assessments.assessment_create, name="assessment_create"),
    path("partnerships/<str:ref>/crime-data/import/", assessments.crime_import, name="crime_import"),
    path("crime-data/imports/<int:pk>/", assessments.crime_import_summary, name="crime_import_summary"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/edit/", assessments.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/share/", assessments.assessment_share, name="assessment_share"),
    path("assessments/<int:pk>/approve/", assessments.assessment_approve, name="assessment_approve"),
    path("assessments/<int:pk>/comments/", assessments.assessment_comment, name="assessment_comment"),
    path("assessments/<int:pk>/issues/add/", assessments.issue_edit, name="issue_add"),
    path("assessments/<int:pk>/issues/<int:issue_pk>/", assessments.issue_edit, name="issue_edit"),
    path("assessments/<int:pk>/consultations/add/", assessments.consultation_add, name="consultation_add"),
    path("assessments/<int:pk>/local-data/add/", assessments.local_data_add, name="local_data_add"),
]
