"""Measures that look back before their period say so when the loaded returns do not
reach back, and give the true figure once they do (issue 13, section 2).

The returns are built so the truth is known: in 2020/21 there are 72 referrals, 14 of
them re-referrals within 12 months (7 of the earlier referrals are in the 2019/20
return only), and 20 child protection plans start, 5 of them second plans whose first
plan ended in 2019/20 (each plan records NumberOfPreviousCPP, as DfE rule 8730 requires).
"""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.core import services as core_services
from safeguarding.datasets import services
from safeguarding.datasets.models import ImportKind, ImportStatus
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.engine import Engine
from safeguarding.measures.periods import parse
from safeguarding.measures.sources import measure_data

D = dt.date
LA = "860"
INCOMPLETE = "incomplete: load the 2019/20 return"


def _episode(referral, *, closed=None, plan=None, previous=None):
    closure = (f"<CINclosureDate>{closed}</CINclosureDate>"
               "<ReasonForClosure>RC7</ReasonForClosure>") if closed else ""
    inner = ""
    if plan:
        start, end = plan
        inner += (f"<Section47><S47ActualStartDate>{start - dt.timedelta(days=7)}"
                  f"</S47ActualStartDate><DateOfInitialCPC>{start}</DateOfInitialCPC>"
                  "<ICPCnotRequired>false</ICPCnotRequired></Section47>")
        inner += (f"<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>"
                  + (f"<CPPendDate>{end}</CPPendDate>" if end else "")
                  + "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
                  "<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
                  + (f"<NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>"
                     if previous is not None else "")
                  + "</ChildProtectionPlans>")
    return (f"<CINdetails><CINreferralDate>{referral}</CINreferralDate>"
            "<ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
            f"{closure}<ReferralNFA>false</ReferralNFA>{inner}</CINdetails>")


def _child(child_id, episodes):
    return (f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID>"
            "<PersonBirthDate>2012-04-01</PersonBirthDate><GenderCurrent>1</GenderCurrent>"
            "</ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>"
            "<Disabilities><Disability>NONE</Disability></Disabilities>"
            f"</ChildCharacteristics>{''.join(episodes)}</Child>")


def _write(path, year, children):
    path.write_text(
        "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
        f"<Year>{year}</Year><ReferenceDate>{year}-03-31</ReferenceDate></CollectionDetails>"
        f"<Source><LEA>{LA}</LEA></Source></Header><Children>\n"
        + "\n".join(children) + "\n</Children></Message>")
    return path


def returns(tmp_path):
    """The 2019/20 and 2020/21 returns, as files. Every plan records NumberOfPreviousCPP,
    as DfE rule 8730 requires (a return without it is refused)."""
    earlier, current = [], []
    # 7 children referred in 2019/20, closed before 1 April 2020, re-referred within 12 months.
    for i in range(7):
        earlier.append(_child(f"R{i}", [_episode(D(2019, 10, 1), closed=D(2020, 1, 15))]))
        current.append(_child(f"R{i}", [_episode(D(2020, 6, 1))]))
    # 7 children referred twice in 2020/21: the second is a re-referral either way.
    for i in range(7):
        current.append(_child(f"T{i}", [_episode(D(2020, 5, 4), closed=D(2020, 7, 1)),
                                        _episode(D(2020, 11, 2))]))
    # 5 children whose first plan began and ended in 2019/20, with a second plan in 2020/21
    # over 12 months after their first referral (so not re-referrals).
    for i in range(5):
        earlier.append(_child(f"P{i}", [_episode(D(2019, 4, 8), closed=D(2019, 12, 2),
                                                 plan=(D(2019, 5, 6), D(2019, 11, 4)),
                                                 previous=0)]))
        current.append(_child(f"P{i}", [_episode(
            D(2021, 1, 4), plan=(D(2021, 2, 1), None),
            previous=1)]))
    # 46 children referred once in 2020/21; 15 of them start a first plan.
    for i in range(46):
        plan = (D(2020, 9, 7), None) if i < 15 else None
        current.append(_child(f"S{i}", [_episode(
            D(2020, 8, 3), plan=plan, previous=0 if plan else None)]))
    return _write(tmp_path / "cin_2020.xml", 2020, earlier), \
        _write(tmp_path / "cin_2021.xml", 2021, current)


