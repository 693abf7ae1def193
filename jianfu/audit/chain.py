"""How an audit record is signed: an HMAC-SHA256, with the audit key, over its fields and the previous hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from .keys import audit_key

GENESIS = "0" * 64

# json.dumps with these arguments makes a new encoder per call; the chain is encoded by this one.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def normalise(data: Any) -> Any:
    """Return data as it will read back from a JSON column, so hashing is stable."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_payload(
    *, seq: int, at: dt.datetime | str, actor_id: int | None, actor_label: str, action: str,
    object_type: str, object_id: str, object_repr: str, before: Any, after: Any, prev_hash: str,
) -> str:
    """The text a record's hash covers; `at` may be given already as `utc_text`."""
    return _ENCODER.encode([seq, at if isinstance(at, str) else utc_text(at), actor_id, actor_label, action,
                            object_type, object_id, object_repr, before, after, prev_hash])


class RecordSigner:
    """Signs many payloads with one key; copying a keyed HMAC is cheaper than keying a new one."""

    def __init__(self, key: bytes | None = None):
        self._base = hmac.new(key if key is not None else audit_key(), digestmod=hashlib.sha256)

    def __call__(self, payload: str) -> str:
        mac = self._base.copy()
        mac.update(payload.encode("utf-8"))
        return mac.hexdigest()


def record_hash(
    *, seq: int, at: dt.datetime, actor_id: int | None, actor_label: str, action: str,
    object_type: str, object_id: str, object_repr: str, before: Any, after: Any, prev_hash: str,
    key: bytes | None = None,
) -> str:
    """The record's hash: without the key it cannot be recomputed, so an edited record cannot be re-signed."""
    payload = record_payload(seq=seq, at=at, actor_id=actor_id, actor_label=actor_label, action=action,
                             object_type=object_type, object_id=object_id, object_repr=object_repr,
                             before=before, after=after, prev_hash=prev_hash)
    return RecordSigner(key)(payload)
