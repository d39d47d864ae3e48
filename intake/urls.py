"""URLs of the intake: uploading, reviewing and the sync's record (editors; the record: admins)."""

from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("reports/upload/", views.report_upload, name="report_upload"),
    path("reports/upload/<uuid:token>/", views.report_confirm, name="report_confirm"),
    path("reports/review/", views.review_list, name="review_list"),
    path("reports/review/<uuid:token>/", views.review_check, name="review_check"),
    path("reports/review/<uuid:token>/file/", views.review_file, name="review_file"),
    path("reports/review/<uuid:token>/confirm/", views.review_confirm, name="review_confirm"),
    path("reports/review/<uuid:token>/reject/", views.review_reject, name="review_reject"),
    path("reports/sync/", views.sync_runs, name="sync_runs"),
]
