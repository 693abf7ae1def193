"""Every write to the registry: filing, revising, submitting, reviewing, withdrawing, merging, expiring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.core.validation import clean_json_texts, clean_text
from jianfu.org.models import Person, Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, require, scope_for, units_targetable
from jianfu.rules.engine import Finding as FoundFinding
from jianfu.rules.selectors import ruleset_for

from .checks import check_list
from .checks.lists import Item
from .control_numbers import control_number_next
from .hooks import FILED, REVISED, STATUS_CHANGED, hooks_run
from .kinds import kind_handler
from .models import (
    CITY_NAMES,
    AnnualList,
    Demand,
    Finding,
    Kind,
    ListItem,
    ListKind,
    Review,
    Revision,
    Source,
    Status,
    Target,
)

EDITABLE = (Status.DRAFT, Status.RETURNED)


def demand_snapshot(d: Demand) -> dict[str, Any]:
    return {"kind": d.kind, "title": d.title, "status": d.status, "issuer": d.issuing_unit.code,
            "occurs_on": d.occurs_on, "control_number": d.control_number, "valid_from": d.valid_from,
            "valid_until": d.valid_until, "revision": d.current_revision.number if d.current_revision_id else None}



def _require_writer(by: Person | None, demand: Demand) -> None:
    require(by, Perm.DEMAND_FILE)
    if by is not None and not scope_for(by).writes(demand.issuing_unit):
        raise ApplicationError(_("You cannot change filings of this unit."), code="forbidden")


def _stale() -> StaleEditError:
    return StaleEditError(_("Someone else changed this filing after you opened it. Reload to see the change."),
                          code="stale")


def _check_targets(by: Person | None, targets: Sequence[tuple[Unit, bool]]) -> None:
    """Who may place a demand on whom is a rule (org.scoping.units_targetable), the same for pages and API;
    the refusal names no unit, so it reveals nothing of units outside the filer's reach."""
    if by is None or not targets:
        return
    allowed = set(units_targetable(by).filter(pk__in=[u.pk for u, _below in targets]).values_list("pk", flat=True))
    if any(u.pk not in allowed for u, _below in targets):
        raise ApplicationError(_("Some of the receiving units are not units you may place demands on."),
                               code="targets")


def _set_targets(demand: Demand, targets: Sequence[tuple[Unit, bool]]) -> None:
    Target.objects.filter(demand=demand).delete()
    seen: set[int] = set()
    rows = []
    for unit, below in targets:
        if unit.pk in seen:
            continue
        seen.add(unit.pk)
        rows.append(Target(demand=demand, unit=unit, include_below=below))
    Target.objects.bulk_create(rows)


def _clean_for(kind: str, data: dict[str, Any] | None) -> dict[str, Any]:
    handler = kind_handler(kind)
    if handler is None:
        raise ApplicationError(_("This kind of demand is not filed here yet."), code="kind")
    return handler.clean(data or {})


def _clean_title(title: str) -> str:
    return clean_text(title, field="title", label=_("Title"), max_length=300)


