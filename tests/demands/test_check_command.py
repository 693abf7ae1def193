"""`jianfu check FILE`: the character count and every finding; exit 0 clean, 1 blocked, 2 unreadable."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from docx import Document

from jianfu.textkit.counting import char_count

from .filings import padded, valid_text

JIANFU = Path(sys.executable).with_name("jianfu")
DATE = dt.date(2019, 5, 10)
CLEAN = valid_text(date=DATE)
CLEAN_COUNT = char_count(CLEAN)
LONG = padded(CLEAN, 2156)


def docx_bytes(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def junk() -> bytes:
    return random.Random(7).randbytes(4096)


# name, file name, content (None: no file), options, exit code
CASES = [
    ("clean_txt", "draft.txt", CLEAN.encode("utf-8"), [], 0),
    ("long_special", "report.txt", LONG.encode("utf-8"), ["--kind", "special"], 1),
    ("long_normative", "report.txt", LONG.encode("utf-8"), ["--kind", "normative"], 0),
    ("gbk_txt", "draft.txt", CLEAN.encode("gbk"), [], 0),
    ("gb18030_txt", "draft.txt", CLEAN.encode("gb18030"), [], 0),
    ("utf16_txt", "draft.txt", CLEAN.encode("utf-16"), [], 0),
    ("clean_docx", "draft.docx", docx_bytes(CLEAN), [], 0),
    ("long_docx", "report.docx", docx_bytes(LONG), ["--kind", "special"], 1),
    ("not_a_docx", "draft.docx", junk(), [], 2),
    ("encrypted_docx", "draft.docx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2048, [], 2),
    ("zip_without_document", "draft.docx", b"PK\x05\x06" + b"\0" * 18, [], 2),
    ("empty_txt", "draft.txt", b"", [], 2),
    ("blank_txt", "draft.txt", b"  \n\n ", [], 2),
    ("binary_junk_txt", "draft.txt", junk(), [], 2),
    ("missing_file", "missing.txt", None, [], 2),
    ("latin1_txt", "draft.txt", "Le résumé du café.\n".encode("latin-1"), [], 2),
    ("old_doc", "draft.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2048, [], 2),
    ("pdf", "draft.pdf", b"%PDF-1.4\n", [], 2),
]


@pytest.fixture
def draft(tmp_path):
    def write(name: str, content: bytes | None) -> Path:
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        return path
    return write


def run_command(path: Path, *options: str) -> tuple[int, str, str]:
    """Run the management command in-process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    kwargs = {"stdout": out, "stderr": err}
    args = list(options)
    if "--kind" in args:
        kwargs["kind"] = args[args.index("--kind") + 1]
    kwargs["json"] = "--json" in args
    kwargs["lang"] = args[args.index("--lang") + 1] if "--lang" in args else None
    try:
        call_command("check_draft", str(path), **kwargs)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def jianfu_env(tmp_path: Path) -> dict[str, str]:
    """The console script's environment: an empty SQLite database of its own."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIANFU_VAR_DIR"] = str(tmp_path / "var")
    return env


SCRIPT_CASES = ("clean_txt", "long_special", "gbk_txt", "clean_docx", "long_docx", "not_a_docx", "encrypted_docx",
                "empty_txt", "binary_junk_txt", "missing_file")


@pytest.fixture(scope="module")
def script_runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Run `jianfu check` once per case, all at once (each run starts Django, which takes a while)."""
    tmp = tmp_path_factory.mktemp("jianfu_check")
    env = jianfu_env(tmp)
    runs: dict[str, tuple[list[str], subprocess.Popen]] = {}
    for name, file_name, content, options, _code in CASES:
        if name not in SCRIPT_CASES:
            continue
        (tmp / name).mkdir()
        path = tmp / name / file_name
        if content is not None:
            path.write_bytes(content)
        args = [str(JIANFU), "check", str(path), *options, "--lang", "en"]
        runs[name] = (args, subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                             env=env, cwd=settings.PROJECT_DIR))
    json_path = tmp / "report.txt"
    json_path.write_bytes(LONG.encode("gbk"))
    for name, args in [("json_defaults", [str(JIANFU), "check", str(json_path), "--kind", "special", "--json"]),
                       ("deploy", [str(JIANFU), "check", "--deploy"])]:
        runs[name] = (args, subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                             env=env, cwd=settings.PROJECT_DIR))
    done = {}
    for name, (args, process) in runs.items():
        out, err = process.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(args, process.returncode, out, err)
    return done


@pytest.mark.usefixtures("rulebook")
@pytest.mark.parametrize(("name", "file_name", "content", "options", "code"), CASES, ids=[c[0] for c in CASES])
def test_the_check_command_exits_with_the_code_for_the_draft(draft, name, file_name, content, options, code):
    exit_code, out, err = run_command(draft(file_name, content), *options)
    assert exit_code == code, (out, err)
    if code == 2:
        assert err.strip() and not out.strip()
    else:
        assert out.strip()


