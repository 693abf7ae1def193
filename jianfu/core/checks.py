"""System checks of a deployment, shown by `jianfu check --deploy` (no domain: settings only)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

SQLITE = "django.db.backends.sqlite3"


def sqlite_in_production(app_configs=None, **kwargs) -> list[Warning]:
    """Production on SQLite: one writer at a time and a file on one machine, fit for a trial only."""
    if getattr(settings, "JIANFU_ENV", "") != "production":
        return []
    return [
        Warning(
            f"The {alias!r} database is SQLite while JIANFU_ENV=production.",
            hint="SQLite takes one writer at a time and lives on this machine's disk: set DATABASE_URL to a "
                 "PostgreSQL database (postgres://…) for production (docs/operations.md).",
            id="jianfu.W001",
        )
        for alias, database in settings.DATABASES.items() if database.get("ENGINE") == SQLITE
    ]


def register_checks() -> None:
    register(sqlite_in_production, Tags.database, deploy=True)
