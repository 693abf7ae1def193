from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jianfu.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import audit_actions

        audit_actions.register()
