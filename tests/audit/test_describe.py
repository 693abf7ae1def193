"""The audit log reads as sentences: who did what to which object, and a table of what changed in words."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jianfu import api, burden, demands, inspections, org, reportforms, rules
from jianfu.audit import describe as registry
from jianfu.audit.describe import describe, format_value, registered_action
from jianfu.audit.models import AuditRecord
from jianfu.burden.models import Estimate
from jianfu.demands import services as demand_services
from jianfu.demands.models import Review, Status
from jianfu.org import services as org_services
from tests.demands import filings
from tests.exports import export_rows

pytestmark = pytest.mark.django_db

SOURCE = Path(org.__file__).resolve().parent.parent
APPS = (org, rules, demands, burden, inspections, reportforms, api)
TITLE = "关于精简会议的通知"


def register_all() -> None:
    """What each app's AppConfig.ready() does once it is wired: `audit_actions.register()`."""
    import importlib

    for app in APPS:
        importlib.import_module(f"{app.__name__}.audit_actions").register()


@pytest.fixture(autouse=True)
def registered():
    register_all()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def approved(cast):
    """A document filed by the department clerk and approved by the task-force officer."""
    return filings.approve(cast, filings.file_document(cast, title=TITLE))


def last(action: str) -> AuditRecord:
    return AuditRecord.objects.filter(action=action).order_by("-seq").first()


def record(**fields) -> AuditRecord:
    """An unsaved record: describing one needs nothing from the database."""
    defaults = {"seq": 1, "at": timezone.now(), "actor_id": 7, "actor_label": "周专班", "action": "x.y",
                "object_type": "", "object_id": "", "object_repr": "", "before": None, "after": None}
    return AuditRecord(**(defaults | fields))


def changes(description) -> dict[str, tuple[str, str]]:
    return {c.field_label: (c.before_text, c.after_text) for c in description.changes}


# --- sentences --------------------------------------------------------------------------------------------

def test_an_approval_reads_as_a_sentence_with_the_reviewer_and_the_filing(approved, english):
    description = describe(last("demand.review.approve"))
    assert description.sentence == f"周专班 approved document “{TITLE}” ({approved.control_number})"
    assert approved.control_number.startswith("WJ-")
    assert description.actor == "周专班"


def test_a_changed_status_shows_both_labels_not_codes(approved, english):
    shown = changes(describe(last("demand.review.approve")))
    assert shown["status"] == (str(Status.CHECKED.label), str(Status.IN_FORCE.label))
    assert shown["control number"] == ("—", approved.control_number)
    assert shown["valid until"] == ("—", approved.valid_until.isoformat())
    assert "title" not in shown  # unchanged fields are not listed


def test_a_return_and_a_rejection_read_as_their_own_sentences(cast, english):
    returned = filings.submit(cast, filings.file_document(cast, title="关于退回的通知"))
    demand_services.demand_review(by=cast.officer, demand=returned, version=returned.version,
                                  decision=Review.Decision.RETURN, reason="请压缩篇幅")
    description = describe(last("demand.review.return"))
    assert description.sentence == "周专班 returned document “关于退回的通知” for changes"
    assert changes(description)["reason"] == ("—", "请压缩篇幅")


def test_a_burden_estimate_reads_on_the_filing_it_belongs_to(approved, english):
    description = describe(last("burden.estimate.initial"))
    assert description.sentence == f"陈经办 estimated the burden of filing “{TITLE}”"
    assert "total minutes" in changes(description)


def test_an_unknown_action_still_reads_and_shows_its_fields(english):
    description = describe(record(action="thing.frobnicate", object_type="things.thing", object_repr="甲",
                                  before={"size": 1, "same": "x"}, after={"size": 2, "same": "x", "done": True}))
    assert description.sentence == "周专班: thing.frobnicate on things.thing “甲”"
    assert changes(description) == {"size": ("1", "2"), "done": ("—", "Yes")}


def test_a_family_of_actions_reads_even_for_a_member_not_registered_on_its_own(english):
    description = describe(record(action="burden.estimate.imported", object_type="demands.demand",
                                  object_repr="甲", after={"total_minutes": 30}))
    assert description.sentence == "周专班 estimated the burden of filing “甲”"
    assert changes(description) == {"total minutes": ("—", "30")}


