from django.urls import path

from actionplans.views import actions, dashboard, exchange, my_actions, plans, reports

app_name = "actionplans"

# <ref> is a partnership's slug or ONS code; <pk> an action plan's id under /action-plans/ and an
# action's id under /actions/.
urlpatterns = [
    path("partnerships/<str:ref>/action-plans/", plans.plan_list, name="plans"),
    path("partnerships/<str:ref>/action-plans/new/", plans.plan_create, name="plan_create"),
    path("action-plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("action-plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("action-plans/<int:pk>/agree/", plans.plan_agree, name="plan_agree"),
    path("action-plans/<int:pk>/close/", plans.plan_close, name="plan_close"),
    path("action-plans/<int:pk>/actions/add/", actions.action_add, name="action_add"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/progress/", actions.action_progress, name="action_progress"),
    path("actions/<int:pk>/milestones/add/", actions.milestone_edit, name="milestone_add"),
    path("actions/<int:pk>/milestones/<int:milestone_pk>/", actions.milestone_edit, name="milestone_edit"),
    path("actions/<int:pk>/budget/add/", actions.budget_edit, name="budget_add"),
    path("actions/<int:pk>/budget/<int:line_pk>/", actions.budget_edit, name="budget_edit"),
    path("actions/<int:pk>/history/", actions.action_history, name="action_history"),
    path("my-actions/", my_actions.my_actions, name="my_actions"),
    # Export (the plan page's filters as query parameters) and import: actionplans/views/exchange.py.
    path("action-plans/<int:pk>/export.csv", exchange.export_csv, name="export_csv"),
    path("action-plans/<int:pk>/export.xlsx", exchange.export_xlsx, name="export_xlsx"),
    path("action-plans/<int:pk>/import/", exchange.import_actions, name="import"),
    # Scrutiny (read-only): actionplans/views/dashboard.py; annual reports: actionplans/views/reports.py.
    path("partnerships/<str:ref>/dashboard/", dashboard.partnership_dashboard, name="dashboard"),
    path("partnerships/<str:ref>/roll-up/", dashboard.county_roll_up, name="roll_up"),
    path("partnerships/<str:ref>/annual-reports/", reports.report_list, name="reports"),
    path("partnerships/<str:ref>/annual-reports/new/", reports.report_start, name="report_start"),
    path("annual-reports/<int:pk>/", reports.report_detail, name="report"),
    path("annual-reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("annual-reports/<int:pk>/publish/", reports.report_publish, name="report_publish"),
    path("annual-reports/<int:pk>/report.pdf", reports.report_pdf_download, name="report_pdf"),
    path("annual-reports/<int:pk>/report.xlsx", reports.report_xlsx_download, name="report_xlsx"),
]
