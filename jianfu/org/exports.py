"""What the organisation pages export: units, people, liaisons and an import's problems.

Each build re-applies the person's scope through the selectors; the params are only the list's filters.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jianfu.core.errors import ApplicationError, NotFoundError
from jianfu.core.exports import ExportSheet, choice_labels, export_register, form_data, param

from . import selectors
from .forms import PersonFilterForm, UnitFilterForm
from .imports import selectors as import_selectors
from .imports.problems import ERROR, problem_message
from .models import Role, UnitType
from .permissions import Perm
from .scoping import has_perm


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def units_build(person, params: dict) -> ExportSheet:
    form = UnitFilterForm(form_data(params) or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.unit_list(actor=person, parent_id=_int(param(params, "parent")),
                             **{k: data.get(k) or "" for k in ("q", "type", "active")})
    types, yes, no = choice_labels(UnitType.choices), _("Yes"), _("No")
    values = qs.values_list("code", "name", "type", "level", "parent__code", "parent__name", "liaison__name",
                            "active")
    rows = ([code, name, types.get(t, t), level, parent_code or "", parent_name or "", liaison or "",
             yes if active else no]
            for code, name, t, level, parent_code, parent_name, liaison, active in values.iterator(chunk_size=2000))
    header = [_("Code"), _("Name"), _("Type"), _("Level"), _("Parent code"), _("Parent unit"), _("Liaison"),
              _("Active")]
    return ExportSheet(filename="units", sheet=_("Units"), header=header, rows=rows, total=qs.count())


def people_build(person, params: dict) -> ExportSheet:
    form = PersonFilterForm(form_data(params) or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.person_list(actor=person, q=data.get("q") or "", role=data.get("role") or "",
                               unit_id=_int(param(params, "unit")), active=data.get("active") or "")
    roles = choice_labels(Role.choices)
    rows = ([p.username, p.name, p.phone, p.title,
             "; ".join(f"{m.unit.name} {roles.get(m.role, m.role)}" for m in p.visible_memberships)]
            for p in qs.iterator(chunk_size=2000))
    header = [_("Login name"), pgettext("person", "Name"), _("Phone"), _("Post"), _("Units and roles")]
    return ExportSheet(filename="people", sheet=_("People"), header=header, rows=rows, total=qs.count())


def liaisons_build(person, params: dict) -> ExportSheet:
    qs = selectors.liaison_list(actor=person, q=param(params, "q").strip(), missing=param(params, "missing") == "1")
    types = choice_labels(UnitType.choices)
    values = qs.values_list("code", "name", "type", "liaison__name", "liaison__phone")
    rows = ([code, name, types.get(t, t), liaison or "", phone or ""]
            for code, name, t, liaison, phone in values.iterator(chunk_size=2000))
    header = [_("Code"), _("Unit"), _("Type"), _("Liaison"), _("Phone")]
    return ExportSheet(filename="liaisons", sheet=_("Liaisons"), header=header, rows=rows, total=qs.count())


def import_problems_build(person, params: dict) -> ExportSheet:
    """Every problem found in an uploaded file; only for those who manage the organisation and see the import."""
    raw = param(params, "job")
    if not has_perm(person, Perm.ORG_MANAGE) or not raw.isdigit():
        raise NotFoundError()
    job = import_selectors.import_job_get(actor=person, pk=int(raw))
    levels = {"error": _("Error"), "warning": _("Warning")}
    rows = [[p.get("row") or "", p.get("column") or "", levels.get(p.get("level", ERROR), ""), problem_message(p)]
            for p in job.errors]
    return ExportSheet(filename=f"import-{job.pk}-problems", sheet=_("Problems"),
                       header=[_("Row"), _("Column"), _("Level"), _("Problem")], rows=rows, total=len(rows))


def first_login_links_build(person, params: dict) -> ExportSheet:
    """One first-login link for each active person without a password whom `person` may manage (the people an
    import just created, say), to hand out on paper or by message. Each link is audited as it is made; the
    file is the requester's alone and deleted after a day."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.db import transaction

    from .passwords import first_login_link_create
    from .scoping import require

    require(person, Perm.ORG_MANAGE)
    site = param(params, "site").rstrip("/")
    roles = choice_labels(Role.choices)
    qs = selectors.person_list(actor=person, q="", role="", unit_id=None, active="1").filter(
        password__startswith=UNUSABLE_PASSWORD_PREFIX)
    rows = []
    with transaction.atomic():
        for p in qs.iterator(chunk_size=500):
            if p.pk == getattr(person, "pk", None):
                continue
            try:
                path = first_login_link_create(by=person, person=p)
            except ApplicationError:
                continue  # outside the units the requester may change
            rows.append([p.username, p.name,
                         "; ".join(f"{m.unit.name} {roles.get(m.role, m.role)}" for m in p.visible_memberships),
                         f"{site}{path}"])
    header = [_("Login name"), pgettext("person", "Name"), _("Units and roles"), _("First-login link")]
    return ExportSheet(filename="first-login-links", sheet=_("First-login links"), header=header, rows=rows,
                       total=len(rows))


def register() -> None:
    export_register("org.units", label=gettext_lazy("Units"), build=units_build)
    export_register("org.people", label=gettext_lazy("People"), build=people_build)
    export_register("org.liaisons", label=gettext_lazy("Liaisons"), build=liaisons_build)
    export_register("org.first_login_links", label=gettext_lazy("First-login links"), build=first_login_links_build)
    export_register("org.import_problems", label=gettext_lazy("Problems found in an import"),
                    build=import_problems_build)
