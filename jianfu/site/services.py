"""Writes of the site: marking the inbox read, and the daily digest by e-mail."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from jianfu.core.inbox import inbox_entries_since
from jianfu.core.models import InboxState

logger = logging.getLogger(__name__)


@transaction.atomic
def inbox_mark_seen(*, person, at: dt.datetime | None = None) -> InboxState:
    """Everything that arrived before now counts as read."""
    at = at or timezone.now()
    state, _created = InboxState.objects.get_or_create(person=person)
    InboxState.objects.filter(pk=state.pk).update(seen_at=at)
    state.seen_at = at
    return state


def mail_enabled() -> bool:
    return bool(settings.JIANFU_SMTP_HOST)


def inbox_digest_send(*, person, now: dt.datetime | None = None) -> int:
    """Send one person the digest of what arrived since the last one; returns the number of items sent.

    The window is claimed with a conditional update before the mail goes out, so two workers (or a schedule
    run twice) never send the same window twice; a mail that fails is logged and its window is not resent.
    """
    if not mail_enabled() or not person.email or not person.digest or not person.is_active:
        return 0
    now = now or timezone.now()
    state, _created = InboxState.objects.get_or_create(person=person)
    since = state.digest_at or now - dt.timedelta(days=1)
    if since >= now:
        return 0
    claimed = InboxState.objects.filter(pk=state.pk, digest_at=state.digest_at).update(digest_at=now)
    if not claimed:
        return 0
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        sections = inbox_entries_since(person, since=since, now=now)
        count = sum(len(entries) for _source, entries in sections)
        if not count:
            return 0
        context = {"person": person, "sections": sections, "site_url": settings.JIANFU_SITE_URL,
                   "since": since, "now": now, "count": count}
        subject = render_to_string("site/digest_subject.txt", context).strip()
        body = render_to_string("site/digest.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    except OSError:
        logger.exception("the digest for person %s could not be sent", person.pk)
        return 0
    return count


def inbox_digests_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Daily: a digest to everyone with an address who wants one; nothing at all when no SMTP server is set."""
    if not mail_enabled():
        return {"people": 0, "items": 0}
    from django.contrib.auth import get_user_model

    people = items = 0
    for person in get_user_model().objects.filter(is_active=True, digest=True).exclude(email="").iterator():
        sent = inbox_digest_send(person=person, now=now)
        if sent:
            people += 1
            items += sent
    return {"people": people, "items": items}