def _clean_body_and_data(body: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The filing's text and its kind's details by the rules every interface shares (core.validation): no
    character the database refuses (a NUL), none that is not text; the text keeps its layout."""
    body = clean_text(body, field="body", label=_("Text"), multiline=True, strip=False)
    return body, clean_json_texts(data, field="data")


def _require_body(kind: str, body: str) -> None:
    handler = kind_handler(kind)
    if handler is not None and handler.body_required and not body.strip():
        raise ApplicationError(str(handler.body_required), code="body")


LIST_NAMES = {
    ListKind.IMPORTANT_MEETINGS: {"zh": "全市性重要会议", "en": "city-wide important meetings"},
    ListKind.REGULATIONS_DOCUMENTS: {"zh": "党内法规和规范性文件", "en": "Party regulations and normative documents"},
}


def _list_kind_for(demand: Demand, revision: Revision) -> str | None:
    """Which of the 5 lists a filing is checked against, as its kind says; most kinds have none."""
    handler = kind_handler(demand.kind)
    return handler.list_kind(revision) if handler is not None and handler.list_kind is not None else None


def city_unit() -> Unit | None:
    """The city, whose 5 lists filings are checked against."""
    return Unit.objects.filter(type=UnitType.CITY).order_by("path").first()


def _check_lists(demand: Demand, revision: Revision, rules, on: dt.date) -> list[FoundFinding]:
    """Check the filing against the approved list of its kind for its year; record the matched item."""
    kind = _list_kind_for(demand, revision)
    city = city_unit() if kind else None
    annual = (AnnualList.objects.filter(kind=kind, year=on.year, scope_unit=city,
                                        status=AnnualList.Status.APPROVED).first() if city else None)
    if annual is None:
        if revision.data.get("list_item_id") is not None:
            revision.data = {**revision.data, "list_item_id": None}
            Revision.objects.filter(pk=revision.pk).update(data=revision.data)
        return []
    items = [Item(pk=pk, title=title) for pk, title in annual.items.filter(active=True).values_list("pk", "title")]
    found, matched = check_list(data=revision.data, title=revision.title, rules=rules, list_name=LIST_NAMES[kind],
                                year=on.year, items=items)
    if revision.data.get("list_item_id") != matched:
        revision.data = {**revision.data, "list_item_id": matched}
        Revision.objects.filter(pk=revision.pk).update(data=revision.data)
    return found


def _check(demand: Demand, revision: Revision) -> list[FoundFinding]:
    """Run the rulebook in force for the issuing unit on the filing's date, and store what it found."""
    on = demand.occurs_on or timezone.localdate()
    rules = ruleset_for(unit=demand.issuing_unit, on=on)
    if not rules.rules:
        # An empty rulebook would let everything through; refuse rather than pass unchecked.
        raise ApplicationError(_("No rule of the rulebook is in force on %(date)s, so the filing cannot be "
                                 "checked. Ask the task force to set the rules.") % {"date": on.isoformat()},
                               code="no_rules")
    handler = kind_handler(demand.kind)
    found = list(handler.check(demand, revision, rules, on)) if handler is not None else []
    found += _check_lists(demand, revision, rules, on)
    Finding.objects.bulk_create([
        Finding(revision=revision, rule_code=f.rule, rule_version_id=f.rule_version_id, severity=f.severity,
                clause=f.clause, message=f.message, params=f.params, fix=f.fix, fix_params=f.fix_params,
                detail=f.detail) for f in found
    ])
    revision.blocking = sum(1 for f in found if f.blocks)
    revision.warnings = len(found) - revision.blocking
    revision.checked_at = timezone.now()
    revision.save(update_fields=["char_count", "blocking", "warnings", "checked_at"])
    return found


def _new_revision(*, by: Person | None, demand: Demand, title: str, body: str, data: dict[str, Any],
                  file_name: str = "") -> Revision:
    number = (demand.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Revision.objects.create(demand=demand, number=number, created_by=by or demand.filed_by, title=title,
                                   body=body, data=data, file_name=file_name[:255])


def _apply_denormalised(demand: Demand, data: dict[str, Any]) -> None:
    handler = kind_handler(demand.kind)
    if handler is not None and handler.apply is not None:
        handler.apply(demand, data)


def _run(event: str, demand: Demand, by: Person | None) -> None:
    """Run the other apps' hooks for the event, then re-read what they may have written on the demand (the
    estimated burden)."""
    hooks_run(event, demand=demand, by=by)
    demand.burden_minutes = Demand.objects.values_list("burden_minutes", flat=True).get(pk=demand.pk)


@transaction.atomic
def demand_file(*, by: Person, kind: str, issuing_unit: Unit, title: str, body: str = "",
                data: dict[str, Any] | None = None, targets: Sequence[tuple[Unit, bool]] = (),
                occurs_on: dt.date | None = None, file_name: str = "") -> Demand:
    """File a new document, meeting or trace-keeping requirement as a draft and check it at once."""
    require(by, Perm.DEMAND_FILE)
    if not scope_for(by).writes(issuing_unit):
        raise ApplicationError(_("You cannot file for this unit."), code="forbidden")
    title = _clean_title(title)
    if not title:
        raise ApplicationError(_("A title is required."), code="title")
    data = _clean_for(kind, data)
    body, data = _clean_body_and_data(body, data)
    _require_body(kind, body)
    _check_targets(by, targets)
    demand = Demand(kind=kind, title=title[:300], issuing_unit=issuing_unit, filed_by=by, occurs_on=occurs_on)
    _apply_denormalised(demand, data)
    demand.save()
    _set_targets(demand, targets)
    revision = _new_revision(by=by, demand=demand, title=title, body=body, data=data, file_name=file_name)
    demand.current_revision = revision
    _check(demand, revision)
    demand.save()
    audit_record(actor=by, action="demand.file", obj=demand, after=demand_snapshot(demand))
    _run(FILED, demand, by)
    return demand


@transaction.atomic
def demand_revise(*, by: Person, demand: Demand, version: int, title: str, body: str = "",
                  data: dict[str, Any] | None = None, targets: Sequence[tuple[Unit, bool]] | None = None,
                  occurs_on: dt.date | None = None, file_name: str = "") -> Demand:
    """Save a new version of a draft or returned filing; earlier versions are kept as they were."""
    _require_writer(by, demand)
    locked = Demand.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=demand.pk)
    if locked.version != version:
        raise _stale()
    if locked.status not in EDITABLE:
        raise ApplicationError(_("Only a draft or a returned filing can be changed."), code="status")
    before = demand_snapshot(locked)
    title = _clean_title(title)
    if not title:
        raise ApplicationError(_("A title is required."), code="title")
    data = _clean_for(locked.kind, data)
    body, data = _clean_body_and_data(body, data)
    _require_body(locked.kind, body)
    locked.title = title[:300]
    locked.occurs_on = occurs_on
    _apply_denormalised(locked, data)
    if targets is not None:
        _check_targets(by, targets)
        _set_targets(locked, targets)
    revision = _new_revision(by=by, demand=locked, title=title, body=body, data=data, file_name=file_name)
    locked.current_revision = revision
    locked.status = Status.DRAFT
    _check(locked, revision)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=by, action="demand.revise", obj=locked, before=before, after=demand_snapshot(locked))
    _run(REVISED, locked, by)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def demand_submit(*, by: Person, demand: Demand, version: int) -> Demand:
    """Send the current version to the task force; refused while any finding blocks."""
    _require_writer(by, demand)
    locked = Demand.objects.select_for_update(of=("self",)).select_related("current_revision", "issuing_unit").get(
        pk=demand.pk)
    if locked.version != version:
        raise _stale()
    if locked.status not in EDITABLE:
        raise ApplicationError(_("This filing has already been submitted."), code="status")
    revision = locked.current_revision
    if revision is None or revision.blocking:
        raise ApplicationError(
            _("%(n)s finding(s) block this filing. Fix them and save a new version before submitting.")
            % {"n": revision.blocking if revision else 0}, code="blocked")
    before = demand_snapshot(locked)
    locked.status = Status.CHECKED
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=by, action="demand.submit", obj=locked, before=before, after=demand_snapshot(locked))
    hooks_run(STATUS_CHANGED, demand=locked, by=by)
    return locked


