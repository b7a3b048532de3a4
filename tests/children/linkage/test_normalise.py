"""Names, nicknames, soundex and postcodes as linkage compares them."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from safeguarding.children.linkage import normalise


@pytest.mark.parametrize("name, code", [
    ("Robert", "R163"), ("Rupert", "R163"), ("Ashcraft", "A261"), ("Tymczak", "T522"),
    ("Pfister", "P236"), ("Smith", "S530"), ("Smyth", "S530"), ("Lee", "L000"), ("", None),
])
def test_soundex_follows_the_archives_rules(name, code):
    assert normalise.soundex(name) == code


def test_names_are_cleaned_to_letters():
    assert normalise.clean_name(" O'Brien-Smith ") == "OBRIENSMITH"
    assert normalise.clean_name("Zoë") == "ZOE"
    assert normalise.clean_name("  ") is None


@pytest.mark.parametrize("short, formal, sex", [
    ("Bill", "William", "1"), ("Kate", "Katherine", "2"), ("Kate", "Catherine", "2"),
    ("Peggy", "Margaret", "2"), ("Alex", "Alexander", "1"), ("Alex", "Alexandra", "2"),
])
def test_a_nickname_shares_a_group_with_its_formal_name(short, formal, sex):
    assert set(normalise.name_groups(short, sex)) & set(normalise.name_groups(formal, sex))
    # ... and blocks with it: the same formal first name, so the same first initial
    assert normalise.canonical_first_name(short, sex) == normalise.canonical_first_name(
        formal, sex)


def test_the_sex_narrows_a_shared_nickname_but_unknown_sex_keeps_both():
    assert "ALEXANDRA" not in normalise.name_groups("Alex", "1")
    assert {"ALEXANDER", "ALEXANDRA"} <= set(normalise.name_groups("Alex", "0"))


def test_a_name_with_no_nickname_is_its_own_group():
    assert normalise.name_groups("Xanthe", "2") == ["XANTHE"]
    assert normalise.canonical_first_name("Bill", "1") == "WILLIAM"


def test_the_nickname_table_names_its_source():
    import yaml

    data = yaml.safe_load((normalise.DATA / "nicknames.yaml").read_text())
    assert data["source"]
    assert normalise.nickname_table()["BILL"] == [("WILLIAM", "1")]


@pytest.mark.parametrize("raw, clean, sector, district, area", [
    ("st52ab", "ST5 2AB", "ST5 2", "ST5", "ST"),
    ("SW1A 1AA", "SW1A 1AA", "SW1A 1", "SW1A", "SW"),
    ("b1 1aa", "B1 1AA", "B1 1", "B1", "B"),
    ("", None, None, None, None),
])
def test_postcode_parts(raw, clean, sector, district, area):
    assert normalise.clean_postcode(raw) == clean
    assert normalise.postcode_sector(raw) == sector
    assert normalise.postcode_district(raw) == district
    assert normalise.postcode_area(raw) == area


def test_prepare_adds_the_model_columns():
    frame = pl.DataFrame({
        "unique_id": ["1", "2"], "first_name": ["Bill", None], "last_name": ["Smyth", "Jones"],
        "date_of_birth": [dt.date(2015, 4, 3), None], "sex": ["1", "0"],
        "postcode": ["st5 2ab", None],
    })
    prepared = normalise.prepare(frame).to_dicts()
    first = prepared[0]
    assert (first["first_name"], first["first_name_canonical"], first["first_initial"]) == (
        "BILL", "WILLIAM", "W")
    assert first["first_name_groups"] == ["BILL", "WILLIAM"]
    assert (first["last_name_soundex"], first["birth_year"], first["dob_low"],
            first["dob_high"]) == ("S530", 2015, 3, 4)
    assert (first["postcode"], first["postcode_sector"], first["postcode_district"],
            first["postcode_area"]) == ("ST5 2AB", "ST5 2", "ST5", "ST")
    second = prepared[1]
    assert second["sex"] is None and second["first_name"] is None and second["dob"] is None
    assert second["postcode_district"] is None
