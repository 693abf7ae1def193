"""Every write of report forms and the field dictionary; forms are filed through the registry's own services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError
from jianfu.core.validation import clean_text
from jianfu.demands import services as registry
from jianfu.demands.models import Demand, Kind
from jianfu.org.models import Person, Unit
from jianfu.org.permissions import Perm
from jianfu.org.scoping import require

from .models import FieldDefinition, FormProfile, Frequency, MaterialBaseline, MaterialType
from .reuse import field_index_sync, field_named


@dataclass(frozen=True)
class NewField:
    """A field typed by the clerk that may not be in the dictionary yet."""

    name: str
    definition: str = ""
    unit_of_measure: str = ""
    required: bool = True



def _field_snapshot(f: FieldDefinition) -> dict[str, Any]:
    return {"name": f.name, "definition": f.definition, "unit_of_measure": f.unit_of_measure,
            "holder": f.holder.code if f.holder_id else None, "aliases": f.aliases, "notes": f.notes,
            "active": f.active, "proposed": f.proposed}


def _clean_name(name: str) -> str:
    name = " ".join(clean_text(name, field="name", label=_("Field name")).split())
    if not name:
        raise ApplicationError(_("A field needs a name."), code="name")
    if len(name) > 120:
        raise ApplicationError(_("A field name may be at most 120 characters: “%(name)s…”.") % {
            "name": name[:20]}, code="name")
    return name


def _field_texts(*, definition: str = "", unit_of_measure: str = "", aliases: str = "", notes: str = ""
                 ) -> dict[str, str]:
    """A dictionary field's texts, by the rules every interface shares (core.validation)."""
    return {"definition": clean_text(definition, field="definition", label=_("Definition"), multiline=True),
            "unit_of_measure": clean_text(unit_of_measure, field="unit_of_measure", label=_("Unit of measure"))[:40],
            "aliases": clean_text(aliases, field="aliases", label=_("Other names"), multiline=True)[:300],
            "notes": clean_text(notes, field="notes", label=_("Notes"), multiline=True)}


def _unique_name(name: str, exclude_pk: int | None = None) -> None:
    clash = FieldDefinition.objects.filter(name=name).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ApplicationError(_("The dictionary already has a field named “%(name)s”.") % {"name": name},
                               code="name")


@transaction.atomic
def field_definition_create(*, by: Person | None, name: str, definition: str = "", unit_of_measure: str = "",
                            holder: Unit | None = None, aliases: str = "", notes: str = "",
                            active: bool = True) -> FieldDefinition:
    """The task force adds a field to the dictionary (数据字典)."""
    require(by, Perm.FIELD_DICTIONARY)
    name = _clean_name(name)
    _unique_name(name)
    field = FieldDefinition.objects.create(
        holder=holder, active=active, **_field_texts(definition=definition, unit_of_measure=unit_of_measure,
                                                     aliases=aliases, notes=notes), name=name)
    field_index_sync(field)
    audit_record(actor=by, action="field_definition.create", obj=field, after=_field_snapshot(field))
    return field


@transaction.atomic
def field_definition_update(*, by: Person | None, field: FieldDefinition, name: str, definition: str = "",
                            unit_of_measure: str = "", holder: Unit | None = None, aliases: str = "",
                            notes: str = "", active: bool = True, proposed: bool = False) -> FieldDefinition:
    """The task force edits a field; accepting a clerk's proposal is clearing `proposed`."""
    require(by, Perm.FIELD_DICTIONARY)
    locked = FieldDefinition.objects.select_for_update().get(pk=field.pk)
    before = _field_snapshot(locked)
    name = _clean_name(name)
    _unique_name(name, exclude_pk=locked.pk)
    for key, value in _field_texts(definition=definition, unit_of_measure=unit_of_measure, aliases=aliases,
                                   notes=notes).items():
        setattr(locked, key, value)
    locked.name, locked.holder = name, holder
    locked.active, locked.proposed = active, proposed
    locked.save()
    field_index_sync(locked)
    audit_record(actor=by, action="field_definition.update", obj=locked, before=before,
                 after=_field_snapshot(locked))
    return locked


@transaction.atomic
def field_definitions_propose(*, by: Person, fields: Sequence[NewField]) -> list[FieldDefinition]:
    """A filer's typed fields: those the dictionary already has (by name or other name) are used as they
    are; the rest are added as proposals for the task force to accept."""
    require(by, Perm.DEMAND_FILE)
    out: list[FieldDefinition] = []
    for new in fields:
        name = _clean_name(new.name)
        existing_pk = field_named(name)
        existing = FieldDefinition.objects.filter(pk=existing_pk).first() if existing_pk else None
        if existing is None:
            existing = FieldDefinition.objects.filter(name=name).first()
        if existing is not None:
            if not existing.active:
                raise ApplicationError(_("“%(name)s” is no longer in use in the dictionary; choose the field "
                                         "that replaced it.") % {"name": existing.name}, code="fields")
            out.append(existing)
            continue
        texts = _field_texts(definition=new.definition, unit_of_measure=new.unit_of_measure)
        field = FieldDefinition.objects.create(name=name, definition=texts["definition"],
                                               unit_of_measure=texts["unit_of_measure"], proposed=True,
                                               proposed_by=by)
        field_index_sync(field)
        audit_record(actor=by, action="field_definition.propose", obj=field, after=_field_snapshot(field))
        out.append(field)
    return out


def _form_data(*, frequency: str, responses_per_year: int | None, minutes_per_response: int, material_type: str,
               fields: Sequence[tuple[FieldDefinition, bool]]) -> dict[str, Any]:
    return {"frequency": frequency, "responses_per_year": responses_per_year,
            "minutes_per_response": minutes_per_response, "material_type": material_type,
            "fields": [{"id": f.pk, "required": required} for f, required in fields]}


