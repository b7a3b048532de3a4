"""The data import pages for the browser tests (tests/browser/site_map.py calls walk)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.urls import reverse

SKIPPED = {
    "data/imports/<int:pk>/status/": "an htmx fragment, polled from the progress page, which "
                                     "is visited with it",
    "data/imports/<int:pk>/errors.csv": "a CSV download, not a page",
    "data/annex-a/<int:pk>/summary.csv": "a CSV download, not a page",
}


def walk(w) -> None:
    from safeguarding.core.models import Partnership
    from safeguarding.datasets import synthetic
    from safeguarding.datasets.models import DatasetImport, ImportKind, ImportStatus

    w.open("business.staffs", reverse("datasets:import-list"), "Data imports")
    page = w.open("analyst.staffs", reverse("datasets:import-add"), "Upload a file")
    w.submit(page, "Upload a file, with errors", expect_path=reverse("datasets:import-add"))
    folder = Path(tempfile.mkdtemp(prefix="browser-cin-"))
    path = folder / "cin_860_2021.xml"
    synthetic.write_cin_census(path, la_code="860", year=2021, children=15, seed=5,
                               inject=[synthetic.Injection("cpp_end_before_start", 2)])
    page.check("#id_kind_0")
    page.set_input_files("#id_file", str(path))
    w.submit(page, "Import result, with its errors")
    loaded = folder / "cin_860_2022.xml"
    synthetic.write_cin_census(loaded, la_code="860", year=2022, children=15, seed=5)
    page = w.open("business.staffs", reverse("datasets:import-add"), "Upload a file, again")
    page.check("#id_kind_0")
    page.set_input_files("#id_file", str(loaded))
    w.submit(page, "Import result, loaded")
    from safeguarding.datasets.synthetic.ssda903 import write_ssda903

    (archive,) = write_ssda903(folder / "903", la_code="860", year=2021, children=150, seed=5,
                               as_zip=True).paths
    page = w.open("business.staffs", reverse("datasets:import-add"), "Upload an SSDA903 ZIP")
    page.check("#id_kind_2")
    page.set_input_files("#id_file", str(archive))
    w.submit(page, "Import result, SSDA903 loaded")
    # An agency template: the period is asked for; a re-send lists what it changed.
    from safeguarding.datasets.template_docs import DOCS_DIR

    extract = folder / "missing-episodes.csv"
    lines = (DOCS_DIR / "missing-episodes.csv").read_text().splitlines()
    extract.write_text("\n".join(lines[:3]) + "\n")
    page = w.open("business.staffs", reverse("datasets:import-add"), "Upload an agency extract")
    page.check("input[name=kind][value=missing-episodes]")
    page.fill("#id_period", "2020-21")
    page.set_input_files("#id_file", str(extract))
    w.submit(page, "Agency extract loaded")
    resent = folder / "missing-episodes-again.csv"
    resent.write_text("\n".join([lines[0], lines[1].replace(",M,", ",A,", 1), lines[2]]) + "\n")
    page = w.open("business.staffs", reverse("datasets:import-add"), "Upload it again")
    page.check("input[name=kind][value=missing-episodes]")
    page.fill("#id_period", "2020-21")
    page.set_input_files("#id_file", str(resent))
    w.submit(page, "Agency extract re-sent, with the records it changed")
    waiting = DatasetImport.objects.create(
        kind=ImportKind.CIN_CENSUS, partnership=Partnership.objects.get(code="STAFFS"),
        file_name="waiting.xml", actor_label="business.staffs", status=ImportStatus.QUEUED)
    w.open("business.staffs", reverse("datasets:import-detail", args=[waiting.pk]),
           "Import progress, waiting")
    w.open("business.staffs", reverse("datasets:import-list"), "Data imports, six")
    from safeguarding.datasets import services
    from safeguarding.datasets.synthetic.annex_a import write_annex_a

    annex = write_annex_a(folder / "annex_a_860.xlsx", la_code="860", children=15, seed=5)
    record = services.import_file(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                                  kind=ImportKind.ANNEX_A, path=annex.path)
    w.open("analyst.staffs", reverse("datasets:import-detail", args=[record.pk]),
           "Import result, Annex A")
    w.open("analyst.staffs", reverse("datasets:annex-a-summary",
                                     args=[record.counts["annex_a_return"]]),
           "Annex A return summary")
