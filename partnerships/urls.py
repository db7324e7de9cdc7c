from django.urls import path

from partnerships import views

app_name = "partnerships"

# <ref> is a partnership's slug or its ONS code (e.g. southend-on-sea or E22000089).
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<str:ref>/", views.partnership_detail, name="detail"),
    path("<str:ref>/members/", views.members, name="members"),
    path("<str:ref>/members/history/", views.history, name="history"),
    path("<str:ref>/members/organisations/add/", views.membership_add, name="membership_add"),
    path("<str:ref>/members/organisations/<int:pk>/standing/", views.membership_standing, name="membership_standing"),
    path("<str:ref>/members/organisations/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<str:ref>/members/people/add/", views.role_add, name="role_add"),
    path("<str:ref>/members/people/<int:pk>/role/", views.role_change, name="role_change"),
    path("<str:ref>/members/people/<int:pk>/end/", views.role_end, name="role_end"),
]
