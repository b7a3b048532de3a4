"""Every DfE CIN census rule: a clean return passes it, a one-change return fails it.

The clean child (cin_clean.py) passes every DfE rule of every supported year.
Each case below changes one thing in it (a few need two) and names the rule
that must then be reported. The table test (test_cin_rule_table.py) holds
that every rule in the rule table has a case here.
"""

from __future__ import annotations

import re

import pytest

from safeguarding.children.identifiers import upn_check_letter
from safeguarding.datasets.validation.specs import cin_spec, cin_years
from tests.datasets.validation.cin_clean import CLEAN_CHILD, check_text, for_year, return_text

ASSESSMENT_1 = CLEAN_CHILD[CLEAN_CHILD.index("<Assessments>"):CLEAN_CHILD.index("</Assessments>") + 14]
EP1_NFA = "<ReferralNFA>0</ReferralNFA>"
EP2_NFA = "<ReferralNFA>false</ReferralNFA>"
EP1_CLOSURE = "<CINclosureDate>2022-12-01</CINclosureDate>"
S47_ICPC = "<DateOfInitialCPC>2022-06-21</DateOfInitialCPC>"
BIRTH = "<PersonBirthDate>2012-04-01</PersonBirthDate>"
GENDER = "<GenderCurrent>2</GenderCurrent>"
EP1_PLAN = "<CINPlanStartDate>2022-05-23</CINPlanStartDate>"
EP1_PLAN_END = "<CINPlanEndDate>2022-06-06</CINPlanEndDate>"
EP2_PLAN = "<CINPlanDates><CINPlanStartDate>2023-02-02</CINPlanStartDate></CINPlanDates>"
CPP_START = "<CPPstartDate>2022-06-21</CPPstartDate>"
CPP_END = "<CPPendDate>2022-11-30</CPPendDate>"
EP2_FACTOR = "<AssessmentFactors>4B</AssessmentFactors>"
ASS1_AUTH = "<AssessmentAuthorisationDate>2022-05-20</AssessmentAuthorisationDate>"
ASS2_AUTH = "<AssessmentAuthorisationDate>2023-02-01</AssessmentAuthorisationDate>"
DISABILITIES = CLEAN_CHILD[CLEAN_CHILD.index("<Disabilities>"):CLEAN_CHILD.index("</Disabilities>") + 15]


def _upn(body: str, letter: str | None = None) -> str:
    return (letter or upn_check_letter(body)) + body


def _death(date: str) -> list[tuple[str, str]]:
    return [(GENDER, f"{GENDER}<PersonDeathDate>{date}</PersonDeathDate>")]


def _add_to_ep1(xml: str) -> list[tuple[str, str]]:
    return [(EP1_NFA, EP1_NFA + xml)]


def _add_to_ep2(xml: str) -> list[tuple[str, str]]:
    return [(EP2_NFA, EP2_NFA + xml)]


ONE_S47 = "<Section47><S47ActualStartDate>{0}</S47ActualStartDate>{1}</Section47>"
ONE_CPP = ("<ChildProtectionPlans><CPPstartDate>{0}</CPPstartDate>{1}<InitialCategoryOfAbuse>NEG"
           "</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
           "<NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>")

