"""Which of a form's fields other registered forms already collect (一表通): the same dictionary field, one
of its other names, or a field whose name and definition are alike.

The dictionary's index lives in the database and changes one field at a time (`field_index_sync`, called by
every service that writes a field): `FieldKey` holds each normalised name and other name, `FieldBand` the
MinHash-LSH band keys of each name and of each name with its definition. A look-up reads the keys of all the
asked fields in a few indexed queries, then scores the candidates as `textkit.minhash.LSHIndex` does (the
signature estimate within four standard deviations of the threshold, then the exact 3-gram Jaccard).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction

from jianfu.demands.models import Demand, Kind, Status
from jianfu.textkit.minhash import LSHIndex, explain
from jianfu.textkit.normalise import normalise
from jianfu.textkit.shingles import fingerprint_sets

from .models import FieldBand, FieldDefinition, FieldKey, FormField, split_aliases

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
    visible: bool = True  # False: outside the reader's scope, so given by its issuing unit only

    @property
    def covered(self) -> int:
        return len(self.hits)

    def reference(self) -> str:
        return f"{self.control_number}《{self.title}》" if self.control_number else f"《{self.title}》"

    def hidden(self) -> OtherForm:
        return OtherForm(demand_id=0, title="", control_number="", issuing_unit=self.issuing_unit, status="",
                         hits=self.hits, visible=False)


@dataclass
class Reuse:
    asked: list[AskedField]
    forms: list[OtherForm]  # most fields covered first
    matches: dict[int, list[tuple[int, str, float]]]  # asked index → [(dictionary id, how, score)]

    def for_reader(self, reader) -> Reuse:
        """The same answer for one reader: a form they may not open keeps its fields and issuing unit only.
        The decision (which fields are collected, whether to merge) still uses every form."""
        from jianfu.demands.selectors import demands_visible

        ids = [f.demand_id for f in self.forms]
        seen = set(demands_visible(reader).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        return Reuse(asked=self.asked, forms=[f if f.demand_id in seen else f.hidden() for f in self.forms],
                     matches=self.matches)

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


# The bands are laid out for the rule's default (report_forms.field_reuse, 0.6); a look-up at a lower threshold
# finds fewer of the pairs just above it, as LSHIndex.query does.
INDEX_THRESHOLD = 0.6
NAME, TEXT = 0, 1  # the two entries of a field: its name, and its name with its definition
_CHUNK = 2000  # keys per IN (…), under every database's limit on parameters


@functools.cache
def _lsh() -> LSHIndex:
    """The hash functions and bands (an empty LSHIndex): the same in every process, so stored keys stay valid."""
    return LSHIndex(threshold=INDEX_THRESHOLD)


def _band_keys(signatures: np.ndarray, entry: int) -> np.ndarray:
    """(n, bands) int64 keys as stored: entry · 2⁴⁰ + band · 2³² + the band's 32-bit key."""
    index = _lsh()
    keys = index._keys_of(np.asarray(signatures, dtype=np.uint32)).astype(np.int64)
    return keys | (np.arange(index.bands, dtype=np.int64) << 32)[None, :] | np.int64(entry << 40)


def _texts(name: str, definition: str) -> list[tuple[int, str]]:
    """The entries of a field: its name, and its name with its definition when it has one."""
    return [(NAME, name)] + ([(TEXT, f"{name} {definition}")] if definition else [])