@pytest.mark.parametrize(("name", "file_name", "code"), [(c[0], c[1], c[4]) for c in CASES if c[0] in SCRIPT_CASES],
                         ids=[c[0] for c in CASES if c[0] in SCRIPT_CASES])
def test_jianfu_check_file_exits_with_the_code_for_the_draft(script_runs, name, file_name, code):
    result = script_runs[name]
    assert result.returncode == code, (result.stdout, result.stderr)
    if code == 2:
        assert file_name in result.stderr
        assert "Traceback" not in result.stderr
    else:
        assert result.stdout.startswith(f"{file_name}: ")


def test_jianfu_check_prints_the_numbers_of_an_over_long_special_report(script_runs):
    assert "this draft has 2,156 (156 over)." in script_runs["long_special"].stdout


def test_jianfu_check_reads_gbk_text_correctly(script_runs):
    assert f"draft.txt: Other document, {CLEAN_COUNT} characters" in script_runs["gbk_txt"].stdout


@pytest.mark.usefixtures("rulebook")
def test_the_check_command_leaves_the_callers_language_alone(draft):
    with translation.override("zh-hans"):
        run_command(draft("draft.txt", CLEAN.encode()), "--lang", "en")
        assert translation.get_language() == "zh-hans"


@pytest.mark.usefixtures("rulebook")
def test_a_clean_draft_prints_its_count_and_no_findings(draft):
    code, out, _ = run_command(draft("draft.txt", CLEAN.encode()), "--lang", "en")
    assert code == 0
    assert f"draft.txt: Other document, {CLEAN_COUNT} characters" in out
    assert "No findings: the draft meets every rule." in out


@pytest.mark.usefixtures("rulebook")
def test_an_over_long_special_report_prints_the_numbers_and_the_clause(draft):
    code, out, _ = run_command(draft("report.txt", LONG.encode()), "--kind", "special", "--lang", "en")
    assert code == 1
    assert "2,156 characters" in out
    assert "A special report may have at most 2,000 characters; this draft has 2,156 (156 over)." in out
    assert "Cut at least 156 characters" in out
    assert "[document.max_chars.special] 专项报告和文件不超过2000字" in out


@pytest.mark.usefixtures("rulebook")
def test_a_gbk_draft_is_read_correctly(draft):
    code, out, _ = run_command(draft("draft.txt", CLEAN.encode("gbk")), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["char_count"] == CLEAN_COUNT
    assert result["findings"] == []


@pytest.mark.usefixtures("rulebook")
def test_a_docx_is_read_paragraph_by_paragraph(draft):
    code, out, _ = run_command(draft("draft.docx", docx_bytes(CLEAN)), "--json")
    assert code == 0
    assert json.loads(out)["char_count"] == CLEAN_COUNT


@pytest.mark.usefixtures("rulebook")
def test_the_json_output_parses_and_carries_the_findings(draft):
    code, out, _ = run_command(draft("report.txt", LONG.encode()), "--kind", "special", "--json", "--lang", "en")
    assert code == 1
    result = json.loads(out)
    assert result["char_count"] == 2156
    assert result["kind"] == "special"
    assert result["rules"] == "rulebook"
    assert result["blocking"] == 1
    [finding] = result["findings"]
    assert finding["rule"] == "document.max_chars.special"
    assert finding["severity"] == "block"
    assert finding["rule_version_id"] is not None
    assert "2,156 (156 over)" in finding["message"]


@pytest.mark.usefixtures("rulebook")
def test_the_json_output_names_the_reason_a_file_is_unreadable(draft):
    code, out, _ = run_command(draft("draft.docx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64), "--json")
    assert code == 2
    assert json.loads(out)["error"] == "encrypted"


@pytest.mark.usefixtures("rulebook")
def test_the_findings_warn_about_elements_without_blocking(draft):
    text = CLEAN.replace("〔2019〕", "[2019]")
    code, out, _ = run_command(draft("draft.txt", text.encode()), "--json", "--lang", "en")
    assert code == 0
    [finding] = json.loads(out)["findings"]
    assert finding["severity"] == "warn"
    assert "郴办发〔2019〕5号" in finding["fix"]


def test_jianfu_check_json_parses_with_the_source_defaults_on_an_empty_database(script_runs):
    result = script_runs["json_defaults"]
    assert result.returncode == 1, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["char_count"] == 2156
    assert parsed["rules"] == "defaults"
    assert [f["rule"] for f in parsed["findings"]] == ["document.max_chars.special"]


def test_jianfu_check_deploy_is_still_djangos_system_check(script_runs):
    result = script_runs["deploy"]
    assert "No such file" not in result.stderr
    assert "--deploy" not in result.stderr
    assert "System check" in result.stdout + result.stderr
