from django.urls import include, path

from . import auth_views, views, views_picker

app_name = "org"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/pick/", views_picker.unit_pick, name="unit_pick"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/toggle-active/", views.unit_toggle_active, name="unit_toggle_active"),
    path("units/<int:pk>/liaison/", views.unit_set_liaison, name="unit_set_liaison"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/roles/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("roles/", views.role_list, name="role_list"),
    path("task-force/", views.task_force, name="task_force"),
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("import/", include("jianfu.org.import_urls")),
    path("account/", views.account, name="account"),
    path("account/password/", auth_views.password_change_view, name="password_change"),
    path("people/<int:pk>/password/", auth_views.person_password_view, name="person_password"),
]