@pytest.fixture
def staffs(db):
    return core_services.partnership_add(
        actor=None, code="STAFFS", name="Staffordshire Safeguarding Children Partnership",
        local_authorities=[(LA, "E10000028", "Staffordshire")])


def load(partnership, path):
    record = services.import_file(actor=None, partnership=partnership,
                                  kind=ImportKind.CIN_CENSUS, path=path)
    assert record.status == ImportStatus.LOADED, record.summary
    return record


def measures(period="2020-21"):
    ids = ["referrals", "cpp_starts", "rereferrals_within_12_months_rate",
           "cpp_second_or_subsequent_rate"]
    results = Engine(measure_data([LA])).compute(parse(period), [LA],
                                                 [catalogue()[i] for i in ids])
    return {r.id: r for r in results}


def test_with_only_2020_21_loaded_the_look_back_measures_say_incomplete(staffs, tmp_path):
    _, current = returns(tmp_path)
    load(staffs, current)
    found = measures()
    assert (found["referrals"].value, found["cpp_starts"].value) == (72, 20)
    rerefs = found["rereferrals_within_12_months_rate"]
    assert rerefs.value is None and rerefs.numerator is None
    assert rerefs.reason.startswith(INCOMPLETE)
    assert "CIN census, LA 860" in rerefs.reason
    # Second plans: every plan of a valid return records NumberOfPreviousCPP, so the
    # return answers without the year before.
    second = found["cpp_second_or_subsequent_rate"]
    assert (second.numerator, second.denominator, second.reason) == (5, 20, None)


def test_with_2019_20_loaded_too_they_give_the_true_figures(staffs, tmp_path):
    earlier, current = returns(tmp_path)
    load(staffs, current)
    load(staffs, earlier)
    found = measures()
    rerefs, second = found["rereferrals_within_12_months_rate"], found[
        "cpp_second_or_subsequent_rate"]
    assert (rerefs.numerator, rerefs.denominator, rerefs.value) == (14, 72, 19.4)
    assert (second.numerator, second.denominator, second.value) == (5, 20, 25.0)
    assert rerefs.reason is None and second.reason is None


def test_a_quarter_early_in_the_year_needs_the_year_before_too(staffs, tmp_path):
    _, current = returns(tmp_path)
    load(staffs, current)
    assert measures("2020-Q2")["rereferrals_within_12_months_rate"].reason.startswith(
        INCOMPLETE)
    # 2021-22 looks back into 2020/21 only, which is loaded; its own return is not,
    # which is said first.
    reason = measures("2021-22")["rereferrals_within_12_months_rate"].reason
    assert reason.startswith("No CIN census return covers 2021-22")


def test_number_of_previous_plans_on_the_return_answers_without_the_earlier_year(
        staffs, tmp_path):
    _, current = returns(tmp_path)
    load(staffs, current)
    second = measures()["cpp_second_or_subsequent_rate"]
    assert (second.numerator, second.denominator, second.reason) == (5, 20, None)


def test_the_catalogue_declares_every_look_back_it_needs():
    """The audit: only these measures count records from before their period; the others
    count what the period's own returns and extracts hold."""
    declared = {i.id: (i.lookback.data, i.lookback.months, i.lookback.unless_recorded)
                for i in catalogue().values() if i.lookback is not None}
    assert declared == {
        "rereferrals_within_12_months_rate": ("cin", 12, None),
        "cpp_second_or_subsequent_rate": ("cin", 12, "previous_plans"),
    }
    assert all(i.lookback.source for i in catalogue().values() if i.lookback is not None)


def test_the_reason_reaches_the_dashboard_the_api_and_the_cli(client_for, tmp_path):
    import io
    import json

    from django.core.management import call_command

    from safeguarding.core.models import Partnership

    _, current = returns(tmp_path)
    load(Partnership.objects.get(code="STAFFS"), current)
    client = client_for("board.police")
    page = client.get("/dashboard/STAFFS/measures/rereferrals_within_12_months_rate/",
                      {"period": "2020-21"}).content.decode()
    assert INCOMPLETE in page
    api = client.get("/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    out = io.StringIO()
    call_command("indicators", "--partnership", "STAFFS", "--period", "2020-21",
                 "--format", "json", stdout=out)
    for document in (api, json.loads(out.getvalue())):
        rows = {i["id"]: i for i in document["indicators"]}
        measure = "rereferrals_within_12_months_rate"
        assert rows[measure]["value"] is None
        assert rows[measure]["reason"].startswith(INCOMPLETE)