# rule: (year, changes to the clean 2022/23 child). Special changes: "reference"
# (the header's ReferenceDate) and "twice" (the child appears twice, the second
# with the LAchildID given).
CASES: dict[str, tuple[int, list]] = {
    "100": (2023, [("reference", "2023-03-30")]),
    "1103": (2023, [("<AssessmentActualStartDate>2022-05-04", "<AssessmentActualStartDate>2022-05-02")]),
    "1104": (2023, [(S47_ICPC, "<DateOfInitialCPC>2022-05-02</DateOfInitialCPC>")]),
    "1105": (2023, [(CPP_START, "<CPPstartDate>2022-05-02</CPPstartDate>")]),
    "1510": (2023, [("T860123456789", "A860123456789")]),
    "1520": (2023, [("twice", "A2")]),
    "1530": (2023, [("T860123456789", _upn("999123456789"))]),
    "1540": (2023, [("T860123456789", _upn("8601234567A9"))]),
    "1550": (2023, [("T860123456789", "A86012345678I")]),
    "1560Q": (2023, [("</UPN>", "</UPN><FormerUPN>X123</FormerUPN>")]),
    "1570": (2025, [("<LAchildID>A1</LAchildID>", "<LAchildID>A12345678901234567890</LAchildID>")]),
    "1580": (2025, [("<LAchildID>A1</LAchildID>", "<LAchildID>A-1</LAchildID>")]),
    "2883": (2023, [(S47_ICPC, "<DateOfInitialCPC>2022-03-29</DateOfInitialCPC>")]),
    "2884": (2023, _add_to_ep1(S47_ICPC)),
    "2885": (2023, [(CPP_START, "<CPPstartDate>2022-06-22</CPPstartDate>")]),
    "2886Q": (2023, [(GENDER, "<GenderCurrent>0</GenderCurrent>")]),
    "2887Q": (2023, [("<Disability>HEAR</Disability>", "")]),
    "2888Q": (2023, [(DISABILITIES, "<Disabilities><Disability>HAND</Disability></Disabilities>")]),
    "2889": (2023, [("<S47ActualStartDate>2022-06-07", "<S47ActualStartDate>2022-05-02")]),
    "2990": (2023, [("RC7", "RC8")]),
    "2991Q": (2023, [(ASSESSMENT_1, "")]),
    "4000": (2023, [(EP2_NFA, "<ReferralNFA>true</ReferralNFA>")]),
    "4001": (2023, [(CPP_END, ""), (EP1_PLAN_END, "")]),
    "4003": (2023, [("<CPPreviewDate>2022-09-01", "<CPPreviewDate>2022-05-25")]),
    "4004": (2023, _add_to_ep2("<CINPlanDates><CINPlanStartDate>2023-02-10</CINPlanStartDate></CINPlanDates>")),
    "4008": (2023, _death("2023-01-15")),
    "4009Q": (2023, _death("2022-06-01")),
    "4010": (2023, [(EP2_PLAN, EP2_PLAN.replace("2023-02-02", "2023-04-03"))]),
    "4011": (2023, [(EP1_PLAN_END, "<CINPlanEndDate>2022-05-20</CINPlanEndDate>")]),
    "4012Q": (2023, [(EP1_PLAN_END, "<CINPlanEndDate>2022-05-23</CINPlanEndDate>")]),
    "4013": (2023, [(EP1_PLAN_END, "<CINPlanEndDate>2023-04-05</CINPlanEndDate>")]),
    "4014": (2023, _add_to_ep1("<CINPlanDates><CINPlanStartDate>2022-05-25</CINPlanStartDate>"
                               "<CINPlanEndDate>2022-05-30</CINPlanEndDate></CINPlanDates>")),
    "4015": (2023, [(EP1_PLAN, "<CINPlanStartDate>2022-05-02</CINPlanStartDate>")]),
    "4016": (2023, _add_to_ep1("<CINPlanDates><CINPlanStartDate>2022-07-01</CINPlanStartDate>"
                               "<CINPlanEndDate>2022-07-10</CINPlanEndDate></CINPlanDates>")),
    "4017": (2023, [(EP1_PLAN_END, "<CINPlanEndDate>2022-06-30</CINPlanEndDate>")]),
    "4180": (2023, [(GENDER, "")]),
    "4220": (2023, [("<Ethnicity>WBRI", "<Ethnicity>XXXX")]),
    "8500": (2023, [("<LAchildID>A1</LAchildID>", "<LAchildID></LAchildID>")]),
    "8510": (2023, [("twice", "A1")]),
    "8520": (2023, [(BIRTH, "<PersonBirthDate>2023-04-05</PersonBirthDate>")]),
    "8525Q": (2023, [(BIRTH, BIRTH + "<ExpectedPersonBirthDate>2023-05-01</ExpectedPersonBirthDate>")]),
    "8530Q": (2023, [(BIRTH + GENDER, "<ExpectedPersonBirthDate>2024-06-01</ExpectedPersonBirthDate>"
                                      "<GenderCurrent>0</GenderCurrent>")]),
    "8535Q": (2023, _death("2011-01-01")),
    "8540": (2023, [(DISABILITIES, "")]),
    "8545Q": (2023, _death("2022-03-01")),
    "8555Q": (2023, _death("2022-12-15")),
    "8565": (2023, [(EP1_CLOSURE, "<CINclosureDate>2022-11-29</CINclosureDate>")]),
    "8568": (2023, [(EP1_NFA, "<ReferralNFA>maybe</ReferralNFA>")]),
    "8569Q": (2023, [("<CINreferralDate>2023-01-10", "<CINreferralDate>2022-03-01"),
                     (EP2_NFA, "<ReferralNFA>true</ReferralNFA>")]),
    "8585Q": (2023, [("RC7", "RC2")]),
    "8590": (2023, [("remove episodes", "")]),
    "8600": (2023, [("<CINreferralDate>2023-01-10", "<CINreferralDate>2023-04-03")]),
    "8606": (2023, [(BIRTH, "<PersonBirthDate>2023-03-01</PersonBirthDate>")]),
    "8608": (2023, [(ASS1_AUTH, "<AssessmentAuthorisationDate>2022-05-03</AssessmentAuthorisationDate>")]),
    "8610": (2023, [("<PrimaryNeedCode>N1</PrimaryNeedCode>", "")]),
    "8614": (2023, [(ASS2_AUTH, "")]),
    "8615": (2023, [("<S47ActualStartDate>2022-06-07", "<S47ActualStartDate>2022-06-22")]),
    "8620": (2023, [(EP1_CLOSURE, "<CINclosureDate>2023-04-05</CINclosureDate>")]),
    "8630": (2023, [(EP1_CLOSURE, "<CINclosureDate>2022-05-01</CINclosureDate>")]),
    "8640": (2023, [("RC7", "RC99")]),
    "8650": (2023, [("<PrimaryNeedCode>N1", "<PrimaryNeedCode>N99")]),
    "8670Q": (2023, [(ASS2_AUTH, "")]),
    "8675Q": (2023, [(S47_ICPC, "")]),
    "8696": (2023, [(ASS1_AUTH, "<AssessmentAuthorisationDate>2023-04-05</AssessmentAuthorisationDate>")]),
    "8715": (2023, _add_to_ep1("<DateOfInitialCPC>2022-03-01</DateOfInitialCPC>")),
    "8720": (2023, [(CPP_START, "<CPPstartDate>2023-04-05</CPPstartDate>")]),
    "8730": (2023, [("<NumberOfPreviousCPP>0</NumberOfPreviousCPP>", "")]),
    "8736": (2023, [(ASS1_AUTH, ""), ("<AssessmentActualStartDate>2022-05-04",
                                       "<AssessmentActualStartDate>2022-03-01")]),
    "8740": (2023, [(S47_ICPC, ""), ("<S47ActualStartDate>2022-06-07", "<S47ActualStartDate>2022-03-01")]),
    "8750": (2023, [(BIRTH, "<ExpectedPersonBirthDate>2023-05-01</ExpectedPersonBirthDate>")]),
    "8770Q": (2023, [("<UPN>T860123456789</UPN>", "")]),
    "8772": (2023, [("</UPN>", "</UPN><UPNunknown>UN7</UPNunknown>")]),
    "8775Q": (2023, [(BIRTH, "<PersonBirthDate>1990-01-01</PersonBirthDate>")]),
    "8790": (2023, [("<Disability>HEAR</Disability>", "<Disability>HEAR</Disability><Disability>NONE</Disability>")]),
    "8794": (2023, [("<Disability>HEAR</Disability>", "<Disability>VIS</Disability>")]),
    "8805": (2023, [("<ReasonForClosure>RC7</ReasonForClosure>", "")]),
    "8810": (2023, [(EP1_CLOSURE, "")]),
    "8815": (2023, [(EP1_CLOSURE, ""), ("<ReasonForClosure>RC7</ReasonForClosure>", "")]),
    "8816": (2023, [(EP1_CLOSURE, ""), ("<ReasonForClosure>RC7</ReasonForClosure>", "")]),
    "8820": (2023, [(EP1_CLOSURE, "<CINclosureDate>2023-01-20</CINclosureDate>")]),
    "8825Q": (2023, [("RC7", "RC8"), (ASSESSMENT_1, "")]),
    "8831": (2023, [(EP1_NFA, "<ReferralNFA>1</ReferralNFA>")]),
    "8832": (2023, [(EP1_NFA, "<ReferralNFA>1</ReferralNFA>")]),
    "8839": (2023, _add_to_ep1(ONE_S47.format("2022-07-01", "") + ONE_S47.format("2022-07-05", ""))),
    "8840": (2023, [(CPP_END, "<CPPendDate>2022-06-21</CPPendDate>")]),
    "8841": (2023, [("<CPPreviewDate>2022-09-01", "<CPPreviewDate>2022-06-21")]),
    "8842Q": (2023, [("</Reviews>", "</Reviews><Reviews><CPPreviewDate></CPPreviewDate></Reviews>")]),
    "8863Q": (2023, _add_to_ep1("<Assessments><AssessmentActualStartDate>2022-05-10"
                                "</AssessmentActualStartDate>" + ASS1_AUTH + "</Assessments>")),
    "8866": (2023, [("<ReferralSource>6<", "<ReferralSource>ZZ<")]),
    "8867": (2023, [(ASS1_AUTH, "")]),
    "8868": (2023, [(S47_ICPC, "")]),
    "8869": (2023, [(EP2_FACTOR, EP2_FACTOR + "<AssessmentFactors>21</AssessmentFactors>")]),
    "8870Q": (2023, [("<InitialCPCtarget>2022-06-20", "<InitialCPCtarget>2022-06-18")]),
    "8873Q": (2023, [(EP2_FACTOR, "<AssessmentFactors>21</AssessmentFactors>")]),
    "8875": (2023, [(S47_ICPC, "<DateOfInitialCPC>2022-06-18</DateOfInitialCPC>")]),
    "8890": (2023, _add_to_ep1(ONE_S47.format(
        "2022-06-10", "<DateOfInitialCPC>2022-06-24</DateOfInitialCPC>"))),
    "8896": (2023, _add_to_ep2("<Assessments><AssessmentActualStartDate>2023-03-01</AssessmentActualStartDate>"
                               "</Assessments><Assessments><AssessmentActualStartDate>2023-03-02"
                               "</AssessmentActualStartDate></Assessments>")),
    "8897Q": (2023, [("<AssessmentFactors>2B</AssessmentFactors>", ""),
                     ("<AssessmentFactors>3A</AssessmentFactors>", "")]),
    "8898": (2023, [("<AssessmentFactors>3A", "<AssessmentFactors>2B")]),
    "8905": (2023, [("<InitialCategoryOfAbuse>NEG", "<InitialCategoryOfAbuse>XXX")]),
    "8910": (2023, [("<LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>", "")]),
    "8915": (2023, _death("2022-06-01")),
    "8920": (2023, _death("2022-11-01")),
    "8925": (2023, [(CPP_END, "<CPPendDate>2022-06-20</CPPendDate>")]),
    "8930": (2023, [(CPP_END, "<CPPendDate>2023-04-05</CPPendDate>")]),
    "8935": (2023, _add_to_ep2(ONE_CPP.format("2023-02-10", "") + ONE_CPP.format("2023-03-01", ""))),
    "8940": (2023, _add_to_ep1(ONE_CPP.format("2022-07-01", "<CPPendDate>2022-07-10</CPPendDate>"))),
    "8945Q": (2025, [(EP2_FACTOR, "<AssessmentFactors>18A</AssessmentFactors>")]),
    "8950Q": (2025, [(EP2_FACTOR, "<AssessmentFactors>19A</AssessmentFactors>")]),
}


