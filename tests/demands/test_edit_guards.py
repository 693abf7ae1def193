"""The edit page opens only for a filing that can still be changed; anything else goes back to the filing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianfu.demands import services
from jianfu.demands.models import Kind, Status

from .filings import approve

pytestmark = pytest.mark.django_db

REFUSED = "Only a draft or a returned filing can be changed."


def ledger_filing(cast):
    """A demand from the old ledger: recorded as expired, with no version of its own."""
    return services.demand_record_ledger(by=None, kind=Kind.DOCUMENT, title="旧台账文件", issuing_unit=cast.department,
                                         filed_by=cast.clerk, occurs_on=dt.date(2018, 3, 1))


def test_the_edit_page_of_a_ledger_filing_sends_its_filer_back_to_the_filing_with_a_message(cast):
    demand = ledger_filing(cast)
    assert demand.current_revision is None
    response = cast.client(cast.clerk).get(reverse("demands:edit", args=[demand.pk]), follow=True,
                                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain == [(demand.get_absolute_url(), 302)]
    assert REFUSED in response.content.decode()
    posted = cast.client(cast.clerk).post(reverse("demands:edit", args=[demand.pk]), {"title": "改过的标题"})
    assert (posted.status_code, posted["Location"]) == (302, demand.get_absolute_url())
    assert demand.revisions.count() == 0


def test_the_edit_page_of_a_filing_in_force_does_not_open_and_a_post_to_it_saves_nothing(cast, file_document):
    demand = approve(cast, file_document(), valid_until=timezone.localdate() + dt.timedelta(days=365))
    services.demands_advance(today=demand.valid_from)  # what the daily run does on its first day
    demand.refresh_from_db()
    assert demand.status == Status.IN_FORCE
    client = cast.client(cast.clerk)
    url = reverse("demands:edit", args=[demand.pk])
    page = client.get(url)
    assert (page.status_code, page["Location"]) == (302, demand.get_absolute_url())
    posted = client.post(url, {"title": "改过的标题", "version": demand.version}, HTTP_ACCEPT_LANGUAGE="en")
    assert (posted.status_code, posted["Location"]) == (302, demand.get_absolute_url())
    demand.refresh_from_db()
    assert demand.revisions.count() == 1 and demand.title != "改过的标题"


def test_the_edit_page_of_a_submitted_filing_does_not_open(cast, file_document):
    demand = file_document()
    services.demand_submit(by=cast.clerk, demand=demand, version=demand.version)
    response = cast.client(cast.clerk).get(reverse("demands:edit", args=[demand.pk]), follow=True)
    assert response.redirect_chain == [(demand.get_absolute_url(), 302)]


def test_a_draft_still_opens_for_its_filer_and_stays_hidden_from_an_outsider(cast, file_document):
    demand = file_document()
    url = reverse("demands:edit", args=[demand.pk])
    assert cast.client(cast.clerk).get(url).status_code == 200
    assert cast.client(cast.cadre_b).get(url).status_code == 404
    assert cast.client(cast.cadre_b).get(reverse("demands:edit", args=[ledger_filing(cast).pk])).status_code == 404


def test_a_returned_filing_opens_for_a_new_version(cast, file_document):
    demand = services.demand_submit(by=cast.clerk, demand=file_document(), version=1)
    demand = services.demand_review(by=cast.officer, demand=demand, version=demand.version, decision="return",
                                    reason="请压缩篇幅")
    assert demand.status == Status.RETURNED
    page = cast.client(cast.clerk).get(reverse("demands:edit", args=[demand.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == demand.title
