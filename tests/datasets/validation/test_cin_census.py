"""Checking a CIN census return against the spec of its collection year."""

from __future__ import annotations

import pytest

from tests.datasets.validation.cin_clean import CLEAN_CHILD, check_text, for_year, return_text

EP1_CLOSURE = "<CINclosureDate>2022-12-01</CINclosureDate>"


def check(tmp_path, *children, year=2023, la="860", reference=None):
    return check_text(tmp_path, return_text(*children, year=year, la=la, reference=reference))


def rules(log) -> list[tuple[str, str, str]]:
    return [(p.rule, p.child, p.field) for p in log.kept]


def test_a_clean_child_becomes_a_record_of_plain_values(tmp_path):
    log, [record], _ = check(tmp_path, CLEAN_CHILD)
    assert log.kept == []
    assert record["LAchildID"] == "A1" and record["PersonBirthDate"] == "2012-04-01"
    first, second = record["episodes"]
    assert first["ReferralNFA"] is False and first["CINclosureDate"] == "2022-12-01"
    assert first["cpps"][0]["CPPreviewDate"] == ["2022-09-01"]
    assert second["assessments"][0]["AssessmentFactors"] == ["4B"] and second["cpps"] == []


@pytest.mark.parametrize("year, ok", [(2021, False), (2022, True), (2026, True)])
def test_referral_source_codes_follow_the_collection_year(tmp_path, year, ok):
    child = for_year(CLEAN_CHILD.replace("<ReferralSource>6<", "<ReferralSource>5D<"), year)
    log, _, _ = check(tmp_path, child, year=year)
    assert rules(log) == ([] if ok else [("8866", "A1", "ReferralSource")])
    if not ok:
        assert log.kept[0].message == ("Source of Referral is missing or an invalid code "
                                       "(ReferralSource '5D' is not a 2020/21 code for referral source)")


@pytest.mark.parametrize("year, ok", [(2022, False), (2023, True)])
def test_closure_reason_rc9_arrives_in_2022_23(tmp_path, year, ok):
    # RC9 on the first episode, which has no plans or enquiries after its assessment.
    child = CLEAN_CHILD.replace("RC7", "RC9")
    log, _, _ = check(tmp_path, for_year(child, year), year=year)
    found = {r for r, _, _ in rules(log)}
    assert ("8640" in found) != ok
    # RC9 with a plan is DfE's error 2990 wherever RC9 is a code.
    assert ("2990" in found) == ok


def test_date_order_rules_name_the_later_field(tmp_path):
    child = (CLEAN_CHILD.replace(EP1_CLOSURE, "<CINclosureDate>2022-05-01</CINclosureDate>")
             .replace("<AssessmentAuthorisationDate>2022-05-20", "<AssessmentAuthorisationDate>2022-05-03")
             .replace("<CPPendDate>2022-11-30", "<CPPendDate>2022-06-20"))
    log, [record], _ = check(tmp_path, child)
    assert record is None
    found = rules(log)
    for expected in [("8630", "A1", "CINclosureDate"), ("8608", "A1", "AssessmentAuthorisationDate"),
                     ("8925", "A1", "CPPendDate")]:
        assert expected in found
    assert all(p.row and p.file == "return.xml" and p.message for p in log.kept)


def test_a_bad_value_is_reported_once_not_again_by_the_rules_that_use_it(tmp_path):
    child = (CLEAN_CHILD.replace(EP1_CLOSURE, "<CINclosureDate>2022-02-30</CINclosureDate>")
             .replace("<CINreferralDate>2022-05-03", "<CINreferralDate>not-a-date"))
    log, _, _ = check(tmp_path, child)
    assert rules(log) == [("SCP-DATE", "A1", "CINreferralDate"),
                          ("SCP-DATE", "A1", "CINclosureDate")]


def test_duplicates_in_a_file_are_errors(tmp_path):
    twice = CLEAN_CHILD.replace("<CINreferralDate>2023-01-10", "<CINreferralDate>2022-05-03")
    log, _, _ = check(tmp_path, twice, CLEAN_CHILD)
    found = rules(log)
    assert ("SCP-DUPLICATE-REFERRAL", "A1", "CINreferralDate") in found
    assert ("8510", "A1", "LAchildID") in found and ("1520", "A1", "UPN") in found
    assert any("first at line" in p.message for p in log.kept)


