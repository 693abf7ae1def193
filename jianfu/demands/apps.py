from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "jianfu.demands"
    label = "demands"
    verbose_name = _("Demands on the grassroots")

    def ready(self) -> None:
        from . import audit_actions, builtin_kinds, plugins

        builtin_kinds.register()
        audit_actions.register()
        plugins.register()

        from . import exports

        exports.register()