def _sets(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fingerprint sets (fps, offsets) and signatures of texts, vectorised."""
    fps, offsets = fingerprint_sets(list(texts))
    return fps, offsets, _lsh().hasher.signatures_of(fps, offsets)


def _index_rows(rows: Sequence[tuple[int, str, str, str]], key_model=FieldKey, band_model=FieldBand):
    """The FieldKey and FieldBand rows of (id, name, definition, other names) rows."""
    keys = []
    for pk, name, _definition, aliases in rows:
        keys.append(key_model(field_id=pk, key=_key(name), alias=False))
        keys += [key_model(field_id=pk, key=k, alias=True) for k in dict.fromkeys(map(_key, split_aliases(aliases)))
                 if k]
    entries = [(pk, entry, text) for pk, name, definition, _a in rows for entry, text in _texts(name, definition)]
    bands = []
    if entries:
        _fps, offsets, sigs = _sets([text for _pk, _e, text in entries])
        live = np.diff(offsets) > 0
        for entry in (NAME, TEXT):
            mine = np.flatnonzero(live & np.array([e == entry for _pk, e, _t in entries]))
            if len(mine):
                for i, row in zip(mine.tolist(), _band_keys(sigs[mine], entry).tolist(), strict=True):
                    bands += [band_model(field_id=entries[i][0], key=k) for k in row]
    return keys, bands


def field_index_sync(field: FieldDefinition) -> None:
    """Write one dictionary field's names and band keys again from its current name, definition and other names.

    Every service that creates or changes a field calls it in its transaction.
    """
    FieldKey.objects.filter(field_id=field.pk).delete()
    FieldBand.objects.filter(field_id=field.pk).delete()
    keys, bands = _index_rows([(field.pk, field.name, field.definition, field.aliases)])
    FieldKey.objects.bulk_create(keys)
    FieldBand.objects.bulk_create(bands)


def field_index_fill(*, definition_model=FieldDefinition, key_model=FieldKey, band_model=FieldBand,
                     batch_size: int = 5000) -> int:
    """Index every field that has no names in the index yet, in batches; returns how many.

    The models are parameters so that the data migration can pass its historical ones.
    """
    fields = (definition_model.objects.exclude(pk__in=key_model.objects.values("field_id")).order_by("pk")
              .values_list("pk", "name", "definition", "aliases"))
    done, last = 0, 0
    while True:
        rows = list(fields.filter(pk__gt=last)[:batch_size])
        if not rows:
            return done
        last = rows[-1][0]
        keys, bands = _index_rows(rows, key_model, band_model)
        key_model.objects.bulk_create(keys, batch_size=batch_size)
        band_model.objects.bulk_create(bands, batch_size=10 * batch_size)
        done += len(rows)


@transaction.atomic
def field_index_rebuild() -> int:
    """Empty the dictionary's index and index every field again; returns how many (for repairs)."""
    FieldKey.objects.all().delete()
    FieldBand.objects.all().delete()
    return field_index_fill()


def _chunks(values: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _rows_where(model, columns: Sequence[str], column: str, values: Iterable[int]) -> list[tuple]:
    """The columns of the rows whose `column` is one of the integers: one `= ANY(array)` on PostgreSQL, IN (…)
    in chunks elsewhere (thousands of placeholders cost more to build than the query takes to run)."""
    values = sorted(values)
    if not values:
        return []
    qn = connection.ops.quote_name  # only quoted names are formatted in; the values are parameters
    select = f"SELECT {', '.join(map(qn, columns))} FROM {qn(model._meta.db_table)} WHERE {qn(column)}"  # noqa: S608
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{select} = ANY(%s)", [values])
            return cursor.fetchall()
        for chunk in _chunks(values):
            cursor.execute(f"{select} IN ({', '.join(['%s'] * len(chunk))})", list(chunk))
            rows += cursor.fetchall()
    return rows


def _exact(keys: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The fields named (name → id) and also named (other name → id) by each of the normalised keys.

    Two fields whose names normalise alike: the last by name counts; an other name of several fields: the first.
    """
    wanted = sorted({k for k in keys if k})
    names: dict[str, int] = {}
    aliases: dict[str, int] = {}
    for chunk in _chunks(wanted):
        for key, pk, alias in (FieldKey.objects.filter(key__in=chunk).order_by("field__name", "pk")
                               .values_list("key", "field_id", "alias")):
            if alias:
                aliases.setdefault(key, pk)
            else:
                names[key] = pk
    return names, aliases


def field_named(name: str) -> int | None:
    """The dictionary field with this name, or else with this other name (normalised), if any."""
    key = _key(name)
    names, aliases = _exact([key])
    return names.get(key) or aliases.get(key)


def _similar(queries: list[tuple[int, int, str]], threshold: float) -> list[tuple[int, int, float]]:
    """(query number, field id, Jaccard ≥ threshold) for (query number, entry, text) queries, in a few queries."""
    index = _lsh()
    fps, offsets, sigs = _sets([text for _n, _e, text in queries])
    live = np.flatnonzero(np.diff(offsets) > 0)
    keys_of: dict[int, list[int]] = {}
    for entry in (NAME, TEXT):
        mine = [int(i) for i in live if queries[i][1] == entry]
        if mine:
            keys_of.update(zip(mine, _band_keys(sigs[mine], entry).tolist(), strict=True))
    holders: dict[int, list[int]] = {}
    for key, pk in _rows_where(FieldBand, ("key", "field_id"), "key", {k for keys in keys_of.values() for k in keys}):
        holders.setdefault(key, []).append(pk)
    candidates = {i: sorted({pk for k in keys for pk in holders.get(k, ())}) for i, keys in keys_of.items()}
    texts = {pk: (name, definition) for pk, name, definition in _rows_where(
        FieldDefinition, ("id", "name", "definition"), "id", {pk for found in candidates.values() for pk in found})}
    # the candidates' entries, hashed as when they were indexed
    pairs = [(i, pk) for i, found in candidates.items() for pk in found if pk in texts]
    if not pairs:
        return []
    entry_texts = [dict(_texts(*texts[pk])).get(queries[i][1], "") for i, pk in pairs]
    c_fps, c_offsets, c_sigs = _sets(entry_texts)
    query_of = np.array([i for i, _pk in pairs])
    estimates = (c_sigs == sigs[query_of]).mean(axis=1)
    margin = 4.0 * math.sqrt(threshold * (1 - threshold) / index.hasher.num_perm)  # as LSHIndex filters
    close = np.flatnonzero(estimates >= threshold - margin)
    out = []
    for j in close.tolist():
        i, pk = pairs[j]
        mine, other = fps[offsets[i]:offsets[i + 1]], c_fps[c_offsets[j]:c_offsets[j + 1]]
        if not len(other):
            continue
        shared = len(np.intersect1d(mine, other, assume_unique=True))
        jaccard = shared / (len(mine) + len(other) - shared)
        if jaccard >= threshold:
            out.append((queries[i][0], pk, jaccard))
    return out


def fields_matching(asked: Sequence[AskedField], threshold: float) -> dict[int, list[tuple[int, str, float]]]:
    """For each asked field (by position), the dictionary fields that are it: (id, how, score), best first."""
    keys = [_key(a.name) for a in asked]
    names, aliases = _exact(keys)
    found: list[dict[int, tuple[str, float]]] = []
    queries: list[tuple[int, int, str]] = []
    for n, (a, key) in enumerate(zip(asked, keys, strict=True)):
        mine: dict[int, tuple[str, float]] = {}
        if a.field_id is not None:
            mine[a.field_id] = (SAME, 1.0)
        if key in names and names[key] not in mine:
            mine[names[key]] = (SAME, 1.0)
        if key in aliases and aliases[key] not in mine:
            mine[aliases[key]] = (ALIAS, 1.0)
        found.append(mine)
        if key:
            # A name is compared with names, a name and definition with names and definitions.
            queries.append((n, NAME, a.name))
            if a.definition:
                queries.append((n, TEXT, f"{a.name} {a.definition}"))
    for n, pk, score in (_similar(queries, threshold) if queries else []):
        mine = found[n]
        if pk not in mine or (mine[pk][0] == SIMILAR and score > mine[pk][1]):
            mine[pk] = (SIMILAR, score)
    return {n: sorted(((pk, how, score) for pk, (how, score) in mine.items()),
                      key=lambda x: (_RANK[x[1]], -x[2], x[0]))
            for n, mine in enumerate(found)}


def field_reuse(*, asked: list[AskedField], threshold: float, exclude_demand_id: int | None = None) -> Reuse:
    """The registered forms that already collect any of `asked`, with how each field matched."""
    matches = fields_matching(asked, threshold)
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
    texts = {pk: (name, definition) for pk, name, definition in
             FieldDefinition.objects.filter(pk__in=wanted).values_list("pk", "name", "definition")}
    for demand_id, fields in collected.items():
        other = forms[demand_id]
        for i, a in enumerate(asked):
            best = next(((pk, how, score) for pk, how, score in matches[i] if pk in fields), None)
            if best is None:
                continue
            pk, how, score = best
            name, definition = texts.get(pk, ("", ""))
            terms = ()
            if how == SIMILAR:
                terms = explain(f"{a.name} {a.definition}".strip(), f"{name} {definition}".strip(),
                                limit=3).shared_terms
            other.hits.append(FieldHit(index=i, asked=a.name, field_id=pk, field_name=name, how=how,
                                       score=round(score, 3), shared_terms=tuple(terms)))
    ordered = sorted((f for f in forms.values() if f.hits),
                     key=lambda f: (-f.covered, f.control_number == "", f.control_number, f.demand_id))
    return Reuse(asked=asked, forms=ordered, matches=matches)