def test_two_plans_with_one_start_date_are_an_error_across_episodes(tmp_path):
    plan = ("<ChildProtectionPlans><CPPstartDate>2022-06-21</CPPstartDate>"
            "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse></ChildProtectionPlans>")
    child = CLEAN_CHILD.replace("<ReferralNFA>false</ReferralNFA>",
                                "<ReferralNFA>false</ReferralNFA>" + plan)
    log, _, _ = check(tmp_path, child)
    assert ("SCP-DUPLICATE-CPP", "A1", "CPPstartDate") in rules(log)


def test_missing_values_unknown_ids_and_bad_upns(tmp_path):
    long_id = CLEAN_CHILD.replace("<LAchildID>A1<", "<LAchildID>A12345678901234567890<").replace(
        "T860123456789", "B12345678901")
    no_referral = CLEAN_CHILD.replace("<LAchildID>A1<", "<LAchildID>B1<").replace(
        "<CINreferralDate>2023-01-10</CINreferralDate>", "")
    log, _, _ = check(tmp_path, long_id, no_referral)
    found = rules(log)
    assert found[:2] == [("SCP-LA-CHILD-ID", "A12345678901234567890", "LAchildID"),
                         ("SCP-UPN", "A12345678901234567890", "UPN")]
    assert ("8600", "B1", "CINreferralDate") in found


def test_events_after_the_reference_date(tmp_path):
    late = CLEAN_CHILD.replace("<CPPreviewDate>2022-09-01", "<CPPreviewDate>2023-04-02")
    log, _, _ = check(tmp_path, late)
    assert ("SCP-AFTER-REFERENCE-DATE", "A1", "CPPreviewDate") in rules(log)


@pytest.mark.parametrize("year, code, ok", [
    (2020, "18A", True), (2020, "18B", False), (2021, "18A", False), (2021, "18B", True)])
def test_a_2019_20_return_reads_the_abuse_factors_of_its_year(tmp_path, year, code, ok):
    child = for_year(CLEAN_CHILD.replace("<AssessmentFactors>3A<", f"<AssessmentFactors>{code}<"),
                     year)
    log, _, refused = check(tmp_path, child, year=year)
    assert not refused
    assert (log.errors == 0) is ok
    if not ok:
        assert rules(log) == [("SCP-CODE", "A1", "AssessmentFactors")]


def test_a_death_closure_without_a_death_date_is_a_query_not_an_error(tmp_path):
    log, [record], _ = check(tmp_path, CLEAN_CHILD.replace("RC7", "RC2"))
    assert record is not None and log.errors == 0 and log.queries == 1
    assert rules(log) == [("8585Q", "A1", "ReasonForClosure")]
    assert log.kept[0].message.startswith("Please check and either amend or provide a reason: "
                                          "CIN episode shows Died as the Closure Reason")


def test_sex_before_2024_25_is_another_name_for_gender(tmp_path):
    text = CLEAN_CHILD.replace("<GenderCurrent>2</GenderCurrent>", "<Sex>2</Sex>")
    log, [record], _ = check(tmp_path, text)
    assert log.kept == [] and record["GenderCurrent"] == "2"


def test_a_part_in_the_wrong_place_is_an_error_not_silently_dropped(tmp_path):
    misplaced = "<Section47><S47ActualStartDate>2022-06-02</S47ActualStartDate></Section47>"
    log, _, _ = check(tmp_path, CLEAN_CHILD.replace("</Child>", misplaced + "</Child>"))
    assert rules(log) == [("SCP-MISPLACED", "A1", "Section47")]


def test_header_problems(tmp_path):
    log, _, refused = check(tmp_path, CLEAN_CHILD, year=2017)
    assert refused and [p.rule for p in log.kept] == ["SCP-HEADER-YEAR"]
    assert "2017/18, 2018/19, 2019/20, 2020/21" in log.kept[0].message
    log, _, refused = check(tmp_path, CLEAN_CHILD, reference="2023-03-30")
    assert not refused and [p.rule for p in log.kept] == ["100"]
    assert log.kept[0].message.startswith("Reference Date is incorrect (ReferenceDate '2023-03-30'")
    log, _, refused = check(tmp_path, CLEAN_CHILD, la="861")
    assert refused and log.kept[0].rule == "SCP-HEADER-LA"
    assert log.kept[0].message == "The return is for LA 861, which partnership STAFFS does not cover"
