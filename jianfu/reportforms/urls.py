from django.urls import path

from . import views

app_name = "reportforms"

urlpatterns = [
    path("", views.report_form_list, name="list"),
    path("new/", views.report_form_new, name="new"),
    path("<int:pk>/edit/", views.report_form_edit, name="edit"),
    path("import/", views.form_import, name="import"),
    path("import/template.xlsx", views.form_import_template, name="import_template"),
    path("fields/", views.field_list, name="field_list"),
    path("fields/new/", views.field_new, name="field_new"),
    path("fields/<int:pk>/", views.field_detail, name="field_detail"),
    path("fields/<int:pk>/edit/", views.field_edit, name="field_edit"),
    path("materials/", views.materials, name="materials"),
    path("baselines/", views.baselines, name="baselines"),
]
