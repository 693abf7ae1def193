from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/badge/", views.inbox_badge, name="inbox_badge"),
    path("search/", views.search, name="search"),
]