def _fields_of(*, by: Person, field_ids: Sequence[tuple[int, bool]], new_fields: Sequence[NewField]
               ) -> list[tuple[FieldDefinition, bool]]:
    chosen = {f.pk: f for f in FieldDefinition.objects.filter(pk__in=[pk for pk, _r in field_ids])}
    pairs = [(chosen[pk], required) for pk, required in field_ids if pk in chosen]
    missing = [str(pk) for pk, _r in field_ids if pk not in chosen]
    if missing:
        raise ApplicationError(_("Field %(id)s is not in the dictionary.") % {"id": ", ".join(missing)},
                               code="fields")
    proposed = field_definitions_propose(by=by, fields=new_fields) if new_fields else []
    taken = {f.pk for f, _r in pairs}
    for definition, new in zip(proposed, new_fields, strict=True):
        # A typed name that is already among the chosen fields is the same field, asked once.
        if definition.pk not in taken:
            pairs.append((definition, new.required))
            taken.add(definition.pk)
    return pairs


@transaction.atomic
def report_form_file(*, by: Person, issuing_unit: Unit, title: str, body: str = "", frequency: str,
                     minutes_per_response: int, material_type: str, field_ids: Sequence[tuple[int, bool]] = (),
                     new_fields: Sequence[NewField] = (), responses_per_year: int | None = None,
                     targets: Sequence[tuple[Unit, bool]] = (), occurs_on: dt.date | None = None) -> Demand:
    """Register a report form: propose its new fields, then file it through the gate as a draft (BB-…)."""
    require(by, Perm.DEMAND_FILE)
    fields = _fields_of(by=by, field_ids=field_ids, new_fields=new_fields)
    data = _form_data(frequency=frequency, responses_per_year=responses_per_year,
                      minutes_per_response=minutes_per_response, material_type=material_type, fields=fields)
    return registry.demand_file(by=by, kind=Kind.REPORT_FORM, issuing_unit=issuing_unit, title=title, body=body,
                                data=data, targets=targets, occurs_on=occurs_on)


@transaction.atomic
def report_form_revise(*, by: Person, demand: Demand, version: int, title: str, body: str = "", frequency: str,
                       minutes_per_response: int, material_type: str, field_ids: Sequence[tuple[int, bool]] = (),
                       new_fields: Sequence[NewField] = (), responses_per_year: int | None = None,
                       targets: Sequence[tuple[Unit, bool]] | None = None,
                       occurs_on: dt.date | None = None) -> Demand:
    """Save a new version of a draft or returned report form; the gate checks it again."""
    require(by, Perm.DEMAND_FILE)
    if demand.kind != Kind.REPORT_FORM:
        raise ApplicationError(_("This filing is not a report form."), code="kind")
    fields = _fields_of(by=by, field_ids=field_ids, new_fields=new_fields)
    data = _form_data(frequency=frequency, responses_per_year=responses_per_year,
                      minutes_per_response=minutes_per_response, material_type=material_type, fields=fields)
    return registry.demand_revise(by=by, demand=demand, version=version, title=title, body=body, data=data,
                                  targets=targets, occurs_on=occurs_on)


@transaction.atomic
def report_form_record_ledger(*, by: Person | None, title: str, issuing_unit: Unit, filed_by: Person,
                              occurs_on: dt.date, material_type: str, frequency: str = Frequency.MONTHLY
                              ) -> Demand:
    """Record a report form issued before the registry existed (from the old ledger), so years compare."""
    if material_type not in MaterialType.values or frequency not in Frequency.values:
        raise ApplicationError(_("Choose the type of material and how often the form is filled."),
                               code="material_type")
    demand = registry.demand_record_ledger(by=by, kind=Kind.REPORT_FORM, title=title, issuing_unit=issuing_unit,
                                           filed_by=filed_by, occurs_on=occurs_on)
    FormProfile.objects.create(demand=demand, material_type=material_type, frequency=frequency)
    audit_record(actor=by, action="report_form.record_ledger", obj=demand,
                 after={"material_type": material_type, "frequency": frequency})
    return demand


def _baseline_snapshot(b: MaterialBaseline) -> dict[str, Any]:
    return {"unit": b.unit.code, "year": b.year, "report_sets": b.report_sets, "briefings": b.briefings,
            "ledgers": b.ledgers, "others": b.others, "note": b.note}


@transaction.atomic
def material_baseline_set(*, by: Person | None, unit: Unit, year: int, report_sets: int = 0, briefings: int = 0,
                          ledgers: int = 0, others: int = 0, note: str = "") -> MaterialBaseline:
    """The task force sets (or corrects) a department's report materials in a base year."""
    require(by, Perm.REPORT_BASELINE)
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("The year is out of range."), code="year")
    counts = {"report_sets": report_sets, "briefings": briefings, "ledgers": ledgers, "others": others}
    if any(int(v) < 0 for v in counts.values()):
        raise ApplicationError(_("Counts cannot be negative."), code="counts")
    existing = MaterialBaseline.objects.select_for_update().filter(unit=unit, year=year).first()
    before = _baseline_snapshot(existing) if existing else None
    baseline = existing or MaterialBaseline(unit=unit, year=year)
    for key, value in counts.items():
        setattr(baseline, key, int(value))
    baseline.note = clean_text(note, field="note", label=_("Note"), multiline=True)
    baseline.set_by = by
    baseline.save()
    audit_record(actor=by, action="material_baseline.set", obj=baseline, before=before,
                 after=_baseline_snapshot(baseline))
    return baseline
