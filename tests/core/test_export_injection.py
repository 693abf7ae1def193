"""Text that a spreadsheet would run as a formula is written as text, by every export and every download."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jianfu.core import exports
from jianfu.core.exports import ExportSheet, csv_cell, export_job_start, formula_like, xlsx_write
from jianfu.core.models import ExportJob
from jianfu.demands import reports
from jianfu.demands.models import LookupResult
from jianfu.inspections import services as inspections
from jianfu.org import services as org
from jianfu.org.models import ImportJob, Role, UnitType
from jianfu.reportforms import services as reportforms
from tests.demands.filings import approve, file_document

pytestmark = pytest.mark.django_db

TITLE = "=cmd|' /C calc'!A0"
UNIT = '=HYPERLINK("http://x","y")'
TRIGGERS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]

# Exports that list a title, a unit's name or a problem found in a file, and so must show these values as they
# are. An export added to the registry is run by the last test all the same (with the filters the `dangerous`
# fixture gives for its name, none otherwise) and must hold no formula either.
LISTING = {"burden.ledger", "burden.on_unit", "burden.overview", "demands.figures", "demands.filings",
           "demands.unregistered_reports", "inspections.on_us", "inspections.plan_items", "org.import_problems",
           "org.liaisons", "org.people", "org.units", "reportforms.fields", "reportforms.forms",
           "reportforms.materials"}


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def cells(path) -> list:
    book = load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("fast", [True, False])
def test_every_value_a_spreadsheet_would_run_is_stored_as_the_same_text_and_numbers_stay_numbers(tmp_path, fast):
    path = tmp_path / "t.xlsx"
    row = [TITLE, UNIT, *TRIGGERS, -5, -2.5, "-"]
    xlsx_write(path, ExportSheet("t", "t", [UNIT, *["h"] * (len(row) - 1)], [row]), fast=fast)
    written = load_workbook(path).active
    assert (written["A1"].value, written["A1"].data_type) == (UNIT, "s")
    got = [(c.value, c.data_type) for c in written[2]]
    assert got == [(v, "s") for v in (TITLE, UNIT, *TRIGGERS)] + [(-5, "n"), (-2.5, "n"), ("-", "s")]


def test_a_csv_cell_that_a_spreadsheet_would_run_gets_a_leading_quote_and_other_values_pass_unchanged():
    assert [csv_cell(v) for v in (TITLE, *TRIGGERS)] == ["'" + v for v in (TITLE, *TRIGGERS)]
    assert [csv_cell(v) for v in ("土桥镇", "a=b", "", None, -5, 2.5, dt.date(2019, 5, 6))] == [
        "土桥镇", "a=b", "", None, -5, 2.5, dt.date(2019, 5, 6)]
    assert formula_like("@x") and not formula_like("x@") and not formula_like(-1) and not formula_like("")


def test_a_workbook_built_cell_by_cell_keeps_formula_like_text_as_text(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([TITLE, UNIT, -5])
    assert book.active["A1"].data_type == "f"  # what openpyxl would save
    exports.xlsx_text_only(book)
    book.save(tmp_path / "t.xlsx")
    assert [(c.value, c.data_type) for c in load_workbook(tmp_path / "t.xlsx").active[1]] == [
        (TITLE, "s"), (UNIT, "s"), (-5, "n")]


def test_the_import_templates_hold_no_formula(cast):
    client = cast.client(cast.admin)
    for url in (reverse("org:import_template", args=["units"]), reverse("org:import_template", args=["people"]),
                reverse("reportforms:import_template")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert all(c.data_type != "f" for c in cells(io.BytesIO(response.content))), url


@pytest.fixture
def dangerous(cast):
    """A department named like a formula files, proposes and reports things titled like one; returns the
    filters each export needs, by name."""
    year = timezone.localdate().year
    department = org.unit_create(by=None, code="431000D09", name=UNIT, type=UnitType.DEPARTMENT, parent=cast.city)
    clerk = org.person_create(by=None, username="clerk_x", name="钱经办", password="Cast-password-2019")
    org.membership_grant(by=None, person=clerk, unit=department, role=Role.DEPARTMENT_CLERK)
    approve(cast, file_document(cast, by=clerk, unit=department, title=TITLE),
            valid_until=timezone.localdate() + dt.timedelta(days=365))
    plan = inspections.inspection_plan_create(by=cast.officer, unit=cast.city, year=year)
    inspections.plan_item_propose(by=None, plan=plan, proposing_unit=department, title=TITLE, prepares=UNIT,
                                  targets=[(cast.township_a, False)], proposed_by=clerk, months=[6])
    reports.unregistered_report_create(by=cast.cadre_a, unit=cast.township_a, number_entered="",
                                       lookup_result=LookupResult.choices[0][0], issuer_text=UNIT, description=TITLE)
    reportforms.field_definition_create(by=cast.officer, name=TITLE, definition=UNIT)
    form = reportforms.report_form_file(by=clerk, issuing_unit=department, title=TITLE, frequency="monthly",
                                        minutes_per_response=30, material_type="report_set",
                                        new_fields=[reportforms.NewField(name="户籍人口")],
                                        targets=[(cast.county, True)])
    approve(cast, form, valid_until=timezone.localdate() + dt.timedelta(days=365))
    plan.refresh_from_db()
    inspections.inspection_plan_approve(by=cast.officer, plan=plan, version=plan.version)
    job = ImportJob.objects.create(kind=ImportJob.Kind.UNITS, status=ImportJob.Status.FAILED, created_by=cast.officer,
                                   file_name="units.csv", errors=[{"row": 2, "column": UNIT, "level": "error",
                                                                   "msgid": "%(value)s", "params": {"value": TITLE}}])
    return {"burden.overview": {"year": year}, "burden.ledger": {"year": year}, "inspections.plans": {"year": year},
            "inspections.on_us": {"year": year}, "reportforms.materials": {"year": year},
            "burden.on_unit": {"year": year, "unit": cast.township_a.pk}, "inspections.plan_items": {"plan": plan.pk},
            "org.import_problems": {"job": job.pk},
            "demands.figures": {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31", "group": "issuing_unit"}}


def test_every_registered_export_writes_a_title_or_unit_name_like_a_formula_as_that_text(cast, dangerous):
    shown = set()
    for name in sorted(exports._EXPORTS):
        with TestCase.captureOnCommitCallbacks(execute=True):
            job = export_job_start(person=cast.admin, name=name, params=dangerous.get(name, {}), language="en")
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, (name, job.error, "give its filters in the fixture above")
        written = cells(exports.export_file(job))
        assert [c.coordinate for c in written if c.data_type == "f"] == [], name
        if any(isinstance(c.value, str) and c.value.startswith((TITLE, UNIT)) for c in written):
            shown.add(name)
    assert not LISTING - shown, sorted(LISTING - shown)
