"""The registry's hook for report forms: cleaning their details, their checks and what the filing page shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jianfu.core.errors import ApplicationError
from jianfu.demands.models import Demand, Revision
from jianfu.org.models import Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for
from jianfu.rules.engine import Finding, RuleSet

from .models import MATERIAL_CUT, RESPONSES_PER_YEAR, FieldDefinition, FormField, FormProfile, Frequency, MaterialType
from .reuse import AskedField, Reuse, field_reuse

MAX_FIELDS = 500
FIELD_REUSE = "report_forms.field_reuse"


def _whole(data: dict[str, Any], key: str, label: str, low: int, high: int) -> int:
    try:
        value = int(data.get(key) or 0)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("%(field)s must be a whole number.") % {"field": label}, code=key) from exc
    if not low <= value <= high:
        raise ApplicationError(_("%(field)s must be from %(low)s to %(high)s.") % {
            "field": label, "low": low, "high": high}, code=key)
    return value


def _field_entries(raw: Any) -> list[tuple[int, bool]]:
    entries: list[tuple[int, bool]] = []
    for item in raw or []:
        pk, required = (item.get("id"), item.get("required", True)) if isinstance(item, dict) else (item, True)
        try:
            entries.append((int(pk), bool(required)))
        except (TypeError, ValueError) as exc:
            raise ApplicationError(_("A field of the form is not a dictionary field."), code="fields") from exc
    return entries


def report_form_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The details of a report form as kept on its version; refuses what the gate cannot check."""
    frequency = data.get("frequency")
    if frequency not in Frequency.values:
        raise ApplicationError(_("Choose how often the form is filled."), code="frequency")
    material = data.get("material_type")
    if material not in MaterialType.values:
        raise ApplicationError(_("Choose the type of material: report set, briefing, ledger or other."),
                               code="material_type")
    minutes = _whole(data, "minutes_per_response", _("Minutes per response"), 1, 100_000)
    if frequency == Frequency.PER_EVENT:
        per_year = _whole(data, "responses_per_year", _("Responses a year"), 1, 100_000)
    else:
        per_year = RESPONSES_PER_YEAR[frequency]
    entries = _field_entries(data.get("fields"))
    if not entries:
        raise ApplicationError(_("A form must ask for at least one field."), code="fields")
    if len(entries) > MAX_FIELDS:
        raise ApplicationError(_("A form may ask for at most %(max)s fields; this one asks for %(n)s.") % {
            "max": MAX_FIELDS, "n": len(entries)}, code="fields")
    known = {f.pk: f for f in FieldDefinition.objects.filter(pk__in=[pk for pk, _r in entries])}
    seen: set[int] = set()
    fields = []
    for pk, required in entries:
        definition = known.get(pk)
        if definition is None:
            raise ApplicationError(_("Field %(id)s is not in the dictionary.") % {"id": pk}, code="fields")
        if pk in seen:
            raise ApplicationError(_("The form asks for “%(name)s” twice.") % {"name": definition.name},
                                   code="fields")
        if not definition.active:
            raise ApplicationError(_("“%(name)s” is no longer in use in the dictionary; choose the field that "
                                     "replaced it.") % {"name": definition.name}, code="fields")
        seen.add(pk)
        fields.append({"id": pk, "name": definition.name, "required": required})
    return {"frequency": frequency, "responses_per_year": per_year, "minutes_per_response": minutes,
            "material_type": material, "fields": fields}


def respondent_count(demand: Demand) -> int:
    """Units that fill the form: each receiving unit, and every unit below those marked "and below"."""
    targets = list(demand.targets.select_related("unit"))
    if not targets:
        return 0
    q = Q(pk__in=[t.unit_id for t in targets])
    for t in targets:
        if t.include_below:
            q |= Q(path__startswith=t.unit.path)
    return Unit.objects.filter(q, active=True).exclude(type=UnitType.TASK_FORCE).count()


def _sync_rows(demand: Demand, data: dict[str, Any]) -> FormProfile:
    """Keep the form's field rows and profile equal to its current version, so reuse and counts are SQL."""
    FormField.objects.filter(demand=demand).delete()
    FormField.objects.bulk_create([FormField(demand=demand, field_id=f["id"], position=i, required=f["required"])
                                   for i, f in enumerate(data["fields"], start=1)])
    profile, _created = FormProfile.objects.update_or_create(demand=demand, defaults={
        "material_type": data["material_type"], "frequency": data["frequency"],
        "responses_per_year": data["responses_per_year"], "minutes_per_response": data["minutes_per_response"],
        "respondents": respondent_count(demand), "field_count": len(data["fields"])})
    return profile


def asked_fields(data: dict[str, Any]) -> list[AskedField]:
    ids = [f["id"] for f in data.get("fields", [])]
    definitions = {pk: (name, definition) for pk, name, definition in
                   FieldDefinition.objects.filter(pk__in=ids).values_list("pk", "name", "definition")}
    return [AskedField(name=definitions.get(pk, ("", ""))[0], definition=definitions.get(pk, ("", ""))[1],
                       field_id=pk) for pk in ids]


