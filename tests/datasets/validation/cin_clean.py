"""One clean CIN census child for 2022/23, and helpers to check a return built from it.

The child passes every DfE rule of its year: each rule's failing test changes
one thing in it (tests/datasets/validation/test_cin_dfe_rules.py).
"""

from __future__ import annotations

import datetime as dt
import re

from safeguarding.datasets.readers import cin_xml
from safeguarding.datasets.validation.cin_census import ChildChecker, check_header
from safeguarding.datasets.validation.problems import ProblemLog

CLEAN_CHILD = """<Child>
  <ChildIdentifiers><LAchildID>A1</LAchildID><UPN>T860123456789</UPN>
    <PersonBirthDate>2012-04-01</PersonBirthDate><GenderCurrent>2</GenderCurrent></ChildIdentifiers>
  <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
    <Disabilities><Disability>HAND</Disability><Disability>VIS</Disability><Disability>MOB</Disability>
    <Disability>PC</Disability><Disability>INC</Disability><Disability>COMM</Disability>
    <Disability>LD</Disability><Disability>HEAR</Disability></Disabilities></ChildCharacteristics>
  <CINdetails><CINreferralDate>2022-05-03</CINreferralDate><ReferralSource>6</ReferralSource>
    <PrimaryNeedCode>N1</PrimaryNeedCode><CINclosureDate>2022-12-01</CINclosureDate>
    <ReasonForClosure>RC7</ReasonForClosure><ReferralNFA>0</ReferralNFA>
    <Assessments><AssessmentActualStartDate>2022-05-04</AssessmentActualStartDate>
      <AssessmentAuthorisationDate>2022-05-20</AssessmentAuthorisationDate>
      <FactorsIdentifiedAtAssessment><AssessmentFactors>2B</AssessmentFactors>
      <AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
    <CINPlanDates><CINPlanStartDate>2022-05-23</CINPlanStartDate>
      <CINPlanEndDate>2022-06-06</CINPlanEndDate></CINPlanDates>
    <Section47><S47ActualStartDate>2022-06-07</S47ActualStartDate>
      <InitialCPCtarget>2022-06-20</InitialCPCtarget><DateOfInitialCPC>2022-06-21</DateOfInitialCPC>
      <ICPCnotRequired>false</ICPCnotRequired></Section47>
    <ChildProtectionPlans><CPPstartDate>2022-06-21</CPPstartDate><CPPendDate>2022-11-30</CPPendDate>
      <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
      <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
      <Reviews><CPPreviewDate>2022-09-01</CPPreviewDate></Reviews></ChildProtectionPlans>
  </CINdetails>
  <CINdetails><CINreferralDate>2023-01-10</CINreferralDate><ReferralSource>1A</ReferralSource>
    <PrimaryNeedCode>N2</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
    <Assessments><AssessmentActualStartDate>2023-01-11</AssessmentActualStartDate>
      <AssessmentAuthorisationDate>2023-02-01</AssessmentAuthorisationDate>
      <FactorsIdentifiedAtAssessment><AssessmentFactors>4B</AssessmentFactors>
      </FactorsIdentifiedAtAssessment></Assessments>
    <CINPlanDates><CINPlanStartDate>2023-02-02</CINPlanStartDate></CINPlanDates>
  </CINdetails>
</Child>"""


def for_year(child: str, year: int) -> str:
    """The clean child moved to another collection year.

    Dates move by whole weeks (52 a year), so a conference stays on a weekday.
    """
    if year == 2023:
        return child
    shift = dt.timedelta(weeks=52 * (year - 2023))
    child = re.sub(r"\d{4}-\d{2}-\d{2}",
                   lambda m: (dt.date.fromisoformat(m.group()) + shift).isoformat(), child)
    if year >= 2025:
        child = child.replace("<GenderCurrent>2</GenderCurrent>", "<Sex>F</Sex>")
    return child


def return_text(*children: str, year: int = 2023, la: str = "860",
                reference: str | None = None) -> str:
    return (f"<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
            f"<ReferenceDate>{reference or f'{year}-03-31'}</ReferenceDate></CollectionDetails>"
            f"<Source><LEA>{la}</LEA></Source></Header><Children>\n"
            + "\n".join(children) + "\n</Children></Message>")


def check_text(tmp_path, text: str):
    """Check a return's text as the import does: (log, records, refused)."""
    path = tmp_path / "return.xml"
    path.write_text(text)
    log = ProblemLog(path.name, max_errors=1000)
    items = cin_xml.read(path)
    header, refused = check_header(next(items), log, covered_la_codes={"860"},
                                   partnership_code="STAFFS")
    records = []
    if header is not None:
        checker = ChildChecker(header.spec, log)
        records = [checker.check(node) for node in items]
        checker.finish()
    return log, records, refused
