"""Annex A through the pages: upload, the result page's link, the summary and its CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.core.models import AuditEvent, LocalAuthority, Partnership
from safeguarding.datasets import services
from safeguarding.datasets.models import AnnexAReturn, DatasetImport, ImportKind, ImportStatus
from safeguarding.datasets.synthetic.annex_a import write_annex_a
from tests.datasets.annex_a_support import one_list_workbook


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.DATASETS_UPLOAD_DIR = str(tmp_path / "uploads")


def post(client, path, capture, **extra):
    data = {"partnership": Partnership.objects.get(code="STAFFS").pk,
            "kind": ImportKind.ANNEX_A,
            "file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    with capture(execute=True):
        return client.post(reverse("datasets:import-add"), data)


def test_an_uploaded_workbook_loads_and_its_summary_is_reachable(
        client_for, tmp_path, django_capture_on_commit_callbacks):
    client = client_for("analyst.staffs")
    written = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=20, seed=9,
                            id_prefix="S")
    response = post(client, written.path, django_capture_on_commit_callbacks)
    record = DatasetImport.objects.get()
    assert response.status_code == 302 and record.status == ImportStatus.LOADED, record.summary
    annex = AnnexAReturn.objects.get()
    page = client.get(response["Location"]).content.decode()
    summary_url = reverse("datasets:annex-a-summary", args=[annex.pk])
    assert summary_url in page and "List 3: Referrals" in page
    summary = client.get(summary_url).content.decode()
    assert "1 October 2021 to 31 March 2022" in summary
    assert "3. Referrals" in summary and "No CIN census is loaded for LA 860" in summary
    assert AuditEvent.objects.filter(object_id=str(record.pk), action="read",
                                     purpose="view Annex A return summary").exists()
    response = client.get(reverse("datasets:annex-a-summary-csv", args=[annex.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["list", "name", "annex_a_rows", "cin_census", "difference",
                       "cin_census_counts", "note"]
    assert rows[3][:3] == ["3", "Referrals", str(written.counts[3])]
    assert AuditEvent.objects.filter(object_id=str(record.pk), action="export").count() == 1


def test_the_summary_shows_the_census_figures_beside_the_lists(client_for, census, tmp_path):
    staffs = Partnership.objects.get(code="STAFFS")
    services.import_file(actor=None, partnership=staffs, kind="cin-census",
                         path=census(year=2022, children=25, seed=9, id_prefix="S"))
    written = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=25, seed=9,
                            id_prefix="S")
    services.import_file(actor=None, partnership=staffs, kind="annex-a", path=written.path)
    annex = AnnexAReturn.objects.get()
    page = client_for("business.staffs").get(
        reverse("datasets:annex-a-summary", args=[annex.pk])).content.decode()
    assert "CIN census referrals with a referral date in the period" in page
    assert "No CIN census" not in page


def test_a_workbook_must_be_xlsx_and_the_la_must_be_the_partnerships(
        client_for, tmp_path, django_capture_on_commit_callbacks):
    client = client_for("business.staffs")
    csv_file = tmp_path / "annex.csv"
    csv_file.write_text("a,b\n")
    response = post(client, csv_file, django_capture_on_commit_callbacks)
    assert "must be a XLSX file" in response.content.decode()
    other = LocalAuthority.objects.get(old_code="861")
    response = post(client, one_list_workbook(tmp_path / "a.xlsx", 1),
                    django_capture_on_commit_callbacks, local_authority=str(other.pk))
    assert "Select one of the partnership" in response.content.decode()
    assert not DatasetImport.objects.exists()
    own = LocalAuthority.objects.get(old_code="860")
    post(client, one_list_workbook(tmp_path / "a.xlsx", 1), django_capture_on_commit_callbacks,
         local_authority=str(own.pk))
    assert DatasetImport.objects.get().status == ImportStatus.LOADED


def test_another_partnerships_summary_is_refused(client_for, tmp_path):
    stoke = Partnership.objects.get(code="STOKE")
    record = services.import_file(actor=None, partnership=stoke, kind="annex-a",
                                  path=one_list_workbook(tmp_path / "a.xlsx", 1))
    annex = AnnexAReturn.objects.get()
    for name in ("datasets:annex-a-summary", "datasets:annex-a-summary-csv"):
        assert client_for("business.staffs").get(
            reverse(name, args=[annex.pk])).status_code == 403
    assert AuditEvent.objects.filter(object_id=str(record.pk), action="denied").exists()
    assert client_for("business.stoke").get(
        reverse("datasets:annex-a-summary", args=[annex.pk])).status_code == 200
    assert client_for("social.worker").get(
        reverse("datasets:annex-a-summary", args=[annex.pk])).status_code == 403


def test_a_summary_that_does_not_exist_is_404(client_for):
    assert client_for("business.staffs").get(
        reverse("datasets:annex-a-summary", args=[999])).status_code == 404
