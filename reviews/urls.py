from django.urls import path

from reviews.views import panel, recommendations, workspace

app_name = "reviews"

# <ref> is a partnership's slug or ONS code; <pk> a review's id. Every URL here answers 404 to people
# with no review role (reviews/views/common.py), so none of them tells anyone else reviews exist.
urlpatterns = [
    # Across reviews, and a partnership's settings for them: reviews/views/workspace.py.
    path("reviews/", workspace.review_list, name="list"),
    path("partnerships/<str:ref>/reviews/new/", workspace.review_create, name="create"),
    path("partnerships/<str:ref>/reviews/rules/", workspace.review_rules, name="rules"),
    # One review: overview (clock, deadlines, stages), case details, steps, pauses, history.
    path("reviews/<int:pk>/", workspace.review_detail, name="review"),
    path("reviews/<int:pk>/edit/", workspace.review_edit, name="edit"),
    path("reviews/<int:pk>/step/<slug:step>/", workspace.review_step, name="step"),
    path("reviews/<int:pk>/pause/", workspace.review_pause, name="pause"),
    path("reviews/<int:pk>/resume/", workspace.review_resume, name="resume"),
    path("reviews/<int:pk>/taken-down/", workspace.review_takedown, name="takedown"),
    path("reviews/<int:pk>/history/", workspace.review_history, name="history"),
    # Panel, agencies, family contact, documents and the access log: reviews/views/panel.py.
    path("reviews/<int:pk>/panel/", panel.panel_list, name="panel"),
    path("reviews/<int:pk>/panel/add/", panel.panel_add, name="panel_add"),
    path("reviews/<int:pk>/panel/<int:member_pk>/end/", panel.panel_end, name="panel_end"),
    path("reviews/<int:pk>/agencies/", panel.agency_list, name="agencies"),
    path("reviews/<int:pk>/agencies/add/", panel.agency_edit, name="agency_add"),
    path("reviews/<int:pk>/agencies/<int:agency_pk>/", panel.agency_edit, name="agency_edit"),
    path("reviews/<int:pk>/family/", panel.family_list, name="family"),
    path("reviews/<int:pk>/family/add/", panel.family_add, name="family_add"),
    path("reviews/<int:pk>/documents/", panel.document_list, name="documents"),
    path("reviews/<int:pk>/documents/upload/", panel.document_upload, name="document_upload"),
    path("reviews/<int:pk>/documents/<int:document_pk>/", panel.document_download, name="document_download"),
    path("reviews/<int:pk>/access-log/", panel.access_log, name="access_log"),
    # Recommendations, tracked like actions: reviews/views/recommendations.py.
    path("reviews/<int:pk>/recommendations/", recommendations.recommendation_list, name="recommendations"),
    path("reviews/<int:pk>/recommendations/add/", recommendations.recommendation_edit, name="recommendation_add"),
    path(
        "reviews/<int:pk>/recommendations/<int:rec_pk>/",
        recommendations.recommendation_detail,
        name="recommendation",
    ),
    path(
        "reviews/<int:pk>/recommendations/<int:rec_pk>/edit/",
        recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "reviews/<int:pk>/recommendations/<int:rec_pk>/progress/",
        recommendations.recommendation_progress,
        name="recommendation_progress",
    ),
    path(
        "reviews/<int:pk>/recommendations/<int:rec_pk>/status/",
        recommendations.recommendation_status,
        name="recommendation_status",
    ),
    # Outstanding recommendations of a CSP's or a county's reviews (aggregates for scrutiny and county).
    path(
        "partnerships/<str:ref>/reviews/recommendations/",
        recommendations.outstanding,
        name="outstanding",
    ),
]
