"""Annex A checks: sheets recognised by name or headings, header variants, dates, codes."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.datasets.readers.annex_a_xlsx import AnnexAWorkbook
from safeguarding.datasets.validation.annex_a import peek, recognise, to_date
from safeguarding.datasets.validation.annex_a_spec import annex_a_spec, normal
from tests.datasets.annex_a_support import headings, list_columns, write_workbook

LISTS = range(1, 12)


def _recognised(path):
    spec = annex_a_spec()
    with AnnexAWorkbook(path) as book:
        sheet = next(book.sheets())
        first, _ = peek(sheet.rows)
        return recognise(spec, sheet.name, first)


@pytest.mark.parametrize("number", LISTS)
@pytest.mark.parametrize("style", ["List {n}", "List {n} - {name}", "L{n} {name}", "{name}",
                                   "{n}. {name}"])
def test_each_list_is_recognised_by_its_sheet_name(tmp_path, number, style):
    name = annex_a_spec().lists[number].name
    sheet = style.format(n=number, name=name)[:31]
    columns = list_columns(number)
    path = write_workbook(tmp_path / "a.xlsx", {sheet: (headings(number, columns), [])})
    found = _recognised(path)
    assert found is not None and found.spec.number == number and found.by_name


def _variant_headings(number: int) -> list[str]:
    """Every column, each worded another way: a synonym, upper case, or punctuation changed."""
    lst = annex_a_spec().lists[number]
    out = []
    for index, key in enumerate(list_columns(number, every=True)):
        column = lst.columns[key]
        if column.synonyms and index % 2 == 0:
            out.append(column.synonyms[0])
        elif index % 3 == 0:
            out.append(column.header.upper())
        else:
            out.append(column.header.replace(" ", "  ").replace("?", "") + " ")
    return out


@pytest.mark.parametrize("number", LISTS)
def test_each_list_is_recognised_by_its_headings_whatever_the_sheet_is_called(tmp_path, number):
    path = write_workbook(tmp_path / "a.xlsx", {"Sheet1": (_variant_headings(number), [])})
    found = _recognised(path)
    assert found is not None and found.spec.number == number and not found.by_name
    assert set(found.headers) == set(list_columns(number, every=True))


def test_the_heading_row_may_sit_below_a_title(tmp_path):
    columns = list_columns(3)
    book = {"Referrals data": (["Annex A List 3: referrals in the last six months"], [
        [], headings(3, columns), ["C1", "x"]])}
    found = _recognised(write_workbook(tmp_path / "a.xlsx", book))
    assert found is not None and found.spec.number == 3 and found.header_row == 3


def test_a_sheet_that_is_no_list_is_not_recognised(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", {"Notes": (["Comment", "Author"], [])})
    assert _recognised(path) is None


@pytest.mark.parametrize("heading, key", [
    ("DATE OF CONTACT", "contact_date"),
    ("Date of Contact (dd/mm/yyyy)", "contact_date"),
    ("date_of_contact", "contact_date"),
    ("Contact Date", "contact_date"),
    ("Child  Unique ID", "child_id"),
    ("LAchildID", "child_id"),
    ("D.O.B.", "birth_date"),
    ("Source of contact", "contact_source"),
])
def test_header_variants_are_normalised(heading, key):
    assert annex_a_spec().lists[1].column_for(heading) == key


def test_child_protection_headers_with_quotes_and_question_marks():
    lst = annex_a_spec().lists[8]
    assert lst.column_for("Child’s Legal Status") == "legal_status"
    assert lst.column_for("What is the permanence plan for this child") == "permanence_plan"
    assert lst.column_for("Is this a second or subsequent period of being a Looked After Child "
                          "within the last 12 months") == "second_period"


def test_normal_form():
    assert normal("  Child's Category of Need? ") == "childs category of need"
    assert normal("A&E") == "a and e"


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(2022, 1, 5, 0, 0), dt.date(2022, 1, 5)),
    (dt.date(2022, 1, 5), dt.date(2022, 1, 5)),
    (44566, dt.date(2022, 1, 5)),  # an Excel serial date in a cell not formatted as a date
    (44566.0, dt.date(2022, 1, 5)),
    ("44566", dt.date(2022, 1, 5)),
    ("05/01/2022", dt.date(2022, 1, 5)),
    ("5/1/2022", dt.date(2022, 1, 5)),
    ("05/01/22", dt.date(2022, 1, 5)),
    ("2022-01-05", dt.date(2022, 1, 5)),
    ("2022-01-05 00:00:00", dt.date(2022, 1, 5)),
    ("05-Jan-2022", dt.date(2022, 1, 5)),
    ("5 January 2022", dt.date(2022, 1, 5)),
    ("31/02/2022", None),
    ("soon", None),
    (True, None),
    (-3, None),
])
def test_dates_in_every_form_a_workbook_holds_them(value, expected):
    assert to_date(value) == expected


@pytest.mark.parametrize("code_list, value, code", [
    ("ethnicity", "a) WBRI", "WBRI"),
    ("ethnicity", "White British", "WBRI"),
    ("ethnicity", "wbri", "WBRI"),
    ("gender", "b) Female", "2"),
    ("gender", "Male", "1"),
    ("gender", "1", "1"),
    ("gender", "Not stated/recorded", "0"),
    ("reason_for_closure", "RC7 - Services ceased for any other reason", "RC7"),
    ("legal_status", "C2: FCO", "C2"),
    ("legal_status", "E1: Placement order", "E1"),
    ("referral_source", "a) 1A: Individual", "1A"),
    ("referral_source", "Police", "6"),
    ("category_of_abuse", "Multiple/not recommended", "MUL"),
    ("category_of_abuse", "d) Emotional abuse", "EMO"),
    ("case_status", "a) Looked after child", "LAC"),
    ("yes_no", "a) Yes", "Y"),
    ("yes_no_unknown", "c) Unknown", "U"),
    ("accommodation", "D: Semi-independent", "D"),
])
def test_code_values_are_read_in_the_forms_lists_use(code_list, value, code):
    assert annex_a_spec().code_lists[code_list].match(value) == code


def test_unknown_codes_are_not_guessed():
    spec = annex_a_spec()
    assert spec.code_lists["ethnicity"].match("Martian") is None
    assert spec.code_lists["category_of_abuse"].match("Financial") is None


def test_every_list_has_a_source_and_its_code_lists_theirs():
    spec = annex_a_spec()
    assert "Annex A" in spec.source and len(spec.lists) == 11
    assert all(code_list.source for code_list in spec.code_lists.values())
