from django.urls import path

from reviews.views import reminders

app_name = "reminders"

# Reminders: a partnership's reminder days (its managers), and each person's own reminders and choices
# (reviews/views/reminders.py). Apart from the review URLs: these answer people with no review role,
# and neither names a review to anyone who may not open it.
urlpatterns = [
    path("partnerships/<str:ref>/reminders/", reminders.reminder_settings, name="settings"),
    path("accounts/reminders/", reminders.my_reminders, name="mine"),
]
