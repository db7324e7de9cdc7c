from django.urls import path

from priorities.views import assessments, plans

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

# Partnership plans: <pk> is a plan's id.
urlpatterns += [
    path("partnerships/<str:ref>/plans/", plans.plan_list, name="plans"),
    path("partnerships/<str:ref>/plans/new/", plans.plan_create, name="plan_create"),
    path("partnerships/<str:ref>/county-priorities/", plans.county_priorities, name="county_priorities"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/consultation/", plans.plan_consult, name="plan_consult"),
    path("plans/<int:pk>/adopt/", plans.plan_adopt, name="plan_adopt"),
    path("plans/<int:pk>/history/", plans.plan_history, name="plan_history"),
    path("plans/<int:pk>/reviews/add/", plans.plan_review, name="plan_review"),
    path("plans/<int:pk>/priorities/add/", plans.priority_edit, name="priority_add"),
    path("plans/<int:pk>/priorities/<int:priority_pk>/", plans.priority_edit, name="priority_edit"),
    path("plans/<int:pk>/priorities/<int:priority_pk>/retire/", plans.priority_retire, name="priority_retire"),
    path("plans/<int:pk>/priorities/<int:priority_pk>/measures/add/", plans.measure_edit, name="measure_add"),
    path("plans/<int:pk>/measures/<int:measure_pk>/", plans.measure_edit, name="measure_edit"),
    path("plans/<int:pk>/measures/<int:measure_pk>/values/add/", plans.value_add, name="value_add"),
]
