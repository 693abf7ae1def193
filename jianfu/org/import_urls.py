"""Import pages; included into the "org" namespace (no app_name here), so names read org:import_*."""

from django.urls import path

from . import import_views as views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/problems.xlsx", views.import_problems_export, name="import_problems_export"),
]
