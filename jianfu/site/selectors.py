"""Reads of the site: when a person last opened their inbox."""

from __future__ import annotations

import datetime as dt

from jianfu.core.models import InboxState


def inbox_seen_at(person) -> dt.datetime | None:
    return InboxState.objects.filter(person=person).values_list("seen_at", flat=True).first()