def _transition(*, demand: Demand, version: int, from_statuses: Sequence[str], to: str, **fields: Any) -> Demand:
    """Move a filing on only if nobody moved it first: a conditional update on version and status."""
    updated = Demand.objects.filter(pk=demand.pk, version=version, status__in=from_statuses).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
    current = Demand.objects.select_related("issuing_unit", "current_revision").get(pk=demand.pk)
    if not updated:
        raise StaleEditError(
            _("This filing was already handled by someone else (it is now “%(status)s”). Reload the page.")
            % {"status": current.get_status_display()}, code="stale")
    return current


@transaction.atomic
def demand_review(*, by: Person, demand: Demand, version: int, decision: str, reason: str = "",
                  valid_until: dt.date | None = None) -> Demand:
    """Approve (issuing a control number), return with reasons, or reject a checked filing."""
    require(by, Perm.DEMAND_REVIEW)
    reason = clean_text(reason, field="reason", label=_("Reason"), multiline=True)
    before = demand_snapshot(demand)
    if decision == Review.Decision.APPROVE:
        handler = kind_handler(demand.kind)
        if handler is not None and handler.before_approve is not None:
            handler.before_approve(demand, by)
        today = timezone.localdate()
        # A document's validity runs from its date of issue; a meeting's is its day.
        start = demand.occurs_on or today
        rules = ruleset_for(unit=demand.issuing_unit, on=start)
        if valid_until is None:
            if demand.kind == Kind.MEETING:
                valid_until = start
            else:
                valid_until = start + dt.timedelta(days=int(rules.value("demand.validity_days", 365)))
        if valid_until < start:
            raise ApplicationError(_("The validity cannot end before it starts."), code="dates")
        number = control_number_next(kind=demand.kind, year=start.year)
        if start > today:
            status = Status.APPROVED
        elif valid_until < today:
            status = Status.EXPIRED
        else:
            status = Status.IN_FORCE
        current = _transition(demand=demand, version=version, from_statuses=[Status.CHECKED], to=status,
                              control_number=number, valid_from=start, valid_until=valid_until)
    elif decision in (Review.Decision.RETURN, Review.Decision.REJECT):
        if not reason:
            raise ApplicationError(_("Give the reason, so the filer knows what to change."), code="reason")
        to = Status.RETURNED if decision == Review.Decision.RETURN else Status.REJECTED
        current = _transition(demand=demand, version=version, from_statuses=[Status.CHECKED], to=to)
    else:
        raise ApplicationError(_("Unknown decision."), code="decision")
    Review.objects.create(demand=current, revision=current.current_revision, reviewer=by, decision=decision,
                          reason=reason)
    audit_record(actor=by, action=f"demand.review.{decision}", obj=current, before=before,
                 after={**demand_snapshot(current), "reason": reason})
    hooks_run(STATUS_CHANGED, demand=current, by=by)
    return current


