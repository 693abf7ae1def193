"""The registry's own kinds, document, meeting and trace-keeping, as handlers like every other kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianfu.core.errors import ApplicationError
from jianfu.rules.engine import Finding as FoundFinding
from jianfu.rules.engine import RuleSet, localised
from jianfu.rules.models import TraceBasis
from jianfu.rules.selectors import ruleset_for, trace_basis_find

from . import similarity
from .checks import check_document, check_meeting, check_trace, meeting_burden_minutes
from .kinds import KindHandler, kind_register
from .models import (
    CITY_NAMES,
    Demand,
    DocumentKind,
    IssuedInName,
    Kind,
    ListKind,
    MeetingMode,
    Revision,
    TraceFrequency,
    TraceType,
)


def _list_item(data: dict[str, Any]) -> int | None:
    raw = data.get("list_item_id")
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("Choose the item from the list."), code="list_item_id") from exc


def _common_initial(rev: Revision) -> dict[str, Any]:
    return {"list_item": rev.data.get("list_item_id")}


# Documents ------------------------------------------------------------------------------------------------

def document_clean(data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("document_kind")
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Choose the kind of document."), code="document_kind")
    name = data.get("issued_in_name")
    if name not in IssuedInName.values:
        raise ApplicationError(_("Choose in whose name the document is issued."), code="issued_in_name")
    checklist = {str(k): bool(v) for k, v in (data.get("checklist") or {}).items()}
    return {"document_kind": kind, "issued_in_name": name, "checklist": checklist, "list_item_id": _list_item(data)}


def document_check(demand: Demand, revision: Revision, rules: RuleSet, on: dt.date) -> list[FoundFinding]:
    similar = similarity.similar_documents(text=revision.body, exclude_id=demand.pk, limit=3)
    # The finding keeps the whole match; each reader sees it named or not (demands.findings.findings_for).
    count, found = check_document(text=revision.body, title=revision.title, kind=revision.data["document_kind"],
                                  checklist=revision.data.get("checklist", {}), rules=rules, similar=similar)
    revision.char_count = count
    return found


def document_apply(demand: Demand, data: dict[str, Any]) -> None:
    demand.document_kind = data["document_kind"]
    demand.issued_in_name = data["issued_in_name"]
    demand.city_wide = data["issued_in_name"] in CITY_NAMES


def document_list_kind(rev: Revision) -> str | None:
    return ListKind.REGULATIONS_DOCUMENTS if rev.data.get("document_kind") == DocumentKind.NORMATIVE else None


def document_form_data(form) -> tuple[str, dict[str, Any]]:
    d = form.cleaned_data
    return d["text"], {"document_kind": d["document_kind"], "issued_in_name": d["issued_in_name"],
                       "checklist": form.checklist(), "list_item_id": d["list_item"].pk if d.get("list_item") else None}


def document_initial(rev: Revision) -> dict[str, Any]:
    initial = {"document_kind": rev.data.get("document_kind"), "issued_in_name": rev.data.get("issued_in_name"),
               "body": rev.body, **_common_initial(rev)}
    for code, answer in rev.data.get("checklist", {}).items():
        initial[f"no_issue_{code}"] = "yes" if answer else "no"
    return initial


def document_form_kwargs(unit) -> dict[str, Any]:
    """The no-issuance categories of the rulebook in force for the issuing unit today."""
    rules = ruleset_for(unit=unit, on=timezone.localdate())
    return {"categories": [{"code": c["code"], "label": localised(c)}
                           for c in rules.value("document.no_issuance", [])]}


# Meetings -------------------------------------------------------------------------------------------------

REPLACEABLE = ("no", "phone", "document", "news")


def meeting_clean(data: dict[str, Any]) -> dict[str, Any]:
    def number(key: str, low: int = 0, high: int = 100000) -> int:
        try:
            value = int(data.get(key) or 0)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(_("%(field)s must be a whole number.") % {"field": key}, code=key) from exc
        if not low <= value <= high:
            raise ApplicationError(_("%(field)s is out of range.") % {"field": key}, code=key)
        return value

    mode = data.get("mode") or MeetingMode.IN_PERSON
    if mode not in MeetingMode.values:
        raise ApplicationError(_("Choose how the meeting is held."), code="mode")
    return {
        "city_wide": bool(data.get("city_wide")),
        "routine": bool(data.get("routine", True)),
        "starts_at": str(data.get("starts_at") or ""),
        "planned_minutes": number("planned_minutes", 1, 24 * 60),
        "mode": mode,
        "attendees": number("attendees", 1, 1_000_000),
        "attendee_roles": str(data.get("attendee_roles") or "")[:300],
        "county_leaders_attend": bool(data.get("county_leaders_attend")),
        "video_exemption_reason": str(data.get("video_exemption_reason") or "")[:500],
        "speakers": number("speakers", 0, 200),
        "minutes_per_speaker": number("minutes_per_speaker", 0, 600),
        "replaceable": data.get("replaceable") if data.get("replaceable") in REPLACEABLE else "",
        "list_item_id": _list_item(data),
    }


def meeting_check(demand: Demand, revision: Revision, rules: RuleSet, on: dt.date) -> list[FoundFinding]:
    related = similarity.related_meetings(demand=demand, revision=revision, rules=rules)
    found = check_meeting(data=revision.data, rules=rules, related=related)
    demand.burden_minutes = meeting_burden_minutes(
        attendees=revision.data["attendees"], minutes=revision.data["planned_minutes"],
        mode=revision.data["mode"], rules=rules)
    return found


def meeting_apply(demand: Demand, data: dict[str, Any]) -> None:
    demand.city_wide = data["city_wide"]


def meeting_list_kind(rev: Revision) -> str | None:
    return ListKind.IMPORTANT_MEETINGS if rev.data.get("city_wide") else None


MEETING_FIELDS = ("city_wide", "routine", "planned_minutes", "mode", "attendees", "attendee_roles",
                  "county_leaders_attend", "video_exemption_reason", "speakers", "minutes_per_speaker", "replaceable")


def meeting_form_data(form) -> tuple[str, dict[str, Any]]:
    return form.cleaned_data.get("agenda") or "", form.meeting_data()


def meeting_initial(rev: Revision) -> dict[str, Any]:
    return {**{k: rev.data.get(k) for k in MEETING_FIELDS}, "agenda": rev.body, **_common_initial(rev),
            "starts_at": rev.data.get("starts_at") or None}


# Trace-keeping requirements -------------------------------------------------------------------------------

def trace_clean(data: dict[str, Any]) -> dict[str, Any]:
    raw_types = data.get("trace_types") or []
    if isinstance(raw_types, str):
        raw_types = [raw_types]
    unknown = [t for t in raw_types if t not in TraceType.values]
    if unknown:
        raise ApplicationError(_("Unknown kind of trace: %(kind)s.") % {"kind": ", ".join(map(str, unknown))},
                               code="trace_types")
    types = [t for t in TraceType.values if t in raw_types]
    if not types:
        raise ApplicationError(_("Choose at least one kind of trace the grassroots must keep."), code="trace_types")
    frequency = data.get("frequency")
    if frequency not in TraceFrequency.values:
        raise ApplicationError(_("Choose how often the traces must be kept."), code="frequency")
    basis_id = data.get("basis_id")
    if basis_id in (None, ""):
        basis_id = None
    else:
        try:
            basis_id = int(basis_id)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(_("Choose the basis from the allow-list."), code="basis_id") from exc
    return {"trace_types": types, "frequency": frequency, "basis_id": basis_id,
            "basis_text": str(data.get("basis_text") or "").strip()[:1000],
            "purpose": str(data.get("purpose") or "").strip()[:2000]}


def trace_check(demand: Demand, revision: Revision, rules: RuleSet, on: dt.date) -> list[FoundFinding]:
    basis_id = revision.data.get("basis_id")
    bases = {b.pk: b for b in TraceBasis.objects.filter(pk=basis_id)} if basis_id is not None else {}
    return check_trace(data=revision.data, rules=rules, bases=bases, on=on)


def trace_form_data(form) -> tuple[str, dict[str, Any]]:
    return form.cleaned_data.get("details") or "", form.trace_data()


def trace_initial(rev: Revision) -> dict[str, Any]:
    return {**{k: rev.data.get(k) for k in ("trace_types", "frequency", "basis_text", "purpose")},
            "basis": rev.data.get("basis_id"), "details": rev.body}


def trace_detail_context(demand: Demand, revision: Revision | None, person) -> dict[str, Any]:
    """The trace fields of a version, in words, for the filing page."""
    if revision is None:
        return {}
    data = revision.data
    basis = trace_basis_find(pk=data.get("basis_id"))
    return {"trace": {
        "types": [TraceType(t).label for t in data.get("trace_types", []) if t in TraceType.values],
        "frequency": TraceFrequency(data["frequency"]).label if data.get("frequency") in TraceFrequency.values
        else "", "basis": basis, "basis_text": data.get("basis_text", ""), "purpose": data.get("purpose", "")}}


def register() -> None:
    from .forms import DocumentForm, MeetingForm, TraceForm

    kind_register(KindHandler(
        kind=Kind.DOCUMENT, clean=document_clean, check=document_check, apply=document_apply,
        body_required=gettext_lazy("The document has no text. Upload a .docx or .txt file or paste the text."),
        list_kind=document_list_kind, form_class=DocumentForm, form_data=document_form_data,
        initial=document_initial, form_kwargs=document_form_kwargs))
    kind_register(KindHandler(
        kind=Kind.MEETING, clean=meeting_clean, check=meeting_check, apply=meeting_apply,
        list_kind=meeting_list_kind, form_class=MeetingForm, form_data=meeting_form_data, initial=meeting_initial))
    kind_register(KindHandler(
        kind=Kind.TRACE, clean=trace_clean, check=trace_check, form_class=TraceForm, form_data=trace_form_data,
        initial=trace_initial, detail_context=trace_detail_context))
