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
