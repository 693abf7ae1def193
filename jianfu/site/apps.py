from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top of the house: home pages, menus, the inbox and search, gathered from what the apps register."""

    name = "jianfu.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from . import plugins

        plugins.register()
