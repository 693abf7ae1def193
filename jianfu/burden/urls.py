from django.urls import path

from . import views

app_name = "burden"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("on-unit/", views.on_unit, name="on_unit"),
    path("one-in-one-out/", views.ledger, name="ledger"),
    path("activities/", views.activities, name="activities"),
    path("preview/", views.preview, name="preview"),
    path("demands/<int:pk>/re-estimate/", views.re_estimate, name="re_estimate"),
]
