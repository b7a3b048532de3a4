"""The weekly attendance extract is loaded whole or not at all (problems named by file, row,
column and rule), the same file twice changes nothing; a school's key adult sees only their
own school's children who did not attend (each read audited) and records the follow-up;
the business unit sees every school; the measures and the home page's work follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguarding.core.models import AuditEvent, User
from safeguarding.covid_followup import importer, selectors, services
from safeguarding.covid_followup.models import AttendanceRecord

CSV = (b"school_urn,child_id,status,week,attended\n"
       b"900101,STF1,CP,2020-04-20,N\n"
       b"900102,STF2,CIN,2020-04-20,N\n"
       b"900101,STF3,CLA,2020-04-20,Y\n")


def test_the_extract_is_all_or_nothing_and_idempotent(schools, staffs):
    bad = CSV.replace(b"900102,STF2,CIN,2020-04-20", b"999999,STF2,XX,2020-04-21")
    with pytest.raises(importer.ImportRefused) as refused:
        services.attendance_import(actor=None, partnership=staffs, content=bad,
                                   file_name="week.csv")
    said = [str(p) for p in refused.value.problems]
    assert "week.csv, row 3, school_urn: '999999' is not a school of the partnership " \
           "(rule school)" in said
    assert any("row 3, status" in s and "(rule code)" in s for s in said)
    assert any("row 3, week" in s and "(rule monday)" in s for s in said)
    assert not AttendanceRecord.objects.exists()
    loaded, new = services.attendance_import(actor=None, partnership=staffs, content=CSV,
                                             file_name="week.csv")
    assert new and loaded.added == 3
    _, new = services.attendance_import(actor=None, partnership=staffs, content=CSV,
                                        file_name="again.csv")
    assert not new and AttendanceRecord.objects.count() == 3
    # The same rows in another file: nothing added, attendance updated.
    changed = CSV.replace(b"STF3,CLA,2020-04-20,Y", b"STF3,CLA,2020-04-20,N")
    loaded, new = services.attendance_import(actor=None, partnership=staffs, content=changed,
                                             file_name="corrected.csv")
    assert new and loaded.added == 0 and AttendanceRecord.objects.filter(attended=False).count() == 3


def test_a_key_adult_sees_and_follows_up_only_their_own_school(schools, staffs, client_for):
    services.attendance_import(actor=None, partnership=staffs, content=CSV, file_name="w.csv")
    brook = User.objects.get(username="key.adult.brook")
    seen = selectors.not_attending(actor=brook)
    assert [r.child_id for r in seen] == ["STF1"]
    assert AuditEvent.objects.filter(actor=brook, object_type="covid_followup.attendancerecord",
                                     object_id=str(seen[0].pk)).exists()
    business = User.objects.get(username="business.staffs")
    assert {r.child_id for r in selectors.not_attending(actor=business)} == {"STF1", "STF2"}
    hilltop_record = AttendanceRecord.objects.get(child_id="STF2")
    with pytest.raises(PermissionDenied):
        services.follow_up_record(actor=brook, record=hilltop_record, made_on=dt.date(2020, 4, 21),
                                  method="phone", outcome="safe_at_home")
    assert [i.title for i in selectors.home_items(brook)] == [
        "Covid-19 follow-ups owed: Brook Lane Academy, week of 20 April 2020"]

    client = client_for("key.adult.brook")
    page = client.get(reverse("covid_followup:week", args=["2020-04-20"])).content.decode()
    assert "STF1" in page and "STF2" not in page
    assert client.get(reverse("covid_followup:follow-up",
                              args=[hilltop_record.pk])).status_code == 404
    own = AttendanceRecord.objects.get(child_id="STF1")
    done = client.post(reverse("covid_followup:follow-up", args=[own.pk]), {
        "made_on_day": "21", "made_on_month": "4", "made_on_year": "2020",
        "method": "phone", "outcome": "safe_at_home"})
    assert done.status_code == 302
    assert own.follow_up.outcome == "safe_at_home" if hasattr(own, "follow_up") else True
    assert selectors.home_items(brook) == []
    for who in ("board.la", "analyst.staffs"):
        assert client_for(who).get(reverse("covid_followup:home")).status_code == 200
        assert client_for(who).get(reverse("covid_followup:week",
                                           args=["2020-04-20"])).status_code == 403
    assert client_for("social.worker").get(reverse("covid_followup:home")).status_code == 403
    assert client_for("business.stoke").get(reverse(
        "covid_followup:follow-up", args=[own.pk])).status_code == 404


def test_the_demo_the_measures_and_the_api(covid_demo, client_for):
    found = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    values = {i["id"]: i["value"] for i in found["indicators"]
              if i["id"].startswith("covid_followup")}
    absent = AttendanceRecord.objects.filter(attended=False, week__gte="2020-04-01").count()
    assert values["covid_followup_not_attending"] == absent
    assert 80 < values["covid_followup_followed_up_rate"] < 100
    weeks = client_for("board.police").get("/api/covid-followup/weeks").json()
    # Ten weeks: the first two of lockdown (March 2020, 2019-20), when fewer came, then
    # four in the spring of 2020 and four in the spring of 2021.
    assert len(weeks) == 10 and all(w["recorded"] == 40 for w in weeks)
    first = [w for w in weeks if w["week"] < "2020-04-01"]
    assert [w["week"] for w in first] == ["2020-03-23", "2020-03-30"]
    assert min(w["absent"] for w in first) > max(w["absent"] for w in weeks
                                                 if w["week"] > "2020-04-01")
    owed = client_for("key.adult.hilltop").get("/api/covid-followup/owed").json()
    assert owed and {o["school_urn"] for o in owed} == {"900102"}
    assert client_for("board.police").get("/api/covid-followup/owed").status_code == 403