@transaction.atomic
def demand_withdraw(*, by: Person, demand: Demand, version: int, reason: str) -> Demand:
    """The filer or the task force withdraws a filing; a control number stops being valid."""
    if not has_perm(by, Perm.DEMAND_REVIEW):
        _require_writer(by, demand)
    reason = clean_text(reason, field="reason", label=_("Reason"), multiline=True)
    if not reason:
        raise ApplicationError(_("Give the reason for withdrawing."), code="reason")
    before = demand_snapshot(demand)
    current = _transition(demand=demand, version=version, to=Status.WITHDRAWN, from_statuses=[
        Status.DRAFT, Status.RETURNED, Status.CHECKED, Status.APPROVED, Status.IN_FORCE])
    Review.objects.create(demand=current, revision=current.current_revision, reviewer=by,
                          decision=Review.Decision.WITHDRAW, reason=reason)
    audit_record(actor=by, action="demand.withdraw", obj=current, before=before,
                 after={**demand_snapshot(current), "reason": reason})
    hooks_run(STATUS_CHANGED, demand=current, by=by)
    return current


@transaction.atomic
def meetings_merge(*, by: Person, keep: Demand, absorb: Demand, absorb_version: int, reason: str) -> Demand:
    """The task force merges a meeting filing into another (套开); the absorbed one is withdrawn."""
    require(by, Perm.DEMAND_REVIEW)
    if keep.pk == absorb.pk or keep.kind != Kind.MEETING or absorb.kind != Kind.MEETING:
        raise ApplicationError(_("Choose two different meeting filings."), code="merge")
    # Read the kept meeting under a lock: it may have been withdrawn since the page was opened.
    keep = Demand.objects.select_for_update().get(pk=keep.pk)
    if keep.status in (Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED):
        raise ApplicationError(_("The meeting kept must still be open."), code="merge")
    reason = (clean_text(reason, field="reason", label=_("Reason"), multiline=True)
              or _("Combined with a related meeting (套开)."))
    before = demand_snapshot(absorb)
    current = _transition(demand=absorb, version=absorb_version, to=Status.WITHDRAWN, merged_into=keep,
                          from_statuses=[Status.DRAFT, Status.RETURNED, Status.CHECKED, Status.APPROVED])
    keep_targets = set(keep.targets.values_list("unit_id", flat=True))
    joined = [Target(demand=keep, unit_id=t.unit_id, include_below=t.include_below)
              for t in absorb.targets.all() if t.unit_id not in keep_targets]
    Target.objects.bulk_create(joined)
    Demand.objects.filter(pk=keep.pk).update(version=F("version") + 1, updated_at=timezone.now())
    keep.refresh_from_db()
    audit_record(actor=by, action="demand.absorb", obj=keep,
                 after={"absorbed": absorb.pk, "targets_added": [t.unit_id for t in joined]})
    Review.objects.create(demand=current, revision=current.current_revision, reviewer=by,
                          decision=Review.Decision.MERGE, reason=reason)
    audit_record(actor=by, action="demand.merge", obj=current, before=before,
                 after={**demand_snapshot(current), "merged_into": keep.pk, "reason": reason})
    hooks_run(STATUS_CHANGED, demand=current, by=by)
    _run(REVISED, keep, by)
    keep.refresh_from_db()
    return keep


