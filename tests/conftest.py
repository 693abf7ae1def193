"""The fixed cast every test uses, so every permission test has an outsider."""

from __future__ import annotations

import pytest
from django.test import Client

from jianfu.burden.services import activity_table_seed
from jianfu.org import services as org
from jianfu.org.models import Role, UnitType
from jianfu.rules.services import rulebook_seed

PASSWORD = "Cast-password-2019"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever the test before it (or a request it made) activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


class Cast:
    """City → 汝城县 → 土桥镇 (A) → 土桥村, 热水镇 (B); a department; the task force."""

    def __init__(self):
        # A flushed database (transactional tests) loses the rulebook its migration seeded.
        rulebook_seed()
        activity_table_seed()
        self.city = org.unit_create(by=None, code="431000", name="郴州市", type=UnitType.CITY)
        self.county = org.unit_create(by=None, code="431026", name="汝城县", type=UnitType.COUNTY, parent=self.city)
        self.township_a = org.unit_create(by=None, code="431026101", name="土桥镇", type=UnitType.TOWNSHIP,
                                          parent=self.county)
        self.village_a = org.unit_create(by=None, code="431026101201", name="土桥村", type=UnitType.VILLAGE,
                                         parent=self.township_a)
        self.township_b = org.unit_create(by=None, code="431026102", name="热水镇", type=UnitType.TOWNSHIP,
                                          parent=self.county)
        self.village_b = org.unit_create(by=None, code="431026102201", name="热水村", type=UnitType.VILLAGE,
                                         parent=self.township_b)
        self.department = org.unit_create(by=None, code="431000D02", name="市委办", type=UnitType.DEPARTMENT,
                                          parent=self.city)
        self.task_force = org.unit_create(by=None, code="431000TF", name="专班", type=UnitType.TASK_FORCE,
                                          parent=self.city)
        self.officer = self._person("officer", "周专班", self.task_force, Role.TASK_FORCE_OFFICER)
        self.clerk = self._person("clerk", "陈经办", self.department, Role.DEPARTMENT_CLERK)
        self.cadre_a = self._person("cadre_a", "李镇", self.township_a, Role.GRASSROOTS_CADRE)
        self.village_cadre_a = self._person("village_a", "王村", self.village_a, Role.GRASSROOTS_CADRE)
        self.cadre_b = self._person("cadre_b", "赵镇", self.township_b, Role.GRASSROOTS_CADRE)
        self.leader = self._person("leader", "郴领导", self.city, Role.LEADER)
        self.admin = self._person("admin", "管理员", self.city, Role.SYSTEM_ADMIN)

    @staticmethod
    def _person(username, name, unit, role):
        person = org.person_create(by=None, username=username, name=name, password=PASSWORD)
        org.membership_grant(by=None, person=person, unit=unit, role=role)
        return person

    def client(self, person) -> Client:
        client = Client()
        client.force_login(person)
        return client


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


def pytest_collection_modifyitems(config, items):
    """Tests on the demo city run last, so the demo is loaded once per test process and stays loaded (in one
    outer transaction) for all of them, while every other test starts from an empty database."""
    demo = [item for item in items if "demo_city" in getattr(item, "fixturenames", ())]
    if demo:
        others = [item for item in items if "demo_city" not in getattr(item, "fixturenames", ())]
        items[:] = others + demo


@pytest.fixture(scope="session")
def demo_city(django_db_setup, django_db_blocker):
    """Load `jianfu demo` once per test process; rolled back at the end. Each test still runs in its own
    transaction inside it, so what a test changes is undone before the next."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            rulebook_seed()  # in case a transactional test flushed the migration's rows
            activity_table_seed()
            # The tests check passwords with the fast hasher `_immediate_tasks` sets; hash them with it too.
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
