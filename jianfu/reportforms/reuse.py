"""Which of a form's fields other registered forms already collect (一表通): the same dictionary field, one
of its other names, or a field whose name and definition are alike (one MinHash-LSH index over the dictionary).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max

from jianfu.demands.models import Demand, Kind, Status
from jianfu.textkit.minhash import LSHIndex, explain
from jianfu.textkit.normalise import normalise

from .models import FieldDefinition, FormField, split_aliases

# Forms that are, or are about to be, collecting their fields from the grassroots.
REUSE_STATUSES = (Status.CHECKED, Status.APPROVED, Status.IN_FORCE)
SAME, ALIAS, SIMILAR = "same", "alias", "similar"
_RANK = {SAME: 0, ALIAS: 1, SIMILAR: 2}


@dataclass(frozen=True)
class AskedField:
    """A field a form asks for: a dictionary field, or a name (and definition) typed by the clerk."""

    name: str
    definition: str = ""
    field_id: int | None = None


@dataclass(frozen=True)
class FieldHit:
    index: int  # which asked field
    asked: str
    field_id: int  # the dictionary field the other form collects
    field_name: str
    how: str  # same, alias or similar
    score: float
    shared_terms: tuple[str, ...] = ()

    def label(self) -> str:
        """The hit in a language-neutral notation: `a`, `a = b`, `a ≈ b [shared terms]`."""
        if self.how == SAME:
            return self.asked
        if self.how == ALIAS:
            return f"{self.asked} = {self.field_name}"
        terms = "、".join(self.shared_terms[:3])
        return f"{self.asked} ≈ {self.field_name}" + (f" [{terms}]" if terms else "")


@dataclass
class OtherForm:
    demand_id: int
    title: str
    control_number: str
    issuing_unit: str
    status: str
    hits: list[FieldHit] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return len(self.hits)

    def reference(self) -> str:
        return f"{self.control_number}《{self.title}》" if self.control_number else f"《{self.title}》"


@dataclass
class Reuse:
    asked: list[AskedField]
    forms: list[OtherForm]  # most fields covered first
    matches: dict[int, list[tuple[int, str, float]]]  # asked index → [(dictionary id, how, score)]

    def for_field(self, index: int) -> list[tuple[OtherForm, FieldHit]]:
        return [(f, h) for f in self.forms for h in f.hits if h.index == index]

    def merge_candidate(self) -> OtherForm | None:
        """The form that already collects most (more than half) of the asked fields, if any."""
        if not self.forms or not self.asked:
            return None
        best = self.forms[0]
        return best if best.covered * 2 > len(self.asked) else None


def _key(name: str) -> str:
    return normalise(name or "")


class DictionaryIndex:
    """The dictionary in memory: names and other names for exact lookups, an LSH index for similar ones.

    Rebuilt when the dictionary changes (count and last update) or the threshold does.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self.index: LSHIndex | None = None
        self.names: dict[str, int] = {}
        self.aliases: dict[str, int] = {}
        self.meta: dict[int, tuple[str, str]] = {}

    def _current(self, threshold: float) -> tuple:
        agg = FieldDefinition.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        return (agg["n"], agg["last"], round(threshold, 4))

    def build(self, rows: list[tuple[int, str, str, str]], threshold: float) -> None:
        """Index (id, name, definition, aliases) rows: one entry for the name, one for name and definition."""
        index = LSHIndex(threshold=threshold)
        ids: list[str] = []
        texts: list[str] = []
        names: dict[str, int] = {}
        aliases: dict[str, int] = {}
        meta: dict[int, tuple[str, str]] = {}
        for pk, name, definition, alias_text in rows:
            meta[pk] = (name, definition)
            names[_key(name)] = pk
            for alias in split_aliases(alias_text):
                aliases.setdefault(_key(alias), pk)
            ids.append(f"n{pk}")
            texts.append(name)
            if definition:
                ids.append(f"t{pk}")
                texts.append(f"{name} {definition}")
        index.add_many(ids, texts)
        self.index, self.names, self.aliases, self.meta = index, names, aliases, meta

    def refresh(self, threshold: float) -> DictionaryIndex:
        with self._lock:
            signature = self._current(threshold)
            if signature != self._signature or self.index is None:
                rows = list(FieldDefinition.objects.values_list("pk", "name", "definition", "aliases"))
                self.build(rows, threshold)
                self._signature = signature
        return self

    def lookup(self, asked: AskedField) -> list[tuple[int, str, float]]:
        """Dictionary fields that are the asked one: (id, how, score), best first."""
        found: dict[int, tuple[str, float]] = {}
        if asked.field_id is not None:
            found[asked.field_id] = (SAME, 1.0)
        key = _key(asked.name)
        if key in self.names and self.names[key] not in found:
            found[self.names[key]] = (SAME, 1.0)
        if key in self.aliases and self.aliases[key] not in found:
            found[self.aliases[key]] = (ALIAS, 1.0)
        if self.index is not None and key:
            # A name is compared with names, a name and definition with names and definitions.
            matches = [m for m in self.index.query(asked.name) if str(m.id).startswith("n")]
            if asked.definition:
                matches += [m for m in self.index.query(f"{asked.name} {asked.definition}")
                            if str(m.id).startswith("t")]
            for m in matches:
                pk = int(str(m.id)[1:])
                if pk not in found or (found[pk][0] == SIMILAR and m.score > found[pk][1]):
                    found[pk] = (SIMILAR, m.score)
        return sorted(((pk, how, score) for pk, (how, score) in found.items()),
                      key=lambda x: (_RANK[x[1]], -x[2], x[0]))

    def text_of(self, pk: int) -> str:
        name, definition = self.meta.get(pk, ("", ""))
        return f"{name} {definition}".strip()