def mutated(rule: str, year: int | None = None) -> str:
    """The return for a rule's failing case (in its own year, or ``year``)."""
    case_year, changes = CASES[rule]
    year = year or case_year
    child, extra, reference = CLEAN_CHILD, [], None
    for old, new in changes:
        if old == "reference":
            reference = f"{year}-03-30"
        elif old == "twice":
            extra.append(child.replace("<LAchildID>A1<", f"<LAchildID>{new}<"))
        elif old == "remove episodes":
            child = re.sub(r"<CINdetails>.*?</CINdetails>", "", child, flags=re.S)
        else:
            assert old in child, f"{rule}: {old!r} is not in the clean child"
            child = child.replace(old, new)
    children = [for_year(c, year) for c in [child, *extra]]
    return return_text(*children, year=year, reference=reference)


def _problems(log) -> dict[str, list]:
    found: dict[str, list] = {}
    for problem in log.kept:
        found.setdefault(problem.rule, []).append(problem)
    return found


@pytest.mark.parametrize("year", cin_years())
def test_the_clean_return_passes_every_rule_of_its_year(tmp_path, year):
    log, [record], refused = check_text(tmp_path, return_text(for_year(CLEAN_CHILD, year), year=year))
    assert not refused and log.kept == [] and record is not None


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_reports_its_one_change(tmp_path, rule):
    year = CASES[rule][0]
    log, _records, _refused = check_text(tmp_path, mutated(rule))
    found = _problems(log)
    assert rule in found, f"{rule} not reported; reported {sorted(found)}"
    problem = found[rule][0]
    dfe = cin_spec(year).dfe_rule(rule)
    assert dfe is not None
    # The message gives DfE's wording; the row names the file, the child and the field.
    assert problem.message.startswith(dfe.message.strip())
    assert problem.file == "return.xml"
    assert problem.severity == ("query" if rule.endswith("Q") else "error")
    if dfe.module not in ("file", ""):
        assert problem.child in ("A1", "A2") and problem.field and problem.row


