"""The field dictionary's index in the database: kept current by the dictionary's services, never rebuilt in a
request, and finding what the in-memory index found."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.reportforms import services
from jianfu.reportforms.models import FieldBand, FieldKey
from jianfu.reportforms.reuse import (
    ALIAS,
    SAME,
    SIMILAR,
    AskedField,
    _key,
    field_index_rebuild,
    field_named,
    fields_matching,
    split_aliases,
)
from jianfu.reportforms.services import NewField
from jianfu.textkit.minhash import LSHIndex

from .conftest import approve, register

pytestmark = pytest.mark.django_db

ASKED = [
    AskedField(name="户籍人口"),  # a name
    AskedField(name="户籍人口数", definition="户籍登记在本辖区的人口数"),  # near a name and its definition
    AskedField(name="贫困人口", definition="建档立卡贫困户人口数"),
    AskedField(name="贫困户户数", definition="建档立卡贫困户的户数"),
    AskedField(name="安全生产检查", definition="本期内组织安全生产检查的次数"),
    AskedField(name="安全隐患整改", definition="排查发现并整改到位的安全隐患数"),
    AskedField(name="实有耕地面积"),
    AskedField(name="村集体收入", definition="村集体经济组织本年度经营性收入"),
    AskedField(name="常住人口数"),
    AskedField(name="新增就业人数", definition="本期内城镇新增就业人数"),
]


def in_memory(threshold: float):
    """Today's DictionaryIndex: the whole dictionary in maps and one LSHIndex, built for the threshold."""
    from jianfu.reportforms.models import FieldDefinition

    index, names, aliases = LSHIndex(threshold=threshold), {}, {}
    ids, texts = [], []
    for pk, name, definition, alias_text in FieldDefinition.objects.values_list("pk", "name", "definition",
                                                                                "aliases"):
        names[_key(name)] = pk
        for alias in split_aliases(alias_text):
            aliases.setdefault(_key(alias), pk)
        ids.append(f"n{pk}")
        texts.append(name)
        if definition:
            ids.append(f"t{pk}")
            texts.append(f"{name} {definition}")
    index.add_many(ids, texts)

    def lookup(asked: AskedField):
        found = {}
        if asked.field_id is not None:
            found[asked.field_id] = (SAME, 1.0)
        key = _key(asked.name)
        if key in names and names[key] not in found:
            found[names[key]] = (SAME, 1.0)
        if key in aliases and aliases[key] not in found:
            found[aliases[key]] = (ALIAS, 1.0)
        if key:
            matches = [m for m in index.query(asked.name) if str(m.id).startswith("n")]
            if asked.definition:
                matches += [m for m in index.query(f"{asked.name} {asked.definition}") if str(m.id).startswith("t")]
            for m in matches:
                pk = int(str(m.id)[1:])
                if pk not in found or (found[pk][0] == SIMILAR and m.score > found[pk][1]):
                    found[pk] = (SIMILAR, m.score)
        ranks = {SAME: 0, ALIAS: 1, SIMILAR: 2}
        return sorted(((pk, how, score) for pk, (how, score) in found.items()),
                      key=lambda x: (ranks[x[1]], -x[2], x[0]))

    return lookup


def rounded(matches):
    return [(pk, how, round(score, 12)) for pk, how, score in matches]


def test_a_new_field_is_found_at_once_in_a_few_queries_without_any_rebuild(cast, dictionary):
    asked = [AskedField(name="危房改造户数", definition="本年度完成危房改造的农户数")]
    assert fields_matching(asked, 0.6) == {0: []}
    field = services.field_definition_create(by=cast.officer, name="危房改造户数",
                                             definition="本年度完成危房改造的农户户数")
    with CaptureQueriesContext(connection) as queries:
        found = fields_matching(asked + [AskedField(name="危房改造户数量")], 0.6)
    assert found[0][0] == (field.pk, SAME, 1.0)
    assert [(pk, how) for pk, how, _s in found[1]] == [(field.pk, SIMILAR)]
    assert len(queries) == 3  # names, band keys, the candidates' texts


