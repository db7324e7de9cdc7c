from django.contrib import admin
from django.urls import include, path

from csp_portal import views
from partnerships import tokens
from partnerships import views as partnership_views

admin.site.site_header = "CSP Portal administration"
admin.site.site_title = "CSP Portal administration"

urlpatterns = [
    path("", partnership_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Personal API tokens: partnerships/tokens.py (before the other account pages).
    path("accounts/api-tokens/", tokens.token_list, name="api_tokens"),
    path("accounts/api-tokens/<uuid:uid>/revoke/", tokens.token_revoke, name="api_token_revoke"),
    path("accounts/", include("partnerships.accounts")),
    path("partnerships/", include("partnerships.urls")),
    path("", include("priorities.urls")),
    path("", include("actionplans.urls")),
    path("", include("reviews.urls")),
    path("", include("reviews.reminders.urls")),
    # The REST API (/api/v1/), its OpenAPI schema (/api/schema/) and docs (/api/docs/): csp_portal/api/.
    path("api/", include("csp_portal.api.urls")),
    path("admin/", admin.site.urls),
]
