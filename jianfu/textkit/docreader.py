"""Reading a draft from a .docx or .txt file, with clear reasons when it cannot be read."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .docx and old .doc files


def gettext_noop(message: str) -> str:
    """Mark a message for `makemessages`; the interfaces translate it when they show it."""
    return message


ENCODING_MESSAGE = gettext_noop("The text is neither UTF-8 nor GBK/GB18030; save it as UTF-8 and try again.")


class UnreadableDraft(Exception):
    """`reason` is a stable code; `message` an English msgid the interfaces translate."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Draft:
    text: str
    encoding: str
    file_type: str


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _plausible(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableDraft("encoding", ENCODING_MESSAGE) from exc
    try:
        return _plausible(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableDraft("encoding", ENCODING_MESSAGE) from exc
    return _plausible(text), "gb18030"


def _plausible(text: str) -> str:
    """Refuse text that decoded but is mostly control characters or private-use code points (binary junk)."""
    if not text:
        return text
    odd = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    if odd > max(2, len(text) // 100):
        raise UnreadableDraft("encoding", ENCODING_MESSAGE)
    return text


def _docx_text(data: bytes) -> str:
    if data.startswith(OLE_MAGIC):
        raise UnreadableDraft("encrypted", gettext_noop(
            "The file is encrypted or is an old .doc file; save it as an unprotected .docx and try again."))
    if not data.startswith(b"PK"):
        raise UnreadableDraft("not_docx", gettext_noop("The file is not a .docx document."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise UnreadableDraft("not_docx", gettext_noop("The file is not a .docx document."))
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
            raise UnreadableDraft("too_large",
                                  gettext_noop("The document unpacks to more than 100 MB and was not read."))
    except zipfile.BadZipFile as exc:
        raise UnreadableDraft("not_docx", gettext_noop("The file is not a .docx document.")) from exc
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged files
        raise UnreadableDraft("damaged", gettext_noop("The .docx file is damaged and could not be read.")) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def read_draft(data: bytes, filename: str) -> Draft:
    """Return the draft's text; raise UnreadableDraft with the reason otherwise."""
    if len(data) > MAX_BYTES:
        raise UnreadableDraft("too_large", gettext_noop("The file is larger than 20 MB."))
    if not data.strip():
        raise UnreadableDraft("empty", gettext_noop("The file is empty."))
    name = filename.lower()
    if name.endswith(".docx"):
        text, encoding, kind = _docx_text(data), "", "docx"
    elif name.endswith(".txt"):
        text, encoding = _decode_text(data)
        kind = "txt"
    elif name.endswith(".doc"):
        raise UnreadableDraft("old_doc",
                              gettext_noop("Old .doc files are not read; save the draft as .docx and try again."))
    else:
        raise UnreadableDraft("type", gettext_noop("Only .docx and .txt drafts can be read."))
    if not text.strip():
        raise UnreadableDraft("empty", gettext_noop("The file has no text."))
    return Draft(text=text.replace("\r\n", "\n").replace("\r", "\n"), encoding=encoding, file_type=kind)
