"""Who sees and changes which report form and dictionary field: outsiders get 404, the leader never writes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jianfu.audit.models import AuditRecord
from jianfu.core.errors import ApplicationError
from jianfu.reportforms import services
from jianfu.reportforms.models import FieldDefinition
from tests.exports import export_rows

from .conftest import approve, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_of_a(cast, dictionary):
    """A report form of township A that falls only on A's village."""
    return register(cast, dictionary, ["户籍人口", "耕地面积"], by=cast.cadre_a, unit=cast.township_a,
                    title="土桥镇村情表", targets=[(cast.village_a, False)])


def test_township_b_cadre_gets_404_for_the_pages_of_a_form_of_township_a(cast, form_of_a):
    client = cast.client(cast.cadre_b)
    for url in (reverse("demands:detail", args=[form_of_a.pk]), reverse("reportforms:edit", args=[form_of_a.pk])):
        assert client.get(url).status_code == 404, url
    records = AuditRecord.objects.count()
    assert client.post(reverse("reportforms:edit", args=[form_of_a.pk]), {"title": "改"}).status_code == 404
    assert AuditRecord.objects.count() == records


def test_township_b_cadre_does_not_find_the_form_in_lists_or_exports(cast, form_of_a, dictionary):
    client = cast.client(cast.cadre_b)
    assert list(client.get(reverse("reportforms:list"), {"q": "土桥"}).context["page"].object_list) == []
    export = export_rows(client, reverse("reportforms:list"), {"export": "xlsx"})
    assert len(export) == 1 and "土桥镇村情表" not in str(export)
    field = client.get(reverse("reportforms:field_detail", args=[dictionary["户籍人口"].pk]))
    assert list(field.context["page"].object_list) == []


def test_the_owner_and_the_village_see_the_form(cast, form_of_a):
    assert cast.client(cast.cadre_a).get(reverse("reportforms:edit", args=[form_of_a.pk])).status_code == 200
    village = cast.client(cast.village_cadre_a)
    assert village.get(reverse("demands:detail", args=[form_of_a.pk])).status_code == 404  # a draft: not yet
    issued = approve(cast, form_of_a)
    assert village.get(reverse("demands:detail", args=[issued.pk])).status_code == 200


def test_township_b_cadre_cannot_revise_the_form_through_the_services(cast, form_of_a, dictionary):
    with pytest.raises(ApplicationError):
        services.report_form_revise(by=cast.cadre_b, demand=form_of_a, version=form_of_a.version, title="改",
                                    frequency="monthly", minutes_per_response=10, material_type="report_set",
                                    field_ids=[(dictionary["户籍人口"].pk, True)])


def test_the_leader_reads_but_cannot_register_forms_or_edit_the_dictionary(cast, dictionary):
    client = cast.client(cast.leader)
    assert client.get(reverse("reportforms:field_list")).status_code == 200
    assert client.get(reverse("reportforms:materials")).status_code == 200
    assert client.get(reverse("reportforms:new")).status_code == 404
    assert client.get(reverse("reportforms:import")).status_code == 404
    assert client.post(reverse("reportforms:field_new"), {"name": "新字段"}).status_code == 404
    assert client.post(reverse("reportforms:field_edit", args=[dictionary["户籍人口"].pk]),
                       {"name": "改名"}).status_code == 404
    with pytest.raises(ApplicationError):
        register(cast, dictionary, ["户籍人口"], by=cast.leader, unit=cast.city)
    with pytest.raises(ApplicationError):
        services.field_definition_create(by=cast.leader, name="新字段")
    assert not FieldDefinition.objects.filter(name__in=["新字段", "改名"]).exists()


def test_a_clerk_proposes_fields_but_only_the_task_force_edits_the_dictionary(cast, dictionary):
    client = cast.client(cast.clerk)
    assert client.post(reverse("reportforms:field_new"), {"name": "新字段"}).status_code == 404
    with pytest.raises(ApplicationError):
        services.field_definition_update(by=cast.clerk, field=dictionary["户籍人口"], name="改名")
    officer = cast.client(cast.officer)
    response = officer.post(reverse("reportforms:field_edit", args=[dictionary["户籍人口"].pk]), {
        "name": "户籍人口", "definition": "年末户籍人口", "unit_of_measure": "人", "active": "on"})
    assert response.status_code == 302
    dictionary["户籍人口"].refresh_from_db()
    assert dictionary["户籍人口"].definition == "年末户籍人口"


def test_the_dictionary_list_searches_filters_pages_and_exports(cast, dictionary):
    client = cast.client(cast.clerk)
    page = client.get(reverse("reportforms:field_list"), {"q": "安全"}).context["page"]
    assert [f.name for f in page.object_list] == ["安全生产检查次数", "安全隐患整改数"]
    services.field_definition_update(by=cast.officer, field=dictionary["耕地面积"], name="耕地面积", active=False)
    page = client.get(reverse("reportforms:field_list"), {"active": "0"}).context["page"]
    assert [f.name for f in page.object_list] == ["耕地面积"]
    export = export_rows(client, reverse("reportforms:field_list"), {"export": "xlsx", "active": "0"})
    assert [row[0] for row in export[1:]] == ["耕地面积"]


def test_a_duplicate_dictionary_name_is_refused_and_the_form_keeps_what_was_typed(cast, dictionary):
    response = cast.client(cast.officer).post(reverse("reportforms:field_new"), {
        "name": "户籍人口", "definition": "另一个定义", "active": "on"})
    assert response.status_code == 400
    assert "另一个定义" in response.content.decode()
