from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("", views.rulebook, name="rulebook"),
    path("<str:code>/", views.rule_history, name="history"),
    path("<str:code>/change/", views.rule_change, name="change"),
]