_INDEX = DictionaryIndex()


def dictionary_index(threshold: float) -> DictionaryIndex:
    return _INDEX.refresh(threshold)


def field_reuse(*, asked: list[AskedField], threshold: float, exclude_demand_id: int | None = None) -> Reuse:
    """The registered forms that already collect any of `asked`, with how each field matched."""
    index = dictionary_index(threshold)
    matches = {i: index.lookup(a) for i, a in enumerate(asked)}
    wanted = {pk for found in matches.values() for pk, _how, _s in found}
    rows = FormField.objects.filter(field_id__in=wanted, demand__kind=Kind.REPORT_FORM,
                                    demand__status__in=REUSE_STATUSES)
    if exclude_demand_id is not None:
        rows = rows.exclude(demand_id=exclude_demand_id)
    collected: dict[int, set[int]] = {}
    for demand_id, field_id in rows.values_list("demand_id", "field_id"):
        collected.setdefault(demand_id, set()).add(field_id)
    forms = {d["pk"]: OtherForm(demand_id=d["pk"], title=d["title"], control_number=d["control_number"] or "",
                                issuing_unit=d["issuing_unit__name"], status=d["status"])
             for d in Demand.objects.filter(pk__in=list(collected)).values(
                 "pk", "title", "control_number", "issuing_unit__name", "status")}
    names = dict(FieldDefinition.objects.filter(pk__in=wanted).values_list("pk", "name"))
    for demand_id, fields in collected.items():
        other = forms[demand_id]
        for i, a in enumerate(asked):
            best = next(((pk, how, score) for pk, how, score in matches[i] if pk in fields), None)
            if best is None:
                continue
            pk, how, score = best
            terms = ()
            if how == SIMILAR:
                terms = explain(f"{a.name} {a.definition}".strip(), index.text_of(pk), limit=3).shared_terms
            other.hits.append(FieldHit(index=i, asked=a.name, field_id=pk, field_name=names.get(pk, ""), how=how,
                                       score=round(score, 3), shared_terms=tuple(terms)))
    ordered = sorted((f for f in forms.values() if f.hits),
                     key=lambda f: (-f.covered, f.control_number == "", f.control_number, f.demand_id))
    return Reuse(asked=asked, forms=ordered, matches=matches)
