"""The audit key: kept outside the database, so whoever can write the database cannot re-sign the chain.

It comes from `JIANFU_AUDIT_KEY` or, failing that, the key file `JIANFU_AUDIT_KEY_FILE` (default
`var/audit.key`). Outside production a missing key file is created on first use, readable by its owner only;
in production the settings refuse to start without one (docs/decisions/0014-…).
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_CHARS = 32


def audit_key() -> bytes:
    """The key that signs audit records and checkpoints."""
    return _key(settings.JIANFU_AUDIT_KEY, str(settings.JIANFU_AUDIT_KEY_FILE), settings.PRODUCTION)


@lru_cache(maxsize=4)
def _key(from_environment: str, key_file: str, production: bool) -> bytes:
    if from_environment:
        text = from_environment.strip()
        source = "JIANFU_AUDIT_KEY"
    else:
        path = Path(key_file)
        if not path.exists() and not production:
            _create(path)
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"The audit key file {path} cannot be read ({exc.strerror}); set JIANFU_AUDIT_KEY or "
                f"JIANFU_AUDIT_KEY_FILE.") from exc
        source = f"the audit key file {path}"
    if len(text) < MIN_KEY_CHARS:
        raise ImproperlyConfigured(f"{source} must hold at least {MIN_KEY_CHARS} characters.")
    return text.encode("utf-8")


def _create(path: Path) -> None:
    """Write a new random key, readable by its owner only, without ever replacing one another process wrote."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        # A hard link never replaces an existing file: of two processes starting at once, one key wins.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
