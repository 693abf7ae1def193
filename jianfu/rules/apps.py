from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "jianfu.rules"
    label = "rules"
    verbose_name = _("Rulebook")

    def ready(self) -> None:
        from . import audit_actions, plugins

        audit_actions.register()
        plugins.register()
