"""Unregistered-demand reports: a receiving unit reports a demand without a valid control number; the task
force accepts it, may send it to the unit concerned for an answer, answers and closes it; the reporter
reads every step. Writes (`unregistered_report_*`) and reads (`reports_*`) of the reports live here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.core.validation import clean_text
from jianfu.org.models import Person, Unit
from jianfu.org.permissions import Perm
from jianfu.org.scoping import get_or_404, has_perm, scope_for, units_visible, units_writable

from .models import Demand, ReportEvent, UnregisteredReport

Status = UnregisteredReport.Status
OPEN = (Status.NEW, Status.ACCEPTED, Status.ROUTED, Status.ANSWERED)


def _snapshot(r: UnregisteredReport) -> dict[str, Any]:
    return {"status": r.status, "unit": r.unit.code, "routed_to": r.routed_to.code if r.routed_to_id else None,
            "number": r.number_entered}


def _note(text: str | None) -> str:
    """An answer or note as stored: the same text rules as every form (no control characters), at most 4,000."""
    return clean_text(text, field="text", label=_("Text"), multiline=True, max_length=4000)


def _forbidden() -> ApplicationError:
    return ApplicationError(_("You do not have permission to do this."), code="forbidden")


# --- reads ---------------------------------------------------------------------------------------------------

def reports_visible(actor: Person | None) -> QuerySet[UnregisteredReport]:
    """Reports of the reader's units, and reports sent to the reader's units for an answer; the campaign-wide
    roles read every report."""
    qs = UnregisteredReport.objects.select_related("unit", "reporter", "demand", "routed_to")
    if scope_for(actor).everything:
        return qs
    visible = units_visible(actor)
    return qs.filter(Q(unit__in=visible) | Q(routed_to__in=visible))


def report_get(*, actor: Person, pk: int) -> UnregisteredReport:
    return get_or_404(reports_visible(actor), pk=pk)


def report_list(*, actor: Person, q: str = "", status: str = "", mine: bool = False) -> QuerySet[UnregisteredReport]:
    qs = reports_visible(actor)
    if mine:
        qs = qs.filter(reporter=actor)
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number_entered__icontains=q) | Q(issuer_text__icontains=q) | Q(description__icontains=q)
                       | Q(unit__name__icontains=q))
    return qs.order_by("-created_at", "-pk")


def reports_answered_for(actor: Person) -> QuerySet[UnregisteredReport]:
    """The reporter's own reports that have an answer, newest answer first."""
    return UnregisteredReport.objects.filter(reporter=actor, answered_at__isnull=False).select_related(
        "unit").order_by("-answered_at")


def reports_to_answer(actor: Person) -> QuerySet[UnregisteredReport]:
    """Reports sent to the reader's units and not answered yet."""
    if not has_perm(actor, Perm.DEMAND_FILE):
        return UnregisteredReport.objects.none()
    scope = scope_for(actor)
    if scope.write_everything:
        return UnregisteredReport.objects.none()  # the task force handles reports itself
    return UnregisteredReport.objects.filter(status=Status.ROUTED, routed_to__in=units_writable(actor)).select_related(
        "unit", "routed_to")


def can_handle(actor: Person) -> bool:
    return has_perm(actor, Perm.REPORTS_HANDLE)


def can_answer(actor: Person, report: UnregisteredReport) -> bool:
    if not report.is_open:
        return False
    if can_handle(actor):
        return True
    return (report.status == Status.ROUTED and report.routed_to_id is not None
            and has_perm(actor, Perm.DEMAND_FILE) and scope_for(actor).writes(report.routed_to))


# --- writes --------------------------------------------------------------------------------------------------

@transaction.atomic
def unregistered_report_create(*, by: Person, unit: Unit, number_entered: str, lookup_result: str,
                               demand: Demand | None = None, issuer_text: str = "",
                               description: str = "") -> UnregisteredReport:
    """A receiving unit tells the task force about a demand without a valid control number."""
    if not has_perm(by, Perm.DEMAND_VERIFY) or scope_for(by).read_only:
        raise _forbidden()
    if not scope_for(by).writes(unit):
        raise ApplicationError(_("Report for one of your own units."), code="forbidden")
    number_entered = clean_text(number_entered, field="number", label=_("Control number"), max_length=60)
    issuer_text = clean_text(issuer_text, field="issuer_text", label=_("Issuing unit"), max_length=200)
    description = clean_text(description, field="description", label=_("Description"), multiline=True,
                              max_length=4000)
    recent = UnregisteredReport.objects.filter(
        reporter=by, unit=unit, number_entered=number_entered[:60],
        created_at__gte=timezone.now() - dt.timedelta(minutes=10))
    if number_entered and recent.exists():
        return recent.first()
    report = UnregisteredReport.objects.create(
        reporter=by, unit=unit, number_entered=number_entered[:60], lookup_result=lookup_result[:20],
        demand=demand, issuer_text=issuer_text.strip()[:200], description=description.strip()[:4000])
    audit_record(actor=by, action="unregistered_report.create", obj=report,
                 after={"unit": unit.code, "number": report.number_entered, "result": lookup_result})
    return report


