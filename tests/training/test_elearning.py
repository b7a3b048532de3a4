"""E-learning completions from the platform's CSV (all or nothing, the same file twice
changes nothing, every problem named by file, row, column and rule), counted in the
e-learning completions measure; the learner record shows who is due a refresher, the
business unit's list and the coverage table by organisation and level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import User
from safeguarding.training import contract, importer, selectors, services
from safeguarding.training.models import Completion, CompletionImport

HEADER = "learner,organisation,course_code,completed_on\n"


@pytest.fixture
def elearning(staffs):
    return services.course_add(
        actor=None, partnership=staffs, code="EL1", title="Safeguarding universal e-learning",
        level="level_1", audience="Everyone", outcomes="Raise a concern", format="e_learning",
        length="half_day", refresh_months=24)


def _agency(user: User) -> str:
    return user.memberships.first().agency.name


def _csv(learners, *rows) -> bytes:
    return (HEADER + "".join(rows)).encode()


def test_a_file_loads_once_and_counts_in_the_measure(elearning, learners, staffs):
    worker, officer = learners["social.worker"], learners["police.officer"]
    stoke = learners["social.worker.stoke"]  # Stoke trains on Staffordshire's programme
    content = _csv(learners, f"{worker.email},{_agency(worker)},EL1,2020-10-01\n",
                   f"police.officer,{_agency(officer)},el1,2020-11-02\n",
                   f"{stoke.email},{_agency(stoke)},EL1,2021-01-05\n")
    record = services.completions_import(actor=None, partnership=staffs, content=content,
                                         file_name="el.csv")
    assert (record.added, record.unchanged) == (3, 0)
    again = services.completions_import(actor=None, partnership=staffs, content=content,
                                        file_name="el.csv")
    assert again.pk == record.pk and Completion.objects.count() == 3
    # A new file repeating one completion adds only what is new.
    more = services.completions_import(
        actor=None, partnership=staffs, file_name="el2.csv",
        content=_csv(learners, f"{worker.email},{_agency(worker)},EL1,2020-10-01\n",
                     f"{worker.email},{_agency(worker)},EL1,2021-02-01\n"))
    assert (more.added, more.unchanged) == (1, 1)
    las = list(staffs.local_authorities.values_list("old_code", flat=True))
    rows = selectors.completion_rows(las)
    assert len(rows) == 4 and all(r[1].startswith("e") for r in rows)
    assert any(f.name == "training_elearning_completions" for f in contract.FRAMES)


def test_a_bad_file_loads_nothing_and_names_each_problem(elearning, learners, staffs):
    worker = learners["social.worker"]
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    content = _csv(learners, f"{worker.email},{_agency(worker)},EL1,2020-10-01\n",
                   f"nobody@example.org,{_agency(worker)},EL1,2020-10-01\n",
                   f"{worker.email},Made-up agency,EL9,{future}\n",
                   f"{worker.email},{_agency(worker)},EL1,01/10/2020\n")
    with pytest.raises(importer.ImportRefused) as refused:
        services.completions_import(actor=None, partnership=staffs, content=content,
                                    file_name="bad.csv")
    found = {(p.file, p.row, p.column, p.rule) for p in refused.value.problems}
    assert ("bad.csv", 4, "completed_on", "not_future") in found
    assert ("bad.csv", 5, "completed_on", "date") in found
    assert Completion.objects.count() == 0 and CompletionImport.objects.count() == 0
    # Format fixed: now the lookups are checked, each named.
    content = _csv(learners, f"{worker.email},{_agency(worker)},EL1,2020-10-01\n",
                   f"nobody@example.org,{_agency(worker)},EL1,2020-10-01\n",
                   f"{worker.email},Made-up agency,EL9,2020-10-02\n")
    with pytest.raises(importer.ImportRefused) as refused:
        services.completions_import(actor=None, partnership=staffs, content=content,
                                    file_name="bad.csv")
    found = {(p.row, p.column, p.rule) for p in refused.value.problems}
    assert found == {(3, "learner", "known_learner"), (4, "organisation", "known_organisation"),
                     (4, "course_code", "known_course")}
    assert Completion.objects.count() == 0
    with pytest.raises(importer.ImportRefused) as refused:
        services.completions_import(actor=None, partnership=staffs, file_name="h.csv",
                                    content=b"email,course\nx,y\n")
    assert refused.value.problems[0].rule == "header"


def test_the_import_page_for_the_business_unit_only(elearning, learners, staffs, client_for):
    worker = learners["social.worker"]
    url = reverse("training:elearning-import", args=[staffs.pk])
    assert client_for("social.worker").get(url).status_code == 403
    assert client_for("business.stoke").get(url).status_code == 403
    business = client_for("business.staffs")
    bad = business.post(url, {"file": SimpleUploadedFile(
        "bad.csv", _csv(learners, f"{worker.email},{_agency(worker)},NOPE,2020-10-01\n"))})
    text = bad.content.decode()
    assert "Nothing was loaded" in text and "known_course" in text
    good = business.post(url, {"file": SimpleUploadedFile(
        "good.csv", _csv(learners, f"{worker.email},{_agency(worker)},EL1,2020-10-01\n"))})
    assert good.status_code == 302 and Completion.objects.count() == 1


def test_the_learner_record_shows_refreshers_due(elearning, course, learners, staffs,
                                                 client_for, monkeypatch):
    worker, officer = learners["social.worker"], learners["police.officer"]
    today = timezone.localdate()
    nearly = today - dt.timedelta(days=700)  # 24-month refresher falls due in about 30 days
    services.completions_import(
        actor=None, partnership=staffs, file_name="el.csv",
        content=_csv(learners, f"{worker.email},{_agency(worker)},EL1,{nearly}\n",
                     f"{officer.email},{_agency(officer)},EL1,{today - dt.timedelta(days=30)}\n"))
    [mine] = selectors.learner_record(worker, today)
    assert mine.status == "due" and mine.due > today
    assert selectors.learner_record(officer, today)[0].status == "in_date"
    [item] = contract.home_items(worker)
    assert item.kind == "action" and "Refresher due" in item.title and not item.overdue
    assert contract.home_items(officer) == []
    page = client_for("social.worker").get(reverse("training:my-record")).content.decode()
    assert "Refresher due" in page and "Safeguarding universal e-learning" in page
    listing = client_for("business.staffs").get(reverse("training:refreshers",
                                                        args=[staffs.pk])).content.decode()
    assert "1 refresher due or overdue" in listing
    assert client_for("social.worker").get(
        reverse("training:refreshers", args=[staffs.pk])).status_code == 403
    # Overdue a year later; still counted in coverage until then.
    later = today + dt.timedelta(days=400)
    assert selectors.learner_record(worker, later)[0].status == "overdue"
    table = selectors.coverage_table(staffs, today)
    level_1 = [code for code, _ in table["levels"]].index("level_1")
    assert table["totals"][level_1] == 2 and table["learners"] == 2
    assert selectors.coverage_table(staffs, later)["totals"][level_1] == 1
    page = client_for("business.staffs").get(reverse("training:coverage", args=[staffs.pk]))
    assert "Coverage by organisation and competency level" in page.content.decode()


def test_the_commands_import_and_list_refreshers(elearning, learners, staffs, tmp_path, capsys):
    worker = learners["social.worker"]
    path = tmp_path / "el.csv"
    path.write_bytes(_csv(learners, f"{worker.email},{_agency(worker)},EL1,"
                                    f"{timezone.localdate() - dt.timedelta(days=800)}\n"))
    call_command("training", "import-elearning", "STAFFS", str(path))
    assert "1 added, 0 already held" in capsys.readouterr().out
    call_command("training", "refreshers", "STAFFS")
    assert "social.worker\t" in capsys.readouterr().out
    path.write_bytes(b"learner\nx\n")
    with pytest.raises(Exception, match="Nothing was loaded"):
        call_command("training", "import-elearning", "STAFFS", str(path))
