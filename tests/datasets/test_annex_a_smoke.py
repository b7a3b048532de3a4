from safeguarding.core.models import Partnership
from safeguarding.datasets import services
from safeguarding.datasets.synthetic.annex_a import write_annex_a
from safeguarding.datasets.models import AnnexARow


def test_smoke(staffs, census, tmp_path):
    path = census(year=2022, children=60, seed=7, id_prefix="C")
    r = services.import_file(actor=None, partnership=staffs, kind="cin-census", path=path)
    print(r.summary)
    w = write_annex_a(tmp_path / "aa.xlsx", la_code="860", children=60, seed=7, id_prefix="C")
    print(w.counts, w.sheet_names)
    rec = services.import_file(actor=None, partnership=staffs, kind="annex-a", path=w.path)
    print(rec.status, rec.summary, rec.counts)
    for p in rec.problems.all()[:30]:
        print(p.file_name, p.row, p.child, p.field, p.rule, p.message)
    assert AnnexARow.objects.count() == sum(w.counts.values())


def test_summary(staffs, census, tmp_path):
    from safeguarding.datasets.annex_a_summary import annex_a_summary
    from safeguarding.datasets.models import AnnexAReturn
    for year in (2021, 2022):
        services.import_file(actor=None, partnership=staffs, kind="cin-census",
                             path=census(year=year, children=80, seed=7, id_prefix="C"))
    w = write_annex_a(tmp_path / "aa.xlsx", la_code="860", children=80, seed=7, id_prefix="C")
    rec = services.import_file(actor=None, partnership=staffs, kind="annex-a", path=w.path)
    print(rec.summary)
    for row in annex_a_summary(annex=AnnexAReturn.objects.get()):
        print(row)


def test_late(tmp_path):
    import datetime as dt
    from safeguarding.datasets.synthetic import annex_a as m
    import random
    w = m.write_annex_a(tmp_path / "aa.xlsx", la_code="860", children=80, seed=7, id_prefix="C")
    import openpyxl
    wb = openpyxl.load_workbook(w.path, read_only=True)
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        for r in rows:
            for i, v in enumerate(r):
                if isinstance(v, dt.datetime) and v.date() > dt.date(2022, 3, 31):
                    print(ws.title, [x for x in rows if x and len(x) > 3][0][i], v)
