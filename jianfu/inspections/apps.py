from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "jianfu.inspections"
    label = "inspections"
    verbose_name = _("Inspections, checks and assessments")

    def ready(self) -> None:
        from jianfu.demands.kinds import KindHandler, kind_register
        from jianfu.demands.models import Kind

        from .checks import inspection_before_approve, inspection_check, inspection_clean
        from .forms import InspectionFilingForm, filing_form_data, filing_initial
        from .views import demand_detail_context

        kind_register(KindHandler(
            kind=Kind.INSPECTION, clean=inspection_clean, check=inspection_check,
            before_approve=inspection_before_approve, detail_template="inspections/_demand_detail.html",
            detail_context=demand_detail_context, form_class=InspectionFilingForm, form_data=filing_form_data,
            initial=filing_initial, file_label=_("File an inspection outside the plan (一事一报)")))

        from . import audit_actions, plugins

        audit_actions.register()
        plugins.register()

        from . import exports

        exports.register()