def _move(*, report: UnregisteredReport, version: int, allowed: tuple[str, ...], **fields: Any) -> UnregisteredReport:
    """Move a report on only if nobody moved it first (a conditional update on its version and status)."""
    updated = UnregisteredReport.objects.filter(pk=report.pk, version=version, status__in=allowed).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields)
    current = UnregisteredReport.objects.select_related("unit", "routed_to", "reporter").get(pk=report.pk)
    if not updated:
        raise StaleEditError(_("This report was already handled by someone else (it is now “%(status)s”). "
                               "Reload the page.") % {"status": current.get_status_display()}, code="stale")
    return current


@transaction.atomic
def unregistered_report_accept(*, by: Person, report: UnregisteredReport, version: int,
                               note: str = "") -> UnregisteredReport:
    """The task force takes the report on."""
    if not can_handle(by):
        raise _forbidden()
    before = _snapshot(report)
    current = _move(report=report, version=version, allowed=(Status.NEW,), status=Status.ACCEPTED)
    ReportEvent.objects.create(report=current, kind=ReportEvent.Kind.ACCEPT, by=by, text=_note(note))
    audit_record(actor=by, action="unregistered_report.accept", obj=current, before=before, after=_snapshot(current))
    return current


@transaction.atomic
def unregistered_report_route(*, by: Person, report: UnregisteredReport, version: int, unit: Unit,
                              note: str) -> UnregisteredReport:
    """The task force asks the unit concerned (usually the one that placed the demand) to answer."""
    if not can_handle(by):
        raise _forbidden()
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Say what the unit should answer."), code="note")
    if not scope_for(by).reads(unit):
        raise ApplicationError(_("Choose a unit you can see."), code="unit")
    before = _snapshot(report)
    current = _move(report=report, version=version, allowed=(Status.NEW, Status.ACCEPTED, Status.ROUTED,
                                                             Status.ANSWERED),
                    status=Status.ROUTED, routed_to=unit)
    ReportEvent.objects.create(report=current, kind=ReportEvent.Kind.ROUTE, by=by, unit=unit, text=_note(note))
    audit_record(actor=by, action="unregistered_report.route", obj=current, before=before, after=_snapshot(current))
    return current


@transaction.atomic
def unregistered_report_reply(*, by: Person, report: UnregisteredReport, version: int,
                              text: str) -> UnregisteredReport:
    """An answer the reporter reads: from the task force, or from the unit the report was sent to."""
    if not can_answer(by, report):
        raise _forbidden()
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write the answer."), code="text")
    before = _snapshot(report)
    now = timezone.now()
    from_unit = report.routed_to if not can_handle(by) else None
    current = _move(report=report, version=version, allowed=OPEN, status=Status.ANSWERED, answered_at=now)
    ReportEvent.objects.create(report=current, kind=ReportEvent.Kind.REPLY, by=by, by_unit=from_unit,
                               text=_note(text))
    audit_record(actor=by, action="unregistered_report.reply", obj=current, before=before,
                 after={**_snapshot(current), "text": _note(text)})
    return current


@transaction.atomic
def unregistered_report_close(*, by: Person, report: UnregisteredReport, version: int,
                              note: str) -> UnregisteredReport:
    """The task force closes the report, saying how it ended."""
    if not can_handle(by):
        raise _forbidden()
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Say how the report ended, for the reporter."), code="note")
    before = _snapshot(report)
    now = timezone.now()
    current = _move(report=report, version=version, allowed=OPEN, status=Status.CLOSED, closed_at=now,
                    answered_at=now)
    ReportEvent.objects.create(report=current, kind=ReportEvent.Kind.CLOSE, by=by, text=_note(note))
    audit_record(actor=by, action="unregistered_report.close", obj=current, before=before,
                 after={**_snapshot(current), "note": _note(note)})
    return current
