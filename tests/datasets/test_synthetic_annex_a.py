"""The synthetic Annex A writer: deterministic, consistent with the census, realistic variants."""

from __future__ import annotations

from openpyxl import load_workbook

from safeguarding.datasets import synthetic
from safeguarding.datasets.synthetic.annex_a import write_annex_a
from safeguarding.datasets.validation.annex_a_spec import annex_a_spec


def cells(path) -> list:
    book = load_workbook(path, read_only=True)
    try:
        return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book]
    finally:
        book.close()


def test_the_same_seed_writes_the_same_workbook(tmp_path):
    one = write_annex_a(tmp_path / "one.xlsx", la_code="860", children=40, seed=3)
    two = write_annex_a(tmp_path / "two.xlsx", la_code="860", children=40, seed=3)
    other = write_annex_a(tmp_path / "other.xlsx", la_code="860", children=40, seed=4)
    assert cells(one.path) == cells(two.path) and one.counts == two.counts
    assert cells(other.path) != cells(one.path)


def test_its_children_and_referrals_are_the_censuss(tmp_path):
    written = write_annex_a(tmp_path / "a.xlsx", la_code="860", children=50, seed=3,
                            id_prefix="S")
    census = list(synthetic.records(la_code="860", year=2022, children=50, seed=3,
                                    id_prefix="S"))
    referrals = sum(1 for r in census for ep in r["episodes"]
                    if "2021-10-01" <= ep["CINreferralDate"] <= "2022-03-31")
    assert written.counts[3] == referrals
    ids = {r["LAchildID"] for r in census}
    sheet = dict(cells(written.path))[written.sheet_names[3]]
    header_row = next(i for i, row in enumerate(sheet) if row and len(row) > 3)
    written_ids = {row[0] for row in sheet[header_row + 1:]}
    assert written_ids and written_ids <= ids


def test_headings_and_sheet_names_vary_as_las_do(tmp_path):
    spec = annex_a_spec()
    varied_headings = named_otherwise = 0
    for seed in range(4):
        written = write_annex_a(tmp_path / f"{seed}.xlsx", la_code="860", children=10,
                                seed=seed)
        for number, headings in written.headers.items():
            canonical = [c.header for k, c in spec.lists[number].columns.items()
                         if c.type != "name"]
            varied_headings += sum(1 for h, c in zip(headings, canonical, strict=True) if h != c)
            named_otherwise += spec.list_for_sheet_name(written.sheet_names[number]) is None
    assert varied_headings > 50  # roughly four in ten headings are worded another way
    assert named_otherwise >= 1  # some sheets can be found only by their headings