@transaction.atomic
def demands_advance(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily: approved filings whose validity has begun come into force; those past it expire."""
    today = today or timezone.localdate()
    started = list(Demand.objects.filter(status=Status.APPROVED, valid_from__lte=today).values_list("pk", "version"))
    ended = list(Demand.objects.filter(status=Status.IN_FORCE, valid_until__lt=today).values_list("pk", "version"))
    n_started = n_ended = 0
    for pk, version in started:
        if Demand.objects.filter(pk=pk, version=version, status=Status.APPROVED).update(
                status=Status.IN_FORCE, version=version + 1):
            n_started += 1
            audit_record(actor=None, action="demand.in_force", object_type="demands.demand", object_id=str(pk),
                         after={"status": Status.IN_FORCE})
    for pk, version in ended:
        if Demand.objects.filter(pk=pk, version=version, status=Status.IN_FORCE).update(
                status=Status.EXPIRED, version=version + 1):
            n_ended += 1
            audit_record(actor=None, action="demand.expire", object_type="demands.demand", object_id=str(pk),
                         after={"status": Status.EXPIRED})
    return {"in_force": n_started, "expired": n_ended}


@transaction.atomic
def demand_record_ledger(*, by: Person | None, kind: str, title: str, issuing_unit: Unit, filed_by: Person,
                         occurs_on: dt.date, issued_in_name: str = "", document_kind: str = "",
                         city_wide: bool = False, targets: Sequence[tuple[Unit, bool]] = (),
                         burden_minutes: int = 0) -> Demand:
    """Record a demand issued before the registry existed (from the old ledger), so years compare."""
    if by is not None:
        require(by, Perm.DEMAND_REVIEW)
    title = clean_text(title, field="title", label=_("Title"))  # an old ledger's long titles are cut, not refused
    demand = Demand.objects.create(
        kind=kind, title=title[:300], issuing_unit=issuing_unit, filed_by=filed_by, occurs_on=occurs_on,
        issued_in_name=issued_in_name, document_kind=document_kind,
        city_wide=city_wide or issued_in_name in CITY_NAMES, status=Status.EXPIRED, source=Source.LEDGER,
        burden_minutes=max(0, int(burden_minutes)))
    _set_targets(demand, targets)
    audit_record(actor=by, action="demand.record_ledger", obj=demand, after=demand_snapshot(demand))
    _run(FILED, demand, by)
    return demand


@transaction.atomic
def demand_register_planned(*, by: Person | None, kind: str, title: str, issuing_unit: Unit, filed_by: Person,
                            body: str = "", data: dict[str, Any] | None = None,
                            targets: Sequence[tuple[Unit, bool]] = (), occurs_on: dt.date, valid_from: dt.date,
                            valid_until: dt.date, reason: str = "", today: dt.date | None = None) -> Demand:
    """Register a demand that an approved plan already decided (an item of the annual inspection plan): it
    gets its control number, its first version, the approval and its audit record here, like every filing,
    without passing the gate's checks again. The caller has checked who may approve the plan."""
    if valid_until < valid_from:
        raise ApplicationError(_("The validity cannot end before it starts."), code="dates")
    if kind_handler(kind) is None:
        raise ApplicationError(_("This kind of demand is not filed here yet."), code="kind")
    data = dict(data or {})  # decided and checked with the plan; kept as the plan gives it
    title, reason = _clean_title(title), clean_text(reason, field="reason", label=_("Reason"), multiline=True)
    today = today or timezone.localdate()
    status = (Status.APPROVED if valid_from > today else Status.EXPIRED if valid_until < today
              else Status.IN_FORCE)
    demand = Demand(kind=kind, title=title[:300], issuing_unit=issuing_unit, filed_by=filed_by, status=status,
                    occurs_on=occurs_on, valid_from=valid_from, valid_until=valid_until, source=Source.FILED,
                    control_number=control_number_next(kind=kind, year=valid_from.year))
    _apply_denormalised(demand, data)
    demand.save()
    _set_targets(demand, targets)
    revision = Revision.objects.create(demand=demand, number=1, created_by=filed_by, title=title, body=body,
                                       data=data, checked_at=timezone.now())
    demand.current_revision = revision
    demand.save(update_fields=["current_revision"])
    if by is not None:
        Review.objects.create(demand=demand, revision=revision, reviewer=by, decision=Review.Decision.APPROVE,
                              reason=reason)
    audit_record(actor=by, action="demand.register_planned", obj=demand,
                 after={**demand_snapshot(demand), "reason": reason})
    _run(FILED, demand, by)
    return demand


def _require_lists(by: Person | None) -> None:
    require(by, Perm.LISTS_EDIT)


def _list_snapshot(a: AnnualList) -> dict[str, Any]:
    return {"kind": a.kind, "year": a.year, "scope": a.scope_unit.code, "status": a.status,
            "approved_by": a.approved_by_id, "approved_at": a.approved_at}


def _item_snapshot(i: ListItem) -> dict[str, Any]:
    return {"list": i.annual_list_id, "title": i.title, "description": i.description,
            "responsible_unit": i.responsible_unit.code if i.responsible_unit_id else None,
            "planned_month": i.planned_month, "active": i.active}


def _item_clean(*, title: str, planned_month: int | None) -> str:
    title = _clean_title(title)
    if not title:
        raise ApplicationError(_("A title is required."), code="title")
    if planned_month is not None and not 1 <= planned_month <= 12:
        raise ApplicationError(_("The month must be from 1 to 12."), code="planned_month")
    return title[:300]


@transaction.atomic
def annual_list_create(*, by: Person | None, kind: str, year: int, scope_unit: Unit | None = None) -> AnnualList:
    """Start one of the 5 lists (5张清单) for a year, as a draft; the city's by default."""
    _require_lists(by)
    if kind not in ListKind.values:
        raise ApplicationError(_("Choose which of the 5 lists."), code="kind")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("The year is out of range."), code="year")
    scope_unit = scope_unit or city_unit()
    if scope_unit is None:
        raise ApplicationError(_("There is no city unit to hold the list."), code="scope_unit")
    if AnnualList.objects.filter(kind=kind, year=year, scope_unit=scope_unit).exists():
        raise ApplicationError(_("This list already exists for that year."), code="duplicate")
    annual = AnnualList.objects.create(kind=kind, year=year, scope_unit=scope_unit)
    audit_record(actor=by, action="annual_list.create", obj=annual, after=_list_snapshot(annual))
    return annual


