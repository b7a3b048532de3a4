"""Checking a CIN census return against the spec of its collection year."""

from __future__ import annotations

import pytest

from safeguarding.datasets.readers import cin_xml
from safeguarding.datasets.validation.cin_census import ChildChecker, check_header
from safeguarding.datasets.validation.problems import ProblemLog

CHILD = """<Child>
  <ChildIdentifiers><LAchildID>{id}</LAchildID><PersonBirthDate>2012-04-01</PersonBirthDate>
    <GenderCurrent>2</GenderCurrent>{identifiers}</ChildIdentifiers>
  <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
  <CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>{source}</ReferralSource>
    <ReferralNFA>0</ReferralNFA>{episode}</CINdetails>{extra}
</Child>"""


def child(id="A1", referral="2020-06-01", source="6", identifiers="", episode="", extra=""):
    return CHILD.format(id=id, referral=referral, source=source, identifiers=identifiers,
                        episode=episode, extra=extra)


def check(tmp_path, *children, year=2021, la="860", reference=None):
    text = (f"<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
            f"<ReferenceDate>{reference or f'{year}-03-31'}</ReferenceDate></CollectionDetails>"
            f"<Source><LEA>{la}</LEA></Source></Header><Children>\n"
            + "\n".join(children) + "\n</Children></Message>")
    path = tmp_path / "return.xml"
    path.write_text(text)
    log = ProblemLog(path.name, max_errors=100)
    items = cin_xml.read(path)
    header, refused = check_header(next(items), log, covered_la_codes={"860"},
                                   partnership_code="STAFFS")
    records = []
    if header is not None:
        checker = ChildChecker(header.spec, log)
        records = [checker.check(node) for node in items]
    return log, records, refused


def rules(log) -> list[tuple[str, str, str]]:
    return [(p.rule, p.child, p.field) for p in log.kept]


def test_a_clean_child_becomes_a_record_of_plain_values(tmp_path):
    log, [record], _ = check(tmp_path, child(episode="<CINclosureDate>2020-07-01</CINclosureDate>"
                                                    "<ReasonForClosure>RC7</ReasonForClosure>"))
    assert log.kept == []
    assert record["LAchildID"] == "A1" and record["PersonBirthDate"] == "2012-04-01"
    episode = record["episodes"][0]
    assert episode["ReferralNFA"] is False and episode["CINclosureDate"] == "2020-07-01"
    assert episode["assessments"] == [] and episode["cpps"] == []


@pytest.mark.parametrize("year, code, ok", [
    (2021, "5D", False), (2022, "5D", True), (2026, "5D", True)])
def test_referral_source_codes_follow_the_collection_year(tmp_path, year, code, ok):
    log, _, _ = check(tmp_path, child(source=code, referral=f"{year - 1}-06-01"), year=year)
    assert rules(log) == ([] if ok else [("SCP-CODE", "A1", "ReferralSource")])
    if not ok:
        assert log.kept[0].message == "ReferralSource '5D' is not a 2020/21 code for referral source"


@pytest.mark.parametrize("year, ok", [(2022, False), (2023, True)])
def test_closure_reason_rc9_arrives_in_2022_23(tmp_path, year, ok):
    episode = "<CINclosureDate>{0}-07-01</CINclosureDate><ReasonForClosure>RC9</ReasonForClosure>"
    log, _, _ = check(tmp_path, child(referral=f"{year - 1}-06-01",
                                      episode=episode.format(year - 1)), year=year)
    assert rules(log) == ([] if ok else [("SCP-CODE", "A1", "ReasonForClosure")])


def test_date_order_rules_name_the_later_field(tmp_path):
    episode = ("<CINclosureDate>2020-05-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"
               "<Assessments><AssessmentActualStartDate>2020-06-10</AssessmentActualStartDate>"
               "<AssessmentAuthorisationDate>2020-06-09</AssessmentAuthorisationDate></Assessments>"
               "<ChildProtectionPlans><CPPstartDate>2020-07-01</CPPstartDate>"
               "<CPPendDate>2020-06-30</CPPendDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
               "</ChildProtectionPlans>")
    log, [record], _ = check(tmp_path, child(episode=episode))
    assert record is None
    assert rules(log) == [("8630", "A1", "CINclosureDate"),
                          ("8608", "A1", "AssessmentAuthorisationDate"),
                          ("8925", "A1", "CPPendDate")]
    assert all(p.row and p.file == "return.xml" and p.message for p in log.kept)


def test_a_bad_value_is_reported_once_not_again_by_the_rules_that_use_it(tmp_path):
    episode = "<CINclosureDate>2020-02-30</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"
    log, _, _ = check(tmp_path, child(episode=episode, referral="not-a-date"))
    assert rules(log) == [("SCP-DATE", "A1", "CINreferralDate"),
                          ("SCP-DATE", "A1", "CINclosureDate")]


