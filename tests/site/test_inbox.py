"""The inbox gathers what waits for a person and what arrived for them; a daily digest goes by e-mail only
when a mail server is set and the person gave an address, never twice for the same window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jianfu.core.models import InboxState
from jianfu.demands import services
from jianfu.demands.models import Review
from jianfu.org import services as org
from jianfu.site.services import inbox_digest_send, inbox_digests_send
from tests.demands.filings import approve, file_document, submit

pytestmark = pytest.mark.django_db


def inbox(client) -> str:
    return client.get(reverse("site:inbox")).content.decode()


def test_the_clerks_inbox_shows_the_approval_with_its_control_number(cast):
    demand = approve(cast, file_document(cast, title="关于精简会议的通知"))
    page = inbox(cast.client(cast.clerk))
    assert "关于精简会议的通知" in page and demand.control_number in page


def test_a_returned_filing_waits_in_the_filers_inbox_until_it_is_resubmitted(cast):
    demand = submit(cast, file_document(cast, title="关于精简会议的通知"))
    services.demand_review(by=cast.officer, demand=demand, version=demand.version,
                           decision=Review.Decision.RETURN, reason="请压缩篇幅")
    client = cast.client(cast.clerk)
    assert "请压缩篇幅" in inbox(client)
    demand.refresh_from_db()
    services.demand_submit(by=cast.clerk, demand=demand, version=demand.version)
    assert "请压缩篇幅" not in inbox(client)


def test_the_reviewers_inbox_lists_what_waits_and_the_receivers_what_falls_on_them(cast):
    waiting = submit(cast, file_document(cast, title="关于精简会议的通知"))
    assert waiting.title in inbox(cast.client(cast.officer))
    placed = approve(cast, file_document(cast, title="关于规范村级事务的通知", targets=[(cast.township_a, True)]))
    assert placed.title in inbox(cast.client(cast.village_cadre_a))
    assert placed.title not in inbox(cast.client(cast.cadre_b))


def test_the_unread_count_drops_once_the_inbox_is_opened(cast):
    approve(cast, file_document(cast, targets=[(cast.township_a, False)]))
    client = cast.client(cast.cadre_a)
    assert "badge" in client.get(reverse("site:inbox_badge")).content.decode()
    inbox(client)
    assert "badge" not in client.get(reverse("site:inbox_badge")).content.decode()
    assert InboxState.objects.get(person=cast.cadre_a).seen_at is not None


def _with_address(cast, person, email="li@example.gov.cn"):
    return org.person_settings_update(by=person, email=email, digest=True, preferred_language="zh-hans")


def test_no_digest_is_sent_without_a_mail_server(cast, settings):
    settings.JIANFU_SMTP_HOST = ""
    _with_address(cast, cast.cadre_a)
    approve(cast, file_document(cast, targets=[(cast.township_a, False)]))
    assert inbox_digests_send() == {"people": 0, "items": 0}
    assert mail.outbox == []


def test_the_digest_goes_once_to_those_with_an_address(cast, settings):
    settings.JIANFU_SMTP_HOST = "smtp.example.gov.cn"
    settings.JIANFU_SITE_URL = "https://jianfu.example.gov.cn"
    cadre = _with_address(cast, cast.cadre_a)
    demand = approve(cast, file_document(cast, targets=[(cast.township_a, False)], title="关于规范村级事务的通知"))
    later = timezone.now() + dt.timedelta(minutes=1)
    assert inbox_digests_send(now=later)["people"] == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cadre.email] and demand.title in message.body
    assert f"https://jianfu.example.gov.cn/demands/{demand.pk}/" in message.body
    # Run again for the same moment: nothing new, nothing sent twice.
    assert inbox_digests_send(now=later)["people"] == 0
    assert inbox_digest_send(person=cadre, now=later) == 0
    assert len(mail.outbox) == 1


def test_a_person_who_turns_the_digest_off_gets_none(cast, settings):
    settings.JIANFU_SMTP_HOST = "smtp.example.gov.cn"
    settings.JIANFU_SITE_URL = "https://jianfu.example.gov.cn"
    org.person_settings_update(by=cast.cadre_a, email="li@example.gov.cn", digest=False, preferred_language="")
    approve(cast, file_document(cast, targets=[(cast.township_a, False)]))
    inbox_digests_send(now=timezone.now() + dt.timedelta(minutes=1))
    assert mail.outbox == []


def test_the_account_page_keeps_a_wrong_address_and_says_what_is_wrong(cast):
    client = cast.client(cast.cadre_a)
    response = client.post(reverse("org:account"), {"email": "not-an-address", "digest": "on",
                                                     "preferred_language": "zh-hans"})
    assert response.status_code == 400 and "not-an-address" in response.content.decode()
    response = client.post(reverse("org:account"), {"email": "li@example.gov.cn", "digest": "on",
                                                     "preferred_language": "en"})
    assert response.status_code == 302
    cast.cadre_a.refresh_from_db()
    assert (cast.cadre_a.email, cast.cadre_a.preferred_language) == ("li@example.gov.cn", "en")


def test_the_digest_job_is_on_the_schedule_with_a_label():
    from jianfu.core.scheduling import SCHEDULE, job_label

    assert "inbox-digest" in {s.name for s in SCHEDULE}
    assert job_label("inbox-digest") != "inbox-digest"
