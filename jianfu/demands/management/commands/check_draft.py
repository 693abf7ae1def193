import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone, translation

from jianfu.demands.checks import check_document
from jianfu.demands.models import DocumentKind
from jianfu.rules.selectors import default_ruleset, ruleset_for
from jianfu.textkit.docreader import UnreadableDraft, read_draft


class Command(BaseCommand):
    # System checks import every URL module and view (~150 ms); a draft check needs none of them.
    requires_system_checks = []
    help = ("Check a .docx or .txt document draft against the rulebook: prints the character count (字数) and "
            "every finding. Exit 0 when nothing blocks, 1 when something blocks, 2 when the file cannot be read.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the draft, .docx or .txt (UTF-8, UTF-16 or GBK/GB18030)")
        parser.add_argument("--kind", choices=DocumentKind.values, default=DocumentKind.OTHER,
                            help="kind of document (default: other, ≤ 2,000 characters)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--lang", default=None, help="language of the messages: zh-hans, zh-hant or en")
        parser.add_argument("--checklist-none-apply", action="store_true",
                            help="declare that none of the no-issuance categories applies (otherwise the "
                                 "checklist is left to the filing page and not checked here)")

    def handle(self, *args, lang, **options):
        # override, not activate: call_command runs in the caller's thread and must leave its language alone.
        with translation.override(lang or settings.LANGUAGE_CODE):
            self._check(**options)

    def _check(self, *, file: str, kind: str, json: bool, checklist_none_apply: bool, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return self._fail(json, "unreadable", f"{file}: {exc.strerror or exc}")
        try:
            draft = read_draft(data, path.name)
        except UnreadableDraft as exc:
            return self._fail(json, exc.reason, f"{file}: {translation.gettext(exc.message)}")
        rules, source = self._rules()
        if not checklist_none_apply:
            rules.rules.pop("document.no_issuance", None)
        checklist = {c["code"]: False for c in rules.value("document.no_issuance", [])}
        count, findings = check_document(text=draft.text, title=_first_line(draft.text), kind=kind,
                                         checklist=checklist, rules=rules)
        blocking = sum(1 for f in findings if f.blocks)
        if json:
            self.stdout.write(_json({
                "file": str(path), "kind": kind, "char_count": count, "rules": source, "blocking": blocking,
                "findings": [{"rule": f.rule, "rule_version_id": f.rule_version_id, "severity": f.severity,
                              "message": f.text(), "fix": f.fix_text(), "clause": f.clause} for f in findings],
            }))
        else:
            label = DocumentKind(kind).label
            self.stdout.write(translation.gettext("%(file)s: %(kind)s, %(count)s characters") % {
                "file": path.name, "kind": label, "count": f"{count:,}"})
            for f in findings:
                mark = "✗" if f.blocks else "!"
                self.stdout.write(f"{mark} {f.text()}")
                if f.fix:
                    self.stdout.write(f"   → {f.fix_text()}")
                self.stdout.write(f"   [{f.rule}] {f.clause}")
            if not findings:
                self.stdout.write(translation.gettext("No findings: the draft meets every rule."))
        if blocking:
            sys.exit(1)

    def _rules(self):
        try:
            rules = ruleset_for(unit=None, on=timezone.localdate())
            if rules.rules:
                return rules, "rulebook"
        except DatabaseError:
            pass
        return default_ruleset(), "defaults"

    def _fail(self, as_json: bool, reason: str, message: str):
        if as_json:
            self.stdout.write(_json({"error": reason, "message": message}))
        else:
            self.stderr.write(message)
        sys.exit(2)


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines[:6]:
        if "关于" in ln or ln.endswith(("通知", "意见", "报告", "方案")):
            return ln
    return lines[0] if lines else ""


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