@transaction.atomic
def list_item_add(*, by: Person | None, annual_list: AnnualList, title: str, description: str = "",
                  responsible_unit: Unit | None = None, planned_month: int | None = None) -> ListItem:
    """Add an item to one of the 5 lists."""
    _require_lists(by)
    title = _item_clean(title=title, planned_month=planned_month)
    description = clean_text(description, field="description", label=_("Description"), multiline=True)
    item = ListItem.objects.create(annual_list=annual_list, title=title, description=description,
                                   responsible_unit=responsible_unit, planned_month=planned_month)
    audit_record(actor=by, action="list_item.add", obj=item, after=_item_snapshot(item))
    return item


@transaction.atomic
def list_item_update(*, by: Person | None, item: ListItem, title: str, description: str = "",
                     responsible_unit: Unit | None = None, planned_month: int | None = None,
                     active: bool = True) -> ListItem:
    """Change an item; filings already checked keep the findings they were given."""
    _require_lists(by)
    locked = ListItem.objects.select_for_update().get(pk=item.pk)
    before = _item_snapshot(locked)
    locked.title = _item_clean(title=title, planned_month=planned_month)
    description = clean_text(description, field="description", label=_("Description"), multiline=True)
    locked.description, locked.responsible_unit = description, responsible_unit
    locked.planned_month, locked.active = planned_month, active
    locked.save()
    audit_record(actor=by, action="list_item.update", obj=locked, before=before, after=_item_snapshot(locked))
    return locked


@transaction.atomic
def list_item_deactivate(*, by: Person | None, item: ListItem) -> ListItem:
    """Take an item off its list; new filings no longer match it."""
    return list_item_update(by=by, item=item, title=item.title, description=item.description,
                            responsible_unit=item.responsible_unit, planned_month=item.planned_month, active=False)


@transaction.atomic
def annual_list_approve(*, by: Person | None, annual_list: AnnualList) -> AnnualList:
    """Approve a list; from then on filings of its kind and year are checked against it."""
    _require_lists(by)
    locked = AnnualList.objects.select_for_update().select_related("scope_unit").get(pk=annual_list.pk)
    if locked.status == AnnualList.Status.APPROVED:
        raise ApplicationError(_("This list is already approved."), code="status")
    before = _list_snapshot(locked)
    locked.status, locked.approved_by, locked.approved_at = AnnualList.Status.APPROVED, by, timezone.now()
    locked.save()
    audit_record(actor=by, action="annual_list.approve", obj=locked, before=before, after=_list_snapshot(locked))
    return locked