def test_duplicates_in_a_file_are_errors(tmp_path):
    second_episode = ("<CINdetails><CINreferralDate>2020-06-01</CINreferralDate>"
                      "<ReferralSource>6</ReferralSource><ReferralNFA>0</ReferralNFA></CINdetails>")
    log, _, _ = check(tmp_path, child(id="A1", extra=second_episode), child(id="A1"))
    assert rules(log) == [("SCP-DUPLICATE-REFERRAL", "A1", "CINreferralDate"),
                          ("SCP-DUPLICATE-CHILD", "A1", "LAchildID")]
    assert "first at line" in log.kept[0].message


def test_two_plans_with_one_start_date_are_an_error_across_episodes(tmp_path):
    plan = ("<ChildProtectionPlans><CPPstartDate>2020-07-01</CPPstartDate>"
            "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse></ChildProtectionPlans>")
    second = ("<CINdetails><CINreferralDate>2020-09-01</CINreferralDate><ReferralSource>6"
              f"</ReferralSource><ReferralNFA>0</ReferralNFA>{plan}</CINdetails>")
    log, _, _ = check(tmp_path, child(episode=plan, extra=second))
    assert rules(log) == [("SCP-DUPLICATE-CPP", "A1", "CPPstartDate")]


def test_missing_values_unknown_ids_and_bad_upns(tmp_path):
    log, _, _ = check(tmp_path, child(id="TOO-LONG-ID-123", identifiers="<UPN>B123456789012</UPN>"),
                      child(id="B1", referral=""))
    assert rules(log) == [("SCP-LA-CHILD-ID", "TOO-LONG-ID-123", "LAchildID"),
                          ("SCP-UPN", "TOO-LONG-ID-123", "UPN"),
                          ("SCP-REQUIRED", "B1", "CINreferralDate")]


def test_events_after_the_reference_date_and_episodes_closed_before_the_year(tmp_path):
    late = child(id="A1", referral="2021-04-02")
    early = child(id="A2", referral="2019-01-01",
                  episode="<CINclosureDate>2020-03-01</CINclosureDate>"
                          "<ReasonForClosure>RC7</ReasonForClosure>")
    log, _, _ = check(tmp_path, late, early)
    assert rules(log) == [("SCP-AFTER-REFERENCE-DATE", "A1", "CINreferralDate"),
                          ("SCP-CLOSED-BEFORE-YEAR", "A2", "CINclosureDate")]


@pytest.mark.parametrize("year, code, ok", [
    (2020, "18A", True), (2020, "18B", False), (2021, "18A", False), (2021, "18B", True)])
def test_a_2019_20_return_reads_the_abuse_factors_of_its_year(tmp_path, year, code, ok):
    assessment = ("<Assessments><AssessmentActualStartDate>{d}</AssessmentActualStartDate>"
                  "<FactorsIdentifiedAtAssessment><AssessmentFactors>{c}</AssessmentFactors>"
                  "</FactorsIdentifiedAtAssessment></Assessments>").format(
                      d=f"{year - 1}-06-02", c=code)
    log, [record], refused = check(tmp_path, child(referral=f"{year - 1}-06-01",
                                                   episode=assessment), year=year)
    assert not refused
    assert (log.errors == 0) is ok
    if not ok:
        assert rules(log) == [("SCP-CODE", "A1", "AssessmentFactors")]


def test_a_death_closure_without_a_death_date_is_a_query_not_an_error(tmp_path):
    episode = "<CINclosureDate>2020-07-01</CINclosureDate><ReasonForClosure>RC2</ReasonForClosure>"
    log, [record], _ = check(tmp_path, child(episode=episode))
    assert record is not None and log.errors == 0 and log.queries == 1
    assert rules(log) == [("8585Q", "A1", "ReasonForClosure")]


def test_sex_is_read_as_another_name_for_gender(tmp_path):
    text = child().replace("<GenderCurrent>2</GenderCurrent>", "<Sex>2</Sex>")
    log, [record], _ = check(tmp_path, text)
    assert log.kept == [] and record["GenderCurrent"] == "2"


def test_a_part_in_the_wrong_place_is_an_error_not_silently_dropped(tmp_path):
    misplaced = "<Section47><S47ActualStartDate>2020-06-02</S47ActualStartDate></Section47>"
    log, _, _ = check(tmp_path, child(extra=misplaced))
    assert rules(log) == [("SCP-MISPLACED", "A1", "Section47")]


def test_header_problems(tmp_path):
    log, _, refused = check(tmp_path, child(), year=2017)
    assert refused and [p.rule for p in log.kept] == ["SCP-HEADER-YEAR"]
    assert "2017/18, 2018/19, 2019/20, 2020/21" in log.kept[0].message
    log, _, refused = check(tmp_path, child(), reference="2021-03-30")
    assert not refused and [p.rule for p in log.kept] == ["SCP-HEADER-REFERENCE-DATE"]
    log, _, refused = check(tmp_path, child(), la="861")
    assert refused and log.kept[0].rule == "SCP-HEADER-LA"
    assert log.kept[0].message == "The return is for LA 861, which partnership STAFFS does not cover"
