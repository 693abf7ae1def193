"""The near-duplicate index in the database: kept current one document at a time, never rebuilt in a request."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianfu.demands import services
from jianfu.demands.document_index import (
    INDEXED,
    THRESHOLD,
    document_index_query,
    document_index_rebuild,
    document_index_sync,
    lsh,
    stored_band_keys,
)
from jianfu.demands.models import Demand, DocumentBand, IndexedDocument, Review, Status
from jianfu.demands.similarity import similar_documents
from jianfu.textkit.minhash import LSHIndex

from .filings import approve, submit, valid_text

pytestmark = pytest.mark.django_db

TOPICS = ["基层减负", "安全生产", "乡村振兴", "河长制", "森林防火", "防汛抗旱"]


def rewritten(text: str, line: str = "二、各级各部门要严格控制发文数量，能不发的坚决不发，能合并的一律合并。") -> str:
    """The text with its second point replaced: about a tenth of it rewritten."""
    lines = text.split("\n")
    point = next(i for i, ln in enumerate(lines) if ln.startswith("二、"))
    lines[point] = line
    return "\n".join(lines)


def synced(demand: Demand) -> Demand:
    """What the registry's services do after every change of a document's status or version."""
    document_index_sync(demand)
    return demand


def bands_of(demand: Demand) -> set[int]:
    return set(DocumentBand.objects.filter(demand=demand).values_list("key", flat=True))


def expected_bands(text: str) -> set[int]:
    index = lsh()
    return set(stored_band_keys(index, index.hasher.signature(text)[None, :])[0].tolist())


def found(text: str, **kwargs) -> list[int]:
    return [m.demand_id for m in document_index_query(text=text, exclude_id=kwargs.pop("exclude_id", None),
                                                      **kwargs)]


def test_a_submitted_document_is_found_by_the_next_draft_in_two_queries_without_any_rebuild(cast, file_document):
    first = file_document()
    draft = rewritten(first.current_revision.body)
    assert not IndexedDocument.objects.filter(demand=first).exists()  # a draft is no registered document
    assert found(draft) == []
    first = synced(submit(cast, first))
    assert bands_of(first) == expected_bands(first.current_revision.body)
    with CaptureQueriesContext(connection) as queries:
        matches = similar_documents(text=draft, exclude_id=None, limit=3)
    assert [m.demand_id for m in matches] == [first.pk]
    assert 0.5 <= matches[0].jaccard < 1 and matches[0].title == first.title
    assert len(queries) == 2  # the candidates with their signatures, then the texts of the closest


def test_the_draft_itself_is_left_out(cast, file_document):
    first = synced(submit(cast, file_document()))
    assert found(first.current_revision.body) == [first.pk]
    assert found(first.current_revision.body, exclude_id=first.pk) == []


@pytest.mark.parametrize("decision", [Review.Decision.RETURN, Review.Decision.REJECT])
def test_a_returned_or_rejected_document_leaves_the_index(cast, file_document, decision):
    first = synced(submit(cast, file_document()))
    first = synced(services.demand_review(by=cast.officer, demand=first, version=first.version,
                                          decision=decision, reason="请修改"))
    assert not bands_of(first) and not IndexedDocument.objects.filter(demand=first).exists()
    assert found(first.current_revision.body) == []


def test_a_withdrawn_document_is_no_longer_found(cast, file_document):
    first = synced(approve(cast, file_document()))
    assert first.status == Status.IN_FORCE and found(first.current_revision.body) == [first.pk]
    first = synced(services.demand_withdraw(by=cast.officer, demand=first, version=first.version, reason="已废止"))
    assert not bands_of(first)
    assert found(first.current_revision.body) == []


def test_an_expired_document_is_still_found_as_today(cast, file_document):
    first = synced(approve(cast, file_document(), valid_until=timezone.localdate()))
    services.demands_advance(today=timezone.localdate() + dt.timedelta(days=1))
    first.refresh_from_db()
    assert first.status == Status.EXPIRED and Status.EXPIRED in INDEXED
    assert found(first.current_revision.body) == [first.pk]


def test_a_document_without_a_registered_status_never_gets_an_entry(cast, file_document):
    draft = synced(file_document())
    ledger = synced(services.demand_record_ledger(by=None, kind="document", title="旧台账文件",
                                                  issuing_unit=cast.department, filed_by=cast.clerk,
                                                  occurs_on=dt.date(2018, 5, 1)))
    assert not IndexedDocument.objects.filter(demand__in=[draft, ledger]).exists()


def test_a_revised_document_replaces_its_bands_when_it_is_submitted_again(cast, file_document):
    first = synced(submit(cast, file_document()))
    old_text, old_bands = first.current_revision.body, bands_of(first)
    first = synced(services.demand_review(by=cast.officer, demand=first, version=first.version,
                                          decision=Review.Decision.RETURN, reason="请改写"))
    new_text = valid_text(title="关于加强安全生产的若干措施", topic="安全生产", seq=9)
    first = services.demand_revise(by=cast.clerk, demand=first, version=first.version, title=first.title,
                                   body=new_text, data=first.current_revision.data)
    first = synced(submit(cast, first))
    assert bands_of(first) == expected_bands(new_text) != old_bands
    assert IndexedDocument.objects.get(demand=first).revision_id == first.current_revision_id
    assert found(rewritten(new_text)) == [first.pk]
    assert found(old_text) == []


def test_syncing_an_unchanged_document_again_keeps_its_entry(cast, file_document):
    first = synced(submit(cast, file_document()))
    before = bands_of(first)
    with CaptureQueriesContext(connection) as queries:
        synced(first)
    assert bands_of(first) == before
    assert len(queries) == 2  # its status and version, and whether the entry is of that version


def test_the_index_is_rebuilt_from_the_registry_by_the_command_only(cast, file_document):
    first = approve(cast, file_document())
    second = approve(cast, file_document(title="关于加强安全生产的若干措施",
                                         body=valid_text(title="关于加强安全生产的若干措施", topic="安全生产", seq=9)))
    file_document(title="另一份草稿")
    IndexedDocument.objects.all().delete()
    DocumentBand.objects.all().delete()
    assert found(first.current_revision.body) == []  # a look-up builds nothing
    out = io.StringIO()
    call_command("document_index_rebuild", stdout=out)
    assert out.getvalue().strip() == "2 documents indexed"
    assert found(first.current_revision.body) == [first.pk]
    assert found(second.current_revision.body) == [second.pk]


def test_the_results_are_those_of_the_in_memory_index_for_a_small_corpus(cast, file_document):
    """Today's index: every registered document in one LSHIndex(threshold=0.3), queried for the draft."""
    registered, drafts = [], []
    for seq, topic in enumerate(TOPICS, start=1):
        title = f"关于做好{topic}工作的通知"
        text = valid_text(title=title, topic=topic, seq=seq)
        registered.append(approve(cast, file_document(title=title, body=text)))
        copy = rewritten(text, f"二、{topic}工作要坚持问题导向，统筹推进，务求实效。")
        registered.append(submit(cast, file_document(title=title + "（修订）", body=copy)))
        drafts.append(file_document(title=title + "（草稿）", body=rewritten(copy)))
    returned = registered.pop()
    services.demand_review(by=cast.officer, demand=returned, version=returned.version,
                           decision=Review.Decision.RETURN, reason="请修改")
    assert document_index_rebuild() == len(registered)
    today = LSHIndex(threshold=THRESHOLD)
    today.add_many([d.pk for d in registered], [d.current_revision.body for d in registered])
    compared = 0
    for draft in drafts + registered:
        text = draft.current_revision.body
        expected = [(m.id, round(m.score, 12)) for m in today.query(text) if m.id != draft.pk]
        got = [(m.demand_id, round(m.jaccard, 12)) for m in document_index_query(text=text, exclude_id=draft.pk,
                                                                                  limit=50)]
        assert got == expected
        compared += len(expected)
    assert compared >= 2 * len(TOPICS)


def test_the_registry_services_keep_the_index_current_themselves(cast, file_document):
    """Holds once the registry's services call document_index_sync (submit, review, withdraw)."""
    first = approve(cast, file_document())
    assert bands_of(first) == expected_bands(first.current_revision.body)
    assert found(rewritten(first.current_revision.body)) == [first.pk]
    services.demand_withdraw(by=cast.officer, demand=first, version=first.version, reason="已废止")
    assert not bands_of(first)
