"""The demo city of Chenzhou, loaded by `jianfu demo`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jianfu.audit.selectors import audit_chain_verify
from jianfu.org.demo import CAST, DEMO_PASSWORD
from jianfu.org.models import Person, TaskForceGroup, Unit, UnitType

pytestmark = pytest.mark.django_db

COUNTIES = {"北湖区", "苏仙区", "资兴市", "桂阳县", "宜章县", "永兴县",
            "嘉禾县", "临武县", "汝城县", "桂东县", "安仁县"}
DEPARTMENTS = {"市纪委市监委", "市委办", "市政府办", "市委组织部", "市委宣传部"}
GROUPS = {"综合协调组", "监督督查组", "新闻宣传组"}


@pytest.fixture
def demo(demo_city, db):
    """The demo city, loaded once for this module (each test rolls back what it writes)."""


def test_demo_loads_chenzhou_with_its_eleven_county_level_units(demo):
    city = Unit.objects.get(type=UnitType.CITY)
    assert city.name == "郴州市"
    counties = Unit.objects.filter(type=UnitType.COUNTY)
    assert set(counties.values_list("name", flat=True)) == COUNTIES
    assert counties.count() == 11
    assert set(counties.values_list("parent_id", flat=True)) == {city.pk}


def test_demo_puts_tuqiao_under_rucheng(demo):
    tuqiao = Unit.objects.get(name="土桥镇")
    assert tuqiao.type == UnitType.TOWNSHIP
    assert tuqiao.parent.name == "汝城县"
    assert tuqiao.path.startswith(Unit.objects.get(name="汝城县").path)


def test_demo_has_the_departments_and_the_task_force_groups(demo):
    city = Unit.objects.get(type=UnitType.CITY)
    departments = Unit.objects.filter(type=UnitType.DEPARTMENT, parent=city)
    assert set(departments.values_list("name", flat=True)) >= DEPARTMENTS
    task_force = Unit.objects.get(type=UnitType.TASK_FORCE)
    assert task_force.parent_id == city.pk
    groups = TaskForceGroup.objects.filter(task_force=task_force)
    assert set(groups.values_list("name", flat=True)) == GROUPS
    assert all(g.secondments.exists() for g in groups)


def test_the_demo_tree_paths_are_consistent_and_audited(demo):
    for unit in Unit.objects.select_related("parent"):
        assert unit.path == f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"
    report = audit_chain_verify()
    assert report.ok
    assert report.count >= Unit.objects.count() + Person.objects.count()


@pytest.mark.parametrize("username", [c[0] for c in CAST])
def test_every_demo_persona_logs_in_with_the_readme_password_and_sees_a_home_page(demo, username):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert Person.objects.get(username=username).name in home.content.decode()


def test_the_readme_password_is_the_demo_password():
    from django.conf import settings

    readme = (settings.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD == "Jianfu-demo-2019"
    assert DEMO_PASSWORD in readme


def test_demo_cadre_b_sees_nothing_of_tuqiao(demo):
    client = Client()
    client.post(reverse("login"), {"username": "cadre_b", "password": DEMO_PASSWORD})
    tuqiao = Unit.objects.get(name="土桥镇")
    assert client.get(reverse("org:unit_detail", args=[tuqiao.pk])).status_code == 404
    names = {u.name for u in client.get(reverse("org:unit_list")).context["page"].object_list}
    assert "热水镇" in names
    assert not names & {"土桥镇", "土桥村"}


def test_demo_loads_once(demo, capsys):
    units = Unit.objects.count()
    call_command("demo")
    assert "already" in capsys.readouterr().out
    assert Unit.objects.count() == units
