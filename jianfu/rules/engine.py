"""Findings: what a rule found, in a form that is stored once and shown in each reader's language."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext


@dataclass(frozen=True)
class RuleRef:
    """The version of a rule that a check used."""

    code: str
    version_id: int | None
    version: int
    value: Any
    severity: str
    clause: str


@dataclass
class RuleSet:
    rules: dict[str, RuleRef] = field(default_factory=dict)

    def __getitem__(self, code: str) -> RuleRef:
        return self.rules[code]

    def get(self, code: str) -> RuleRef | None:
        return self.rules.get(code)

    def value(self, code: str, default: Any = None) -> Any:
        ref = self.rules.get(code)
        return ref.value if ref else default


@dataclass
class Finding:
    """`message` and `fix` are English msgids with %-params, translated when shown."""

    rule: str
    rule_version_id: int | None
    severity: str
    clause: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    fix: str = ""
    fix_params: dict[str, Any] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, ref: RuleRef, message: str, params: dict | None = None, fix: str = "",
           fix_params: dict | None = None, severity: str | None = None, **detail: Any) -> Finding:
        return cls(rule=ref.code, rule_version_id=ref.version_id, severity=severity or ref.severity,
                   clause=ref.clause, message=message, params=params or {}, fix=fix,
                   fix_params=fix_params or {}, detail=detail)

    @property
    def blocks(self) -> bool:
        return self.severity == "block"

    def text(self) -> str:
        return render(self.message, self.params)

    def fix_text(self) -> str:
        return render(self.fix, self.fix_params) if self.fix else ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def localised(value: Any) -> Any:
    """Pick a {"zh": …, "en": …} value in the active language; traditional Chinese is converted."""
    if not isinstance(value, dict) or "zh" not in value:
        return value
    lang = (get_language() or "zh-hans").lower()
    if lang.startswith("en"):
        return value.get("en") or value["zh"]
    if lang in ("zh-hant", "zh-tw", "zh-hk"):
        from jianfu.textkit.convert import to_traditional

        return to_traditional(value["zh"])
    return value["zh"]


def render(msgid: str, params: dict[str, Any]) -> str:
    """Translate a stored msgid now, in the active language, then fill its parameters."""
    translated = gettext(msgid)
    if not params:
        return translated
    shown = {k: (f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else localised(v))
             for k, v in params.items()}
    try:
        return translated % shown
    except (KeyError, ValueError, TypeError):
        return msgid % shown
