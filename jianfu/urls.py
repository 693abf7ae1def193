from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jianfu.api import views as api_views
from jianfu.core import views as core_views
from jianfu.demands import views_notice
from jianfu.org.auth_views import JianfuLogoutView, first_login_view, login_view
from jianfu.site import views as site_views
from jianfu.site.api import api

urlpatterns = [
    path("", site_views.home, name="home"),
    path("", include("jianfu.site.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("login/", login_view, name="login"),
    path("login/first/<str:uidb64>/<str:token>/", first_login_view, name="first_login"),
    path("logout/", JianfuLogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("jianfu.org.urls")),
    path("demands/", include("jianfu.demands.urls")),
    path("v/<str:number>/", views_notice.short_verify, name="short_verify"),
    path("inspections/", include("jianfu.inspections.urls")),
    path("burden/", include("jianfu.burden.urls")),
    path("reportforms/", include("jianfu.reportforms.urls")),
    path("rules/", include("jianfu.rules.urls")),
    path("audit/", include("jianfu.audit.urls")),
    path("jobs/", include("jianfu.core.urls")),
    path("tokens/", api_views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", api_views.token_revoke, name="api_token_revoke"),
    path("api/v1/", api.urls),
]

# The Django admin: on in development and tests, off in production unless JIANFU_ADMIN_ENABLED is set.
if settings.JIANFU_ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))

handler404 = "jianfu.core.views.not_found"
