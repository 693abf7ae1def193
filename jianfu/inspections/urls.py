from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.plans, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("on-us/", views.on_us, name="on_us"),
    path("off-plan/", views.off_plan, name="off_plan"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/items/new/", views.item_new, name="item_new"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/approve/", views.plan_approve, name="approve"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/drop/", views.item_drop, name="item_drop"),
    path("one-off/<int:pk>/", views.one_off_record, name="one_off"),
]
