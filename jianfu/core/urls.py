from django.urls import path

from . import export_views, views

app_name = "core"

urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("<int:pk>/acknowledge/", views.job_acknowledge, name="job_acknowledge"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
]
