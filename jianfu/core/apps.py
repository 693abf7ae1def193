from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jianfu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks, exports

        exports.register()
        checks.register_checks()
