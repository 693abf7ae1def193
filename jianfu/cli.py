"""The `jianfu` command: Jianfu's own commands plus Django's, with clear --help."""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "run": ("run", "serve the web application and the worker together"),
    "worker": ("worker", "run queued background tasks and the schedule"),
    "migrate": ("migrate", "create or update the database tables"),
    "demo": ("demo", "load the demo city (refused when JIANFU_ENV=production)"),
    "import-units": ("import_units", "import units from an .xlsx or .csv file"),
    "import-people": ("import_people", "import people from an .xlsx or .csv file"),
    "check": ("check_draft", "check FILE: check a .docx/.txt draft (`jianfu check --deploy` is Django's check)"),
    "audit": ("audit", "audit log tools: `jianfu audit verify` checks the hash chain"),
    "document-index-rebuild": ("document_index_rebuild", "rebuild the near-duplicate index of documents"),
    "field-index-rebuild": ("field_index_rebuild", "rebuild the field dictionary's look-up index"),
    "setup-static": ("setup_static", "copy front-end libraries and collect static files"),
    "buildmessages": ("buildmessages", "compile the translations"),
}

USAGE = """usage: jianfu COMMAND [options]

Jianfu (减负) — the platform a task force uses to lift burdens off grassroots cadres.

Commands:
{commands}

Any other Django management command also works, e.g. `jianfu createsuperuser`, `jianfu check --deploy`.
Run `jianfu COMMAND --help` for a command's options.
"""


def usage() -> str:
    width = max(len(k) for k in COMMANDS)
    lines = "\n".join(f"  {name.ljust(width)}  {help_}" for name, (_, help_) in COMMANDS.items())
    return USAGE.format(commands=lines)


def _names_a_draft(args: list[str]) -> bool:
    if "-h" in args or "--help" in args:
        return True
    return any(not a.startswith("-") and (a.lower().endswith((".docx", ".txt", ".doc")) or os.path.isfile(a))
               for a in args)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        sys.exit(0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
    name = argv[0]
    django_name = COMMANDS.get(name, (name, ""))[0]
    if name == "check" and not _names_a_draft(argv[1:]):
        # `jianfu check` without a draft is Django's system check (e.g. `jianfu check --deploy`).
        django_name = "check"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["jianfu", django_name, *argv[1:]])
    except ImproperlyConfigured as exc:
        # A bad setting is the operator's to fix: say which, without a traceback.
        print(f"jianfu: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