def test_the_system_is_named_when_no_person_acted(cast, english):
    first = AuditRecord.objects.filter(action="unit.create", object_repr="郴州市").get()
    assert describe(first).sentence == "The system created unit “郴州市”"
    nightly = record(actor_id=None, actor_label="system", action="demand.in_force", object_type="demands.demand",
                     object_id="12", after={"status": Status.IN_FORCE})
    described = describe(nightly)
    assert described.sentence == "The system put filing #12 in force"
    assert changes(described) == {"status": ("—", str(Status.IN_FORCE.label))}


def test_a_creation_lists_only_the_fields_it_set(cast, english):
    created = describe(AuditRecord.objects.get(action="unit.create", object_repr="土桥村"))
    shown = changes(created)
    assert shown["type"] == ("—", "Village / community")
    assert shown["parent unit"] == ("—", "431026101")
    assert shown["active"] == ("—", "Yes")
    assert "liaison" not in shown


def test_a_password_change_never_shows_a_code(cast, english):
    org_services.person_set_password(by=cast.admin, person=cast.clerk, password="Another-password-2019")
    description = describe(last("person.set_password"))
    assert description.sentence == "管理员 set the password of person “陈经办”"
    assert changes(description) == {"password": ("—", "changed")}


# --- values -----------------------------------------------------------------------------------------------

def test_values_read_as_words(english):
    assert format_value(None) == format_value("") == format_value([]) == "—"
    assert (format_value(True), format_value(False)) == ("Yes", "No")
    assert format_value("2019-05-06") == "2019-05-06"
    assert format_value(["431026101", "431026102"]) == "431026101、431026102"
    assert format_value({"a": 1, "b": None}) == "a: 1; b: —"
    assert format_value(42) == "42"


def test_a_stored_utc_time_reads_in_local_time():
    assert format_value("2019-05-06T02:12:30.123456+00:00") == "2019-05-06 10:12"
    assert format_value(dt.datetime(2019, 5, 6, 2, 12, tzinfo=dt.UTC)) == "2019-05-06 10:12"


def test_registering_twice_changes_nothing():
    before = ({a.action for a in registry.registered_actions()},
              {t.object_type for t in registry.registered_object_types()})
    register_all()
    after = ({a.action for a in registry.registered_actions()},
             {t.object_type for t in registry.registered_object_types()})
    assert before == after


# --- every action written has a sentence -------------------------------------------------------------------

# Actions built with an f-string, and every value their placeholder takes.
FAMILIES = {
    "demand.review.": [Review.Decision.APPROVE, Review.Decision.RETURN, Review.Decision.REJECT],
    "burden.estimate.": list(Estimate.Reason),
}


def written_actions() -> tuple[set[str], set[str]]:
    """Actions passed to `audit_record(action=…)` or `Change("…", …)` anywhere under jianfu/: (literals,
    f-string prefixes)."""
    literals: set[str] = set()
    prefixes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            argument = None
            if name == "audit_record":
                argument = next((k.value for k in node.keywords if k.arg == "action"), None)
            elif name == "Change" and node.args and "jianfu.audit" in text:
                argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                literals.add(argument.value)
            elif isinstance(argument, ast.JoinedStr):
                head = argument.values[0]
                assert isinstance(head, ast.Constant), f"{path}: an action must start with a fixed prefix"
                prefixes.add(head.value)
            elif argument is not None:
                raise AssertionError(f"{path}:{node.lineno}: write the action as a literal or an f-string")
    return literals, prefixes


def test_the_source_scan_finds_the_actions_it_should():
    literals, prefixes = written_actions()
    assert {"demand.file", "unit.create", "person.update", "import.apply", "api_token.revoke"} <= literals
    assert prefixes == set(FAMILIES)


