from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BurdenConfig(AppConfig):
    name = "jianfu.burden"
    label = "burden"
    verbose_name = _("Burden hours")

    def ready(self) -> None:
        from . import audit_actions, plugins

        audit_actions.register()
        plugins.register()

        from . import exports

        exports.register()
