from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("", views.rulebook, name="rulebook"),
    # Before "<code>/", which would take "trace-bases" for a rule code.
    path("trace-bases/", views.trace_bases, name="trace_bases"),
    path("trace-bases/new/", views.trace_basis_new, name="trace_basis_new"),
    path("trace-bases/<int:pk>/edit/", views.trace_basis_edit, name="trace_basis_edit"),
    path("trace-bases/<int:pk>/deactivate/", views.trace_basis_deactivate, name="trace_basis_deactivate"),
    path("<str:code>/", views.rule_history, name="history"),
    path("<str:code>/change/", views.rule_change, name="change"),
]