def reuse_findings(reuse: Reuse, rules: RuleSet) -> list[Finding]:
    """One warning per form that already collects some of the fields, and a proposal to merge into the one
    that collects most of them."""
    rule = rules.get(FIELD_REUSE)
    if rule is None:
        return []
    found: list[Finding] = []
    best = reuse.merge_candidate()
    if best is not None:
        total = len(reuse.asked)
        found.append(Finding.of(
            rule, gettext_noop("%(covered)s of this form's %(total)s fields (%(share)s%%) are already collected by "
                               "%(form)s of %(unit)s."),
            {"covered": best.covered, "total": total, "share": round(best.covered * 100 / total),
             "form": best.reference(), "unit": best.issuing_unit},
            fix=gettext_noop("Merge this form into %(form)s (一表通) and ask there only for the %(missing)s "
                             "field(s) it lacks, or withdraw this form."),
            fix_params={"form": best.reference(), "missing": total - best.covered},
            demand_id=best.demand_id, proposal="merge"))
    for other in reuse.forms:
        found.append(Finding.of(
            rule, gettext_noop("%(count)s field(s) of this form are already collected by %(form)s of %(unit)s: "
                               "%(fields)s."),
            {"count": other.covered, "form": other.reference(), "unit": other.issuing_unit,
             "fields": "；".join(h.label() for h in other.hits)},
            fix=gettext_noop("Take these fields from %(unit)s instead of asking the grassroots for them again."),
            fix_params={"unit": other.issuing_unit},
            demand_id=other.demand_id, fields=[h.field_id for h in other.hits]))
    return found


def material_cut_findings(demand: Demand, rules: RuleSet, on: dt.date) -> list[Finding]:
    """With this form, would the department's report materials this year stay within the cut on its baseline?"""
    from .selectors import baseline_for, material_counts

    rule = rules.get(MATERIAL_CUT)
    baseline = baseline_for(unit=demand.issuing_unit, year=on.year)
    if rule is None or baseline is None or not baseline.total:
        return []
    cut = int(rule.value)
    allowed = baseline.total * (100 - cut) // 100
    counts = material_counts(year=on.year, unit_ids=[demand.issuing_unit_id], exclude_demand_id=demand.pk)
    now = sum(counts.get(demand.issuing_unit_id, {}).values()) + 1
    if now <= allowed:
        return []
    return [Finding.of(
        rule, gettext_noop("%(unit)s had %(baseline)s report materials in %(base_year)s; a cut of %(cut)s%% allows "
                           "at most %(allowed)s in %(year)s, and with this form it would have %(now)s."),
        {"unit": demand.issuing_unit.name, "baseline": baseline.total, "base_year": str(baseline.year),
         "cut": cut, "allowed": allowed, "year": str(on.year), "now": now},
        fix=gettext_noop("Merge this form into one the department already has, or withdraw one it no longer "
                         "needs."), unit_id=demand.issuing_unit_id)]


def report_form_check(demand: Demand, revision: Revision, rules: RuleSet, on: dt.date) -> list[Finding]:
    data = revision.data
    profile = _sync_rows(demand, data)
    demand.burden_minutes = profile.respondents * profile.responses_per_year * profile.minutes_per_response
    found: list[Finding] = []
    rule = rules.get(FIELD_REUSE)
    if rule is not None:
        reuse = field_reuse(asked=asked_fields(data), threshold=float(rule.value), exclude_demand_id=demand.pk)
        found += reuse_findings(reuse, rules)
    found += material_cut_findings(demand, rules, on)
    return found


def report_form_detail_context(demand: Demand, revision: Revision | None, user) -> dict[str, Any]:
    """The form's facts and, field by field, the other forms that already collect it."""
    from django.utils import timezone

    from jianfu.demands.services import EDITABLE
    from jianfu.rules.selectors import ruleset_for

    if revision is None:
        return {}
    data = revision.data
    rules = ruleset_for(unit=demand.issuing_unit, on=demand.occurs_on or timezone.localdate())
    threshold = float(rules.value(FIELD_REUSE, 0.6))
    reuse = field_reuse(asked=asked_fields(data), threshold=threshold, exclude_demand_id=demand.pk)
    holders = dict(FieldDefinition.objects.filter(pk__in=[f["id"] for f in data.get("fields", [])])
                   .values_list("pk", "holder__name"))
    rows = [{"field": f, "holder": holders.get(f["id"]) or "", "hits": reuse.for_field(i)}
            for i, f in enumerate(data.get("fields", []))]
    profile = FormProfile.objects.filter(demand=demand).first()
    can_edit = (has_perm(user, Perm.DEMAND_FILE) and scope_for(user).writes(demand.issuing_unit)
                and demand.status in EDITABLE)
    return {"report_form": {"data": data, "profile": profile, "rows": rows, "reuse": reuse,
                            "merge": reuse.merge_candidate(), "can_edit": can_edit,
                            "material": MaterialType(data["material_type"]).label,
                            "frequency": Frequency(data["frequency"]).label,
                            "burden_hours": round(demand.burden_minutes / 60, 1)}}


def report_form_stated_minutes(post) -> int:
    """Minutes one respondent spends on the form a year, as its filing form states them (burden preview)."""
    def number(key: str, default: int = 0) -> int:
        try:
            return max(0, int(post.get(key) or default))
        except (TypeError, ValueError):
            return default

    per_year = number("responses_per_year", 1) or RESPONSES_PER_YEAR.get(post.get("frequency", ""), 1)
    return per_year * number("minutes_per_response")