def test_every_action_written_anywhere_has_a_registered_sentence():
    literals, prefixes = written_actions()
    missing = sorted(a for a in literals if registered_action(a, exact=True) is None)
    assert not missing, f"register a sentence for: {missing}"
    for prefix in prefixes:
        assert prefix in FAMILIES, f"list every value of the f-string action {prefix}… in FAMILIES"
        variants = [f"{prefix}{value.value}" for value in FAMILIES[prefix]]
        missing = [a for a in variants if registered_action(a, exact=True) is None]
        assert not missing, f"register a sentence for: {missing}"


def test_every_registered_action_has_a_sentence_with_the_actor_and_a_known_object_type(english):
    types = {t.object_type for t in registry.registered_object_types()}
    for action in registry.registered_actions():
        assert "%(actor)s" in str(action.sentence) and "%(object)s" in str(action.sentence), action.action
        assert action.object_type in types, action.action
        assert registered_action(action.action) is action


# --- the pages --------------------------------------------------------------------------------------------

def test_the_log_page_reads_in_sentences_without_any_dict(cast, approved):
    client = cast.client(cast.officer)
    response = client.get(reverse("audit:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"周专班 approved document “{TITLE}” ({approved.control_number})" in page
    assert "In force" in page
    assert "{'" not in page and "{&#x27;" not in page
    assert "demand.review.approve</" not in page


def test_a_person_without_the_audit_permission_gets_404(cast):
    client = cast.client(cast.cadre_a)
    assert client.get(reverse("audit:list")).status_code == 404
    assert client.get(reverse("audit:list"), {"format": "xlsx"}).status_code == 404


def test_the_action_filter_offers_registered_actions_by_label_and_filters_exactly(cast, approved):
    client = cast.client(cast.officer)
    response = client.get(reverse("audit:list"), {"action": "demand.review.approve"}, HTTP_ACCEPT_LANGUAGE="en")
    labels = dict(response.context["actions"])
    assert labels["demand.review.approve"] == "… approved filing"
    assert {r.action for r in response.context["page"].object_list} == {"demand.review.approve"}
    assert dict(response.context["object_types"])["demands.demand"] == "filing"


def test_the_object_type_filter_and_the_search_box_narrow_the_log(cast, approved):
    client = cast.client(cast.officer)
    by_type = client.get(reverse("audit:list"), {"object_type": "demands.demand"})
    assert {r.object_type for r in by_type.context["page"].object_list} == {"demands.demand"}
    by_name = client.get(reverse("audit:list"), {"q": "精简会议"})
    assert {r.object_repr for r in by_name.context["page"].object_list} == {TITLE}
    by_person = list(client.get(reverse("audit:list"), {"q": "周专"}).context["page"].object_list)
    assert all("周专" in r.actor_label or "周专" in r.object_repr for r in by_person)
    assert "demand.review.approve" in {r.action for r in by_person if r.actor_label == "周专班"}


def test_the_export_has_one_row_per_record_with_its_sentence_and_changes(cast, approved):
    client = cast.client(cast.officer)
    rows = [tuple(r) for r in export_rows(client, reverse("audit:list"),
                                          {"action": "demand.review.approve", "format": "xlsx"},
                                          HTTP_ACCEPT_LANGUAGE="en")]
    assert rows[0] == ("Time", "Who", "What", "Object", "Changes")
    assert len(rows) == 2
    time, who, what, obj, changed = rows[1]
    assert isinstance(time, dt.datetime)
    assert who == "周专班"
    assert what.startswith("周专班 approved document")
    assert obj == f"document “{TITLE}” ({approved.control_number})"
    with translation.override("en"):
        assert f"Status: {Status.CHECKED.label} → {Status.IN_FORCE.label}" in changed.splitlines()


def test_the_history_on_a_unit_page_reads_in_sentences(cast):
    org_services.unit_update(by=cast.officer, unit=cast.village_a, name="土桥新村", reason="并村更名")
    client = cast.client(cast.officer)
    response = client.get(reverse("org:unit_detail", args=[cast.village_a.pk]), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "周专班 changed unit “土桥新村”" in page
    assert "土桥村" in page and "<code>unit.update</code>" not in page


def test_the_audit_export_is_refused_in_the_worker_to_a_person_who_may_not_read_the_log(cast):
    from jianfu.audit.exports import log_build
    from jianfu.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        log_build(cast.cadre_a, {})
    assert log_build(cast.officer, {}).header
