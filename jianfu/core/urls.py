from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("<int:pk>/acknowledge/", views.job_acknowledge, name="job_acknowledge"),
]
