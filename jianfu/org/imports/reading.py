"""Reading an uploaded .xlsx or .csv safely: size, zip-bomb and encoding checks, then plain rows."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from .problems import ImportFileError

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
LARGE_ENTRY_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_ROWS = 200_000
MAX_COLUMNS = 60

XLSX = "xlsx"
CSV = "csv"

# Characters that Excel users paste in by accident and that never belong in a value.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


@dataclass
class Sheet:
    """The rows of the file as text, each with its row number as the spreadsheet shows it."""

    format: str
    encoding: str
    rows: list[tuple[int, list[str]]]


def cell_text(value: Any) -> str:
    """Turn what calamine or csv gives into the text a person typed."""
    if type(value) is str:  # nearly every cell: skip the other tests
        return value.strip().strip(_INVISIBLE).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Codes and phone numbers typed into numeric cells come back as floats.
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip().strip(_INVISIBLE).strip()


def read_sheet(path: Path, *, file_name: str = "", max_bytes: int | None = None,
               progress: Callable[[float], None] | None = None) -> Sheet:
    """Read the file's first worksheet (or the CSV) into rows of text; raise ImportFileError if unreadable."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(gettext_noop("The file cannot be opened.")) from exc
    if max_bytes is not None and size > max_bytes:
        raise ImportFileError(
            gettext_noop("The file is %(size)s MB; files up to %(max)s MB can be imported."),
            size=f"{size / 1048576:.1f}", max=max_bytes // 1048576,
        )
    if size == 0:
        raise ImportFileError(gettext_noop("The file is empty."))
    with path.open("rb") as f:
        magic = f.read(8)
    suffix = Path(file_name or path.name).suffix.lower()
    if magic.startswith(b"PK\x03\x04") or magic.startswith(b"PK\x05\x06"):
        check_xlsx_container(path)
        return _read_xlsx(path, progress)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(gettext_noop(
            "This is an old-style .xls workbook or a password-protected one. "
            "Save it in Excel as .xlsx (Excel Workbook), without a password, and upload it again."))
    if suffix in (".xlsx", ".xlsm"):
        raise ImportFileError(gettext_noop(
            "The file is named .xlsx but is not an Excel workbook. "
            "Open it in Excel and save it as .xlsx, or save it as CSV UTF-8."))
    return _read_csv(path, progress)


def check_xlsx_container(path: Path) -> None:
    """Refuse zip bombs and zips that are not workbooks before any spreadsheet parser sees them."""
    bomb = gettext_noop("The workbook unpacks to far more data than a spreadsheet of this size can hold, "
                        "so it was not opened. Save it again in Excel and upload the new file.")
    damaged = gettext_noop("The workbook is damaged or is not an Excel (.xlsx) file.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(damaged) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ImportFileError(bomb)
        names = {e.filename for e in entries}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise ImportFileError(gettext_noop(
                "The file is a zip archive but not an Excel workbook (.xlsx)."))
        if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
            raise ImportFileError(bomb)
        for e in entries:
            if e.flag_bits & 0x1:
                raise ImportFileError(gettext_noop(
                    "The workbook is encrypted. Remove its password in Excel and upload it again."))
            ratio_limit = MAX_COMPRESSION_RATIO * max(e.compress_size, 1)
            if e.file_size > LARGE_ENTRY_BYTES and e.file_size > ratio_limit:
                raise ImportFileError(bomb)
        # The sizes above are what the archive claims; inflate for real, counting, since a claim can lie.
        total = 0
        try:
            for e in entries:
                with archive.open(e) as member:
                    while chunk := member.read(1024 * 1024):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES:
                            raise ImportFileError(bomb)
        except ImportFileError:
            raise
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError,
                ValueError) as exc:
            raise ImportFileError(damaged) from exc


def _read_xlsx(path: Path, progress) -> Sheet:
    from python_calamine import CalamineWorkbook

    damaged = gettext_noop("The workbook is damaged or is not an Excel (.xlsx) file.")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types and plain ones
        raise ImportFileError(damaged) from exc
    try:
        index = _first_visible_worksheet(workbook)
        if index is None:
            raise ImportFileError(gettext_noop("The workbook has no worksheet."))
        sheet = workbook.get_sheet_by_index(index)
        # iter_rows starts at the sheet's first row but at the first used column.
        first_col = sheet.start[1] if sheet.start else 0
        last_row = (sheet.end[0] + 1) if sheet.end else 0
        if last_row > MAX_ROWS + 1:
            raise ImportFileError(gettext_noop(
                "The sheet has more than %(max)s rows; split it into several files."), max=MAX_ROWS)
        rows: list[tuple[int, list[str]]] = []
        for offset, values in enumerate(sheet.iter_rows()):
            cells = [""] * min(first_col, MAX_COLUMNS)
            cells += [cell_text(v) for v in values[: max(0, MAX_COLUMNS - first_col)]]
            if any(cells):
                rows.append((offset + 1, cells))
            if progress and offset % 5000 == 4999:
                progress(offset / max(last_row, 1))
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(damaged) from exc
    finally:
        workbook.close()
    return Sheet(XLSX, "", rows)


def _first_visible_worksheet(workbook) -> int | None:
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    for i, meta in enumerate(workbook.sheets_metadata):
        if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible:
            return i
    return 0 if workbook.sheets_metadata else None


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" in raw:
        raise ImportFileError(gettext_noop(
            "The file is not a spreadsheet or a text file. Upload an .xlsx workbook or a .csv file."))
    else:
        try:
            return raw.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            return raw.decode("gb18030"), "GBK"
        except UnicodeDecodeError:
            pass
    raise ImportFileError(gettext_noop(
        "The file's text is in an encoding that cannot be read: it is neither UTF-8 nor GBK. "
        "Save it from Excel as .xlsx, or as “CSV UTF-8”, and upload it again."))


def _read_csv(path: Path, progress) -> Sheet:
    text, encoding = decode_text(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise ImportFileError(gettext_noop(
                    "The sheet has more than %(max)s rows; split it into several files."), max=MAX_ROWS)
            cells = [cell_text(v) for v in values[:MAX_COLUMNS]]
            if any(cells):
                rows.append((number, cells))
            if progress and number % 5000 == 0:
                progress(min(0.99, reader.line_num / max(text.count("\n"), 1)))
    except csv.Error as exc:
        raise ImportFileError(gettext_noop("The CSV file is malformed near line %(line)s."),
                              line=reader.line_num) from exc
    return Sheet(CSV, encoding, rows)
