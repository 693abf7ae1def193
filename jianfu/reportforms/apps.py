from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportFormsConfig(AppConfig):
    name = "jianfu.reportforms"
    label = "reportforms"
    verbose_name = _("Report forms and the field dictionary")

    def ready(self) -> None:
        from jianfu.demands.kinds import KindHandler, kind_register
        from jianfu.demands.models import Kind

        from .checks import report_form_check, report_form_clean, report_form_detail_context, report_form_stated_minutes

        kind_register(KindHandler(kind=Kind.REPORT_FORM, clean=report_form_clean, check=report_form_check,
                                  detail_template="reportforms/_demand_detail.html",
                                  detail_context=report_form_detail_context, new_url_name="reportforms:new",
                                  edit_url_name="reportforms:edit",
                                  stated_unit_minutes=report_form_stated_minutes))

        from . import audit_actions, plugins

        audit_actions.register()
        plugins.register()

        from . import exports

        exports.register()
