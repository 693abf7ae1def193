"""Loading the demo city: every app's registered loader, in order, in one transaction."""

from __future__ import annotations

from django.db import transaction

from jianfu.core.demo import demo_loaders
from jianfu.org.models import Person, Unit


@transaction.atomic
def demo_load() -> dict[str, int]:
    context: dict = {}
    for loader in demo_loaders():
        loader.load(context)
    return {"units": Unit.objects.count(), "people": Person.objects.count()}
