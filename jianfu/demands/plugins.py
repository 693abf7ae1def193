"""What the registry plugs into the site: menu entries, home-page tiles and actions, inbox sources, search.

Every tile's number comes from the selector of the page its link opens, with the same parameters.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.core.demo import demo_loader_register
from jianfu.core.home import (
    Action,
    CardContent,
    CardPart,
    HomeCard,
    Part,
    Tile,
    home_card_register,
    home_part_register,
    page_url,
)
from jianfu.core.inbox import NEWS, TODO, InboxEntry, InboxSource, inbox_source_register
from jianfu.core.menus import MenuEntry, menu_register
from jianfu.core.models import ScheduledJob
from jianfu.core.pagination import counted
from jianfu.core.scheduling import JobSpec, job_register
from jianfu.core.search import SearchHit, SearchSource, search_source_register
from jianfu.org import jobs as J
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for

from . import reports, selectors
from .models import Demand, Kind, Review, Status, UnregisteredReport


def _our_demands_label(person):
    kinds = J.jobs(person)
    if kinds == {J.VILLAGE}:
        return _("Demands on our village")
    if kinds == {J.TOWNSHIP}:
        return _("Demands on our township")
    return _("Demands on our units")


ISSUERS_OR_READERS = J.for_jobs(J.ISSUERS, J.CAMPAIGN)
RECEIVERS = J.for_jobs(J.GRASSROOTS, J.ADMIN)

ENTRIES = [
    MenuEntry("on_us", _our_demands_label, "demands:on_us", None, 2, RECEIVERS),
    MenuEntry("verify", _("Verify a control number"), "demands:verify", J.grassroots_top("registry"), 3,
              J.with_perm(Perm.DEMAND_VERIFY, J.GRASSROOTS, J.TASK_FORCE, J.OVERSIGHT, J.ADMIN)),
    MenuEntry("unregistered", _("Unregistered-demand reports"), "demands:unregistered_list",
              J.grassroots_top("registry"), 4, J.for_jobs(J.GRASSROOTS, J.TASK_FORCE, J.OVERSIGHT, J.ADMIN)),
    MenuEntry("demands", _("Filings"), "demands:list", "registry", 21,
              lambda p: (has_perm(p, Perm.DEMAND_FILE) and bool(J.jobs(p) & J.ISSUERS)) or bool(
                  J.jobs(p) & J.CAMPAIGN)),
    MenuEntry("review", _("Awaiting review"), "demands:review_queue", "registry", 22,
              J.with_perm(Perm.DEMAND_REVIEW)),
    MenuEntry("lists", _("The 5 lists"), "demands:five_lists", "registry", 27,
              J.for_jobs(J.CAMPAIGN, J.DEPARTMENT)),
    MenuEntry("figures", _("Figures"), "demands:figures", "figures", 31,
              J.for_jobs(J.CAMPAIGN, J.DEPARTMENT, J.COUNTY)),
]


# --- home -------------------------------------------------------------------------------------------------

def _grassroots(person) -> Part | None:
    if not J.jobs(person) & J.GRASSROOTS:
        return None
    actions = [Action(_("Verify a control number"), reverse("demands:verify"), primary=True)]
    if has_perm(person, Perm.DEMAND_VERIFY) and not scope_for(person).read_only:
        actions.append(Action(_("Report an unregistered demand"), reverse("demands:unregistered_new"), primary=True))
    actions.append(Action(_our_demands_label(person), reverse("demands:on_us"), primary=True))
    tiles = [
        Tile(_("registered demands on your units, in force or to take effect"),
             counted(selectors.demands_on_units(actor=person)), reverse("demands:on_us")),
        Tile(_("your reports still open"),
             counted(reports.report_list(actor=person, status="open", mine=True)),
             page_url("demands:unregistered_list", status="open", mine="on")),
    ]
    return Part(tiles=tiles, actions=actions)


def _work(person) -> Part | None:
    if not has_perm(person, Perm.DEMAND_FILE):
        return None
    mine = {"actor": person, "mine": True}
    tiles = [
        Tile(_("your drafts"), counted(selectors.demand_list(**mine, status=Status.DRAFT)),
             page_url("demands:list", mine="1", status=Status.DRAFT)),
        Tile(_("your filings returned for changes"), counted(selectors.demand_list(**mine, status=Status.RETURNED)),
             page_url("demands:list", mine="1", status=Status.RETURNED), attention=True),
        Tile(_("your filings awaiting the task force"),
             counted(selectors.demand_list(**mine, status=Status.CHECKED)),
             page_url("demands:list", mine="1", status=Status.CHECKED)),
    ]
    actions = [Action(_("File a document"), reverse("demands:new", args=[Kind.DOCUMENT]), primary=True),
               Action(_("File a meeting"), reverse("demands:new", args=[Kind.MEETING]), primary=True),
               Action(_("File a trace-keeping requirement"), reverse("demands:new", args=[Kind.TRACE]))]
    return Part(tiles=tiles, actions=actions)


def _review(person) -> Part | None:
    tiles, actions = [], []
    if has_perm(person, Perm.DEMAND_REVIEW):
        tiles.append(Tile(_("filings awaiting review"), counted(selectors.review_queue(actor=person)),
                          reverse("demands:review_queue"), attention=True))
        actions.append(Action(_("Review the next filing"), reverse("demands:review_next"), primary=True))
    if reports.can_handle(person):
        tiles.append(Tile(_("new unregistered-demand reports"),
                          counted(reports.report_list(actor=person, status=UnregisteredReport.Status.NEW)),
                          page_url("demands:unregistered_list", status=UnregisteredReport.Status.NEW), attention=True))
    return Part(tiles=tiles, actions=actions) if tiles else None


def _open_reports(person) -> Part | None:
    return Part(tiles=[Tile(_("unregistered-demand reports still open"),
                            counted(reports.report_list(actor=person, status="open")),
                            page_url("demands:unregistered_list", status="open"), attention=True)])


def _campaign(person) -> Part | None:
    today = timezone.localdate()
    tiles = []
    for kind, label, params in (
            (Kind.DOCUMENT, _("documents in the name of the city this period"), {"name_group": "city"}),
            (Kind.MEETING, _("city-wide meetings this period"), {"city_wide": "1"})):
        period = selectors.figures_default_period(actor=person, kind=kind, today=today, **params)
        # Grouped as the page it opens groups by default, so both read the same (possibly cached) counts.
        result = selectors.figures(actor=person, kind=kind, period=selectors.Period(period.start, period.end),
                                   group_by="issued_in_name" if kind == Kind.DOCUMENT else "month", **params)
        change = result["change"]
        text = label if change is None else gettext("%(label)s (%(change)+.1f%% on the year before)") % {
            "label": label, "change": change}
        query = {"kind": kind, "year": period.year, "from_month": 1, "to_month": period.last_month,
                 "name": params.get("name_group", ""), "city_wide": params.get("city_wide", "")}
        tiles.append(Tile(text, result["total_now"], page_url("demands:figures", **query)))
    tiles.append(Tile(_("unregistered-demand reports still open"),
                      counted(reports.report_list(actor=person, status="open")),
                      page_url("demands:unregistered_list", status="open")))
    return Part(tiles=tiles)


def _answers(person) -> CardContent | None:
    answered = list(reports.reports_answered_for(person)[:3])
    if not answered:
        return None
    for r in answered:
        last = r.events.filter(kind__in=("reply", "close")).order_by("-at", "-pk").first()
        r.last_answer = last.text if last else ""
    return CardContent(title=_("Answers to your reports"), extra={"reports": answered},
                       actions=[Action(_("All your reports"), page_url("demands:unregistered_list", mine="on"))])


# --- inbox ------------------------------------------------------------------------------------------------

def _returned(person):
    if not has_perm(person, Perm.DEMAND_FILE):
        return None
    return Demand.objects.filter(filed_by=person, status=Status.RETURNED)


def _returned_entry(d: Demand) -> InboxEntry:
    reason = d.reviews.filter(decision=Review.Decision.RETURN).order_by("-at").values_list("reason", flat=True).first()
    return InboxEntry(title=gettext("Returned for changes: %(title)s") % {"title": d.title}, url=d.get_absolute_url(),
                      at=d.updated_at, note=reason or "")


def _to_review(person):
    return selectors.review_queue(actor=person) if has_perm(person, Perm.DEMAND_REVIEW) else None


def _decided(person):
    if not has_perm(person, Perm.DEMAND_FILE):
        return None
    return Review.objects.filter(demand__filed_by=person).exclude(reviewer=person).exclude(
        decision=Review.Decision.RETURN).select_related("demand")


DECIDED = {Review.Decision.APPROVE: _("Approved: %(title)s"), Review.Decision.REJECT: _("Rejected: %(title)s"),
           Review.Decision.MERGE: _("Merged into another filing: %(title)s"),
           Review.Decision.WITHDRAW: _("Withdrawn: %(title)s")}


def _decided_entry(r: Review) -> InboxEntry:
    title = str(DECIDED.get(r.decision, "%(title)s")) % {"title": r.demand.title}
    note = r.demand.control_number or "" if r.decision == Review.Decision.APPROVE else r.reason
    return InboxEntry(title=title, url=r.demand.get_absolute_url(), at=r.at, note=note or "")


def _placed(person):
    if scope_for(person).everything or not J.jobs(person) & (J.GRASSROOTS | {J.DEPARTMENT}):
        return None
    approved_at = Review.objects.filter(demand=OuterRef("pk"), decision=Review.Decision.APPROVE).order_by(
        "-at").values("at")[:1]
    return selectors.demands_on_units(actor=person).annotate(approved_at=Subquery(approved_at)).filter(
        approved_at__isnull=False)


def _placed_entry(d) -> InboxEntry:
    note = d.control_number or ""
    if d.status == Status.APPROVED and d.valid_from:
        note = gettext("%(number)s, takes effect on %(day)s") % {"number": note, "day": d.valid_from.isoformat()}
    return InboxEntry(title=gettext("Placed on your unit: %(title)s") % {"title": d.title}, url=d.get_absolute_url(),
                      at=d.approved_at, note=note)


def _answers_rows(person):
    return reports.reports_answered_for(person)


def _answer_entry(r: UnregisteredReport) -> InboxEntry:
    last = r.events.filter(kind__in=("reply", "close")).order_by("-at").first()
    what = r.description or r.number_entered
    return InboxEntry(title=gettext("Answer to your report: %(what)s") % {"what": what[:60]}, url=r.get_absolute_url(),
                      at=r.answered_at, note=(last.text[:120] if last else ""))


def _new_reports(person):
    if not reports.can_handle(person):
        return None
    return reports.report_list(actor=person, status=UnregisteredReport.Status.NEW)


def _new_report_entry(r: UnregisteredReport) -> InboxEntry:
    return InboxEntry(title=gettext("Report from %(unit)s: %(what)s") % {
        "unit": r.unit.name, "what": (r.description or r.number_entered)[:60]}, url=r.get_absolute_url(),
        at=r.created_at)


def _to_answer(person):
    rows = reports.reports_to_answer(person)
    return rows if J.jobs(person) - {J.TASK_FORCE, J.ADMIN} else None


def _to_answer_entry(r: UnregisteredReport) -> InboxEntry:
    return InboxEntry(title=gettext("Asked to answer a report from %(unit)s") % {"unit": r.unit.name},
                      url=r.get_absolute_url(), at=r.updated_at, note=(r.description or r.number_entered)[:120])


INBOX = [
    InboxSource("returned", _("Returned to you for changes"), 10, TODO, _returned, "updated_at", _returned_entry),
    InboxSource("to_review", _("Filings awaiting your review"), 11, TODO, _to_review, "updated_at",
                lambda d: InboxEntry(d.title, d.get_absolute_url(), d.updated_at, d.issuing_unit.name)),
    InboxSource("reports_new", _("New unregistered-demand reports"), 12, TODO, _new_reports, "created_at",
                _new_report_entry),
    InboxSource("reports_to_answer", _("Reports you are asked to answer"), 13, TODO, _to_answer, "updated_at",
                _to_answer_entry),
    InboxSource("decided", _("Decisions on your filings"), 30, NEWS, _decided, "at", _decided_entry),
    InboxSource("placed", _("Demands newly placed on your units"), 31, NEWS, _placed, "approved_at", _placed_entry),
    InboxSource("answers", _("Answers to your reports"), 32, NEWS, _answers_rows, "answered_at", _answer_entry),
]


def _demo(context: dict) -> None:
    from .demo import demands_demo_load

    demands_demo_load(people=context["people"], units=context["units"])


def _document_index(demand, by) -> None:
    from .document_index import document_index_sync

    document_index_sync(demand)


def register() -> None:
    from .hooks import FILED, REVISED, STATUS_CHANGED, hook_register

    # Documents enter the near-duplicate index when submitted and leave it when returned, rejected or withdrawn.
    for event in (FILED, REVISED, STATUS_CHANGED):
        hook_register(event, "demands.document_index", _document_index, order=10)
    job_register(JobSpec("demands-advance", "jianfu.demands.tasks.demands_advance_daily", ScheduledJob.Every.DAY,
                         dt.time(0, 10), label=_("Bring approved demands into force and expire those past their "
                                                 "validity")))
    demo_loader_register("demands", order=20, load=_demo)
    menu_register(*ENTRIES)
    home_part_register(
        CardPart("grassroots", "demands", 10, _grassroots),
        CardPart("work", "demands", 10, _work),
        CardPart("review", "demands", 10, _review),
        CardPart("oversight", "demands", 10, lambda p: _open_reports(p)),
        CardPart("campaign", "demands", 10, _campaign),
    )
    home_card_register(HomeCard("answers", 15, _answers, template="demands/_home_answers.html"))
    inbox_source_register(*INBOX)
    search_source_register(SearchSource(
        "filings", _("Filings"), 10, lambda p, q: selectors.demand_list(actor=p, q=q),
        lambda d: SearchHit(d.title, d.get_absolute_url(), " · ".join(
            x for x in (d.control_number or "", str(d.get_kind_display()), d.issuing_unit.name) if x)),
        lambda q: page_url("demands:list", q=q)))