def test_renaming_a_field_replaces_its_names_and_band_keys(cast, dictionary):
    field = dictionary["耕地面积"]
    before = set(FieldBand.objects.filter(field=field).values_list("key", flat=True))
    services.field_definition_update(by=cast.officer, field=field, name="实有耕地总面积", definition="年末实有耕地面积",
                                     aliases="耕地、耕地数量")
    after = set(FieldBand.objects.filter(field=field).values_list("key", flat=True))
    assert after and after != before
    assert field_named("实有耕地总面积") == field.pk
    assert field_named("耕地数量") == field.pk
    assert field_named("耕地面积") is None
    found = fields_matching([AskedField(name="耕地面积"), AskedField(name="耕地")], 0.6)
    assert found[1] == [(field.pk, ALIAS, 1.0)]
    assert field.pk not in [pk for pk, how, _s in found[0] if how == SAME]


def test_a_field_proposed_with_a_form_is_indexed_and_reused_by_the_next_form(cast, dictionary):
    register(cast, dictionary, ["户籍人口"], new_fields=[NewField("危房户数", "经鉴定为C级、D级危房的农户数", "户")])
    proposed = FieldKey.objects.get(key=_key("危房户数"), alias=False).field
    assert proposed.proposed and field_named("危房户数") == proposed.pk
    second = register(cast, dictionary, ["户籍人口"], title="危房排查表", new_fields=[NewField("危房户数")])
    assert set(second.form_fields.values_list("field_id", flat=True)) == {dictionary["户籍人口"].pk, proposed.pk}


def test_a_full_width_or_traditional_name_is_the_same_field(cast, dictionary):
    assert field_named("戶籍人口") == dictionary["户籍人口"].pk
    assert fields_matching([AskedField(name="戶籍人口")], 0.6)[0][0] == (dictionary["户籍人口"].pk, SAME, 1.0)


@pytest.mark.parametrize("threshold", [0.6, 0.7])
def test_the_matches_are_those_of_the_in_memory_index(cast, dictionary, threshold):
    services.field_definition_update(by=cast.officer, field=dictionary["常住人口"], name="常住人口",
                                     definition="在本辖区居住半年以上的人口数", aliases="常住人口数、居住人口")
    services.field_definition_create(by=cast.officer, name="城镇新增就业人数", definition="本期内城镇新增就业的人数")
    services.field_definition_create(by=cast.officer, name="户籍人口户数")
    today = in_memory(threshold)
    expected = {i: rounded(today(a)) for i, a in enumerate(ASKED)}
    assert {i: rounded(m) for i, m in fields_matching(ASKED, threshold).items()} == expected
    assert sum(how == SIMILAR for found in expected.values() for _pk, how, _s in found) >= 4


def test_the_gate_finds_a_form_collecting_a_similar_field_through_the_index(cast, dictionary):
    first = approve(cast, register(cast, dictionary, ["贫困人口数", "户籍人口"], title="脱贫攻坚月报表"))
    from jianfu.reportforms.reuse import field_reuse

    reuse = field_reuse(asked=[AskedField(name="贫困人口", definition="建档立卡贫困户人口数")], threshold=0.6)
    assert [f.demand_id for f in reuse.forms] == [first.pk]
    assert reuse.forms[0].hits[0].how == SIMILAR and reuse.forms[0].hits[0].field_name == "贫困人口数"


def test_the_index_is_rebuilt_by_the_command_only(cast, dictionary):
    FieldKey.objects.all().delete()
    FieldBand.objects.all().delete()
    assert field_named("户籍人口") is None  # a look-up builds nothing
    out = io.StringIO()
    call_command("field_index_rebuild", stdout=out)
    assert out.getvalue().strip() == f"{len(dictionary)} fields indexed"
    assert field_index_rebuild() == len(dictionary)
    assert field_named("户籍人口") == dictionary["户籍人口"].pk
    assert fields_matching([AskedField(name="户籍人口数")], 0.6)[0][0][:2] == (dictionary["户籍人口"].pk, SIMILAR)
