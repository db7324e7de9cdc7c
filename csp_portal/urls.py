from django.contrib import admin
from django.urls import include, path

from csp_portal import views
from partnerships import views as partnership_views

admin.site.site_header = "CSP Portal administration"
admin.site.site_title = "CSP Portal administration"

urlpatterns = [
    path("", partnership_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("partnerships.accounts")),
    path("partnerships/", include("partnerships.urls")),
    path("", include("priorities.urls")),
    path("", include("actionplans.urls")),
    path("", include("reviews.urls")),
    path("", include("reviews.reminders.urls")),
    path("admin/", admin.site.urls),
]
