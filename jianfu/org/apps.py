from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "jianfu.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import audit_actions, plugins

        audit_actions.register()
        plugins.register()

        from . import exports

        exports.register()