@pytest.mark.parametrize("rule", sorted(r for r in CASES if not r.endswith("Q")))
def test_an_error_refuses_the_child_and_a_query_does_not(tmp_path, rule):
    log, records, _ = check_text(tmp_path, mutated(rule))
    assert log.errors > 0


@pytest.mark.parametrize("rule", sorted(r for r in CASES if r.endswith("Q")))
def test_a_query_alone_lets_the_child_load(tmp_path, rule):
    log, records, _ = check_text(tmp_path, mutated(rule))
    found = _problems(log)
    if log.errors == 0:
        assert all(r is not None for r in records)
    assert all(p.severity == "query" for p in found[rule])


def test_a_20_character_la_child_id_loads_in_every_year(tmp_path):
    for year in cin_years():
        child = CLEAN_CHILD.replace("<LAchildID>A1<", "<LAchildID>A1234567890123456789<")
        log, [record], _ = check_text(tmp_path, return_text(for_year(child, year), year=year))
        assert log.kept == [] and record["LAchildID"] == "A1234567890123456789"


@pytest.mark.parametrize("year, sex, gender, rules", [
    (2024, "<GenderCurrent>1</GenderCurrent>", "1", []),
    (2024, "<Sex>2</Sex>", "2", []),
    (2025, "<Sex>M</Sex>", "1", []),
    (2025, "<Sex>F</Sex>", "2", []),
    (2025, "<Sex>U</Sex>", "0", ["2886Q"]),
    (2026, "<Sex>1</Sex>", None, ["2886Q", "4180"]),
    (2025, "<GenderCurrent>2</GenderCurrent>", None, ["2886Q", "4180"]),
])
def test_sex_is_read_the_way_dfe_defines_it_for_the_year(tmp_path, year, sex, gender, rules):
    child = for_year(CLEAN_CHILD, year).replace("<Sex>F</Sex>", GENDER).replace(GENDER, sex)
    log, [record], _ = check_text(tmp_path, return_text(child, year=year))
    assert sorted(_problems(log)) == rules
    if gender is not None:
        assert record["GenderCurrent"] == gender


@pytest.mark.parametrize("icpc", ["2022-03-29", "2023-04-03"])
def test_8715_reads_the_conference_date_of_a_section47_too(tmp_path, icpc):
    # DfE: "If present <DateOfInitialCPC> (N00110) must be on or between
    # [Start_Of_Census_Year] and <ReferenceDate>"; N00110 is both in CINdetails
    # and in Section47, and the D2I validator checks the Section47 one.
    child = CLEAN_CHILD.replace(S47_ICPC, f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>")
    log, _records, _ = check_text(tmp_path, return_text(child))
    found = _problems(log)
    [problem] = found["8715"]
    assert "SCP-AFTER-REFERENCE-DATE" not in found  # reported once, under DfE's rule
    assert problem.field == "DateOfInitialCPC" and icpc in problem.message
