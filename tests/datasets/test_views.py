"""The import pages: who may open them, an upload run as a task, progress, result and errors CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.datasets import synthetic
from safeguarding.datasets.models import CinEpisode, DatasetImport, ImportKind, ImportStatus


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.DATASETS_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def upload(client, path, *, kind=ImportKind.CIN_CENSUS, partnership="STAFFS", check=False,
           capture=None):
    data = {"partnership": Partnership.objects.get(code=partnership).pk, "kind": kind,
            "file": SimpleUploadedFile(path.name, path.read_bytes())}
    if check:
        data["check_only"] = "on"
    with capture(execute=True):
        return client.post(reverse("datasets:import-add"), data)


@pytest.mark.parametrize("username, status", [
    ("business.staffs", 200), ("analyst.staffs", 200), ("admin", 403), ("board.police", 403),
    ("scrutiny.member", 403), ("social.worker", 403), ("key.adult.brook", 403),
])
def test_who_may_open_the_import_pages(client_for, username, status):
    client = client_for(username)
    assert client.get(reverse("datasets:import-list")).status_code == status
    assert client.get(reverse("datasets:import-add")).status_code == status


def test_the_capability_shows_for_the_business_unit_only(client_for):
    assert "Data imports" in client_for("business.staffs").get("/").content.decode()
    assert "Data imports" not in client_for("social.worker").get("/").content.decode()


def test_an_upload_runs_as_a_task_and_shows_the_result(client_for, census, uploads,
                                                       django_capture_on_commit_callbacks):
    client = client_for("business.staffs")
    response = upload(client, census(children=12), capture=django_capture_on_commit_callbacks)
    record = DatasetImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("datasets:import-detail", args=[record.pk])
    assert record.status == ImportStatus.LOADED and record.actor_label == "business.staffs"
    assert CinEpisode.objects.exists()
    assert record.upload_path == "" and not list(uploads.iterdir())  # the file is removed
    page = client.get(response["Location"]).content.decode()
    assert "Loaded 12 children" in page and "Child index" in page
    assert AuditEvent.objects.filter(object_type="datasets.datasetimport",
                                     object_id=str(record.pk), action="read").exists()
    listing = client.get(reverse("datasets:import-list")).content.decode()
    assert record.file_name in listing


def test_an_upload_with_errors_lists_them_and_offers_the_csv(client_for, census,
                                                             django_capture_on_commit_callbacks):
    client = client_for("analyst.staffs")
    path = census(children=10, inject=[synthetic.Injection("cpp_end_before_start", 3)])
    upload(client, path, capture=django_capture_on_commit_callbacks)
    record = DatasetImport.objects.get()
    assert record.status == ImportStatus.FAILED
    page = client.get(reverse("datasets:import-detail", args=[record.pk])).content.decode()
    assert "8925" in page and census.written.planted[0].la_child_id in page
    response = client.get(reverse("datasets:import-errors-csv", args=[record.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["file", "row", "child", "field", "rule", "message"]
    assert rows[1][0] == path.name and rows[1][3:5] == ["CPPendDate", "8925"]
    assert AuditEvent.objects.filter(object_id=str(record.pk), action="export").count() == 1


def test_check_only_from_the_page_loads_nothing(client_for, census,
                                                django_capture_on_commit_callbacks):
    upload(client_for("business.staffs"), census(children=8), check=True,
           capture=django_capture_on_commit_callbacks)
    assert DatasetImport.objects.get().status == ImportStatus.CHECKED
    assert not CinEpisode.objects.exists()


def test_the_form_refuses_a_file_of_the_wrong_type_or_another_partnership(
        client_for, census, django_capture_on_commit_callbacks):
    client = client_for("business.staffs")
    response = upload(client, census(children=5), kind=ImportKind.DFE_BENCHMARKS,
                      capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "must be a CSV file" in response.content.decode()
    response = upload(client, census(children=5), partnership="STOKE",
                      capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not DatasetImport.objects.exists()


def test_a_file_over_the_limit_is_refused_by_the_form(client_for, census, settings,
                                                      django_capture_on_commit_callbacks):
    settings.DATASETS_MAX_FILE_BYTES = 100
    response = upload(client_for("business.staffs"), census(children=5),
                      capture=django_capture_on_commit_callbacks)
    assert "the largest accepted is 100 bytes" in response.content.decode()
    assert not DatasetImport.objects.exists()


def _queued(partnership_code="STAFFS") -> DatasetImport:
    return DatasetImport.objects.create(
        kind=ImportKind.CIN_CENSUS, partnership=Partnership.objects.get(code=partnership_code),
        file_name="waiting.xml", actor_label="business.staffs", status=ImportStatus.QUEUED)


def test_a_queued_import_shows_progress_that_polls(client_for):
    record = _queued()
    client = client_for("business.staffs")
    page = client.get(reverse("datasets:import-detail", args=[record.pk])).content.decode()
    status_url = reverse("datasets:import-status", args=[record.pk])
    assert f'hx-get="{status_url}"' in page and 'aria-live="polite"' in page
    assert "htmx-config.js" in page and "refresh it" in page
    assert client.get(status_url, HTTP_HX_REQUEST="true").status_code == 200
    DatasetImport.objects.filter(pk=record.pk).update(status=ImportStatus.LOADED)
    finished = client.get(status_url, HTTP_HX_REQUEST="true")
    assert finished.status_code == 286  # htmx stops polling
    assert "See the result" in finished.content.decode()
    assert client.get(status_url).status_code == 200


def test_another_partnerships_import_is_refused_and_the_refusal_audited(client_for):
    record = _queued("STOKE")
    client = client_for("business.staffs")
    for name in ("datasets:import-detail", "datasets:import-status", "datasets:import-errors-csv"):
        assert client.get(reverse(name, args=[record.pk])).status_code == 403
    assert AuditEvent.objects.filter(object_id=str(record.pk), action="denied").exists()
    assert client_for("business.stoke").get(
        reverse("datasets:import-detail", args=[record.pk])).status_code == 200


def test_an_import_that_does_not_exist_is_404(client_for):
    assert client_for("business.staffs").get(
        reverse("datasets:import-detail", args=[999])).status_code == 404


def test_the_command_line_actor_is_shown_as_command_line(client_for, census):
    from safeguarding.datasets import services

    services.import_file(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                         kind=ImportKind.CIN_CENSUS, path=census(children=4))
    page = client_for("business.staffs").get(reverse("datasets:import-list")).content.decode()
    assert "command line" in page
    assert User.objects.filter(username="business.staffs").exists()


def test_an_empty_form_says_what_to_do(client_for):
    response = client_for("business.staffs").post(reverse("datasets:import-add"), {})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Select what is in the file" in page and "Select a file to upload" in page
    assert "govuk-file-upload--error" in page


def test_an_ssda903_zip_upload_runs_and_shows_the_result(client_for, tmp_path, uploads,
                                                         django_capture_on_commit_callbacks):
    from safeguarding.datasets.models import ClaEpisode
    from safeguarding.datasets.synthetic.ssda903 import write_ssda903

    (archive,) = write_ssda903(tmp_path / "903", la_code="860", year=2021, children=150,
                               seed=7, as_zip=True).paths
    client = client_for("business.staffs")
    response = upload(client, archive, kind=ImportKind.SSDA903,
                      capture=django_capture_on_commit_callbacks)
    record = DatasetImport.objects.get()
    assert response.status_code == 302 and record.status == ImportStatus.LOADED, record.summary
    assert record.file_name == archive.name and ClaEpisode.objects.exists()
    assert not list(uploads.iterdir())
    page = client.get(response["Location"]).content.decode()
    assert "Loaded " in page and "episodes of care for LA 860, 2020/21" in page
    assert "Child index" in page and "Episodes of care" in page and "CIN episodes" not in page
    assert "Reviews of looked-after children" in page


def test_the_local_authority_choice_is_for_ssda903_only(client_for, census,
                                                        django_capture_on_commit_callbacks):
    from safeguarding.core.models import LocalAuthority

    client = client_for("business.staffs")
    data = {"partnership": Partnership.objects.get(code="STAFFS").pk,
            "kind": ImportKind.CIN_CENSUS,
            "local_authority": LocalAuthority.objects.get(old_code="860").pk,
            "file": SimpleUploadedFile("c.xml", census(children=3).read_bytes())}
    response = client.post(reverse("datasets:import-add"), data)
    assert "Choose a local authority only for an SSDA903 return" in response.content.decode()
    assert not DatasetImport.objects.exists()


def test_an_ssda903_zip_with_errors_names_the_table_file_of_each(
        client_for, tables_903, tmp_path, django_capture_on_commit_callbacks):
    import zipfile

    header = {"CHILD": "A1", "SEX": "1", "DOB": "01/06/2012", "ETHNIC": "WBRI", "UPN": "UN2"}
    episode = {"CHILD": "B2", "DECOM": "01/05/2020", "RNE": "S", "LS": "C1", "CIN": "N1",
               "PLACE": "U6"}
    archive = tmp_path / "return.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in tables_903({"header": [header], "episodes": [episode]}):
            out.write(path, arcname=f"903/{path.name}")
    client = client_for("business.staffs")
    upload(client, archive, kind=ImportKind.SSDA903, capture=django_capture_on_commit_callbacks)
    record = DatasetImport.objects.get()
    assert record.status == ImportStatus.FAILED
    page = client.get(reverse("datasets:import-detail", args=[record.pk])).content.decode()
    assert "return.zip/903/episodes.csv" in page and "SCP903-CHILD-NOT-IN-HEADER" in page
    assert "the file within the return" in page
