"""The CIN census reader: streamed, shape-aware, and refusing hostile XML."""

from __future__ import annotations

import pytest

from safeguarding.datasets.readers import cin_xml

RETURN = """<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns="http://www.dfe.gov.uk/CIN">
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2021</Year>
      <ReferenceDate>2021-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>860</LEA><DateTime>2021-05-01T09:00:00</DateTime></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>A1</LAchildID><GenderCurrent>1</GenderCurrent></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>LD</Disability><Disability>AUT</Disability></Disabilities>
      </ChildCharacteristics>
      <!-- a comment is ignored -->
      <CINdetails>
        <CINreferralDate>2020-05-01</CINreferralDate>
        <Assessments>
          <AssessmentActualStartDate>2020-05-02</AssessmentActualStartDate>
          <AssessmentFactors><AssessmentFactor>3B</AssessmentFactor><AssessmentFactor>4B</AssessmentFactor></AssessmentFactors>
        </Assessments>
        <Assessments>
          <AssessmentActualStartDate>2020-09-02</AssessmentActualStartDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>21</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <ChildProtectionPlans><CPPstartDate>2020-06-01</CPPstartDate>
          <Reviews><CPPreviewDate>2020-08-01</CPPreviewDate><CPPreviewDate>2021-01-01</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child><ChildIdentifiers><LAchildID>A2</LAchildID><LAchildID>A3</LAchildID></ChildIdentifiers></Child>
  </Children>
</Message>
"""


def read(tmp_path, text: str) -> list:
    path = tmp_path / "return.xml"
    path.write_text(text)
    return list(cin_xml.read(path))


def test_the_header_comes_first_then_each_child(tmp_path):
    header, first, second = read(tmp_path, RETURN)
    assert header.values == {"Collection": "CIN", "Year": "2021", "ReferenceDate": "2021-03-31",
                             "SourceLevel": "L", "LEA": "860", "DateTime": "2021-05-01T09:00:00"}
    assert first.fields["LAchildID"] == "A1" and first.line == 9
    assert [v for v, _ in first.lists["Disability"]] == ["LD", "AUT"]
    episode = first.parts["episode"][0]
    assert episode.fields["CINreferralDate"] == "2020-05-01"
    assert episode.field_lines["CINreferralDate"] == 16


def test_both_shapes_of_assessment_factors_are_read(tmp_path):
    _, first, _ = read(tmp_path, RETURN)
    one, two = first.parts["episode"][0].parts["assessment"]
    assert [v for v, _ in one.lists["AssessmentFactor"]] == ["3B", "4B"]
    assert [v for v, _ in two.lists["AssessmentFactors"]] == ["21"]
    plan = first.parts["episode"][0].parts["cpp"][0]
    assert [v for v, _ in plan.lists["CPPreviewDate"]] == ["2020-08-01", "2021-01-01"]


def test_a_leaf_given_twice_is_noted_not_overwritten(tmp_path):
    _, _, second = read(tmp_path, RETURN)
    assert second.fields["LAchildID"] == "A2"
    assert second.repeats == [("LAchildID", 30)]


@pytest.mark.parametrize("text, rule", [
    ('<!DOCTYPE Message [<!ENTITY x "y">]><Message><Header/></Message>', "SCP-FILE-DOCTYPE"),
    ('<!DOCTYPE Message SYSTEM "file:///etc/passwd"><Message/>', "SCP-FILE-DOCTYPE"),
    ('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "SCP-FILE-DOCTYPE"),
    ("<Message><Header></Message>", "SCP-FILE-XML"),
    ("<Message><Child>&undeclared;</Child></Message>", "SCP-FILE-XML"),
    ("<Return><Header/></Return>", "SCP-FILE-SHAPE"),
    ("<Message/>", "SCP-FILE-SHAPE"),
    ("", "SCP-FILE-XML"),
])
def test_hostile_or_broken_files_are_refused(tmp_path, text, rule):
    with pytest.raises(cin_xml.XmlRefused) as refused:
        read(tmp_path, text)
    assert refused.value.rule == rule


def test_an_entity_is_never_expanded_even_before_the_refusal(tmp_path):
    laughs = ('<!DOCTYPE Message [<!ENTITY a "' + "x" * 1000 + '">'
              + '<!ENTITY b "' + "&a;" * 1000 + '">]><Message><Header>&b;</Header></Message>')
    with pytest.raises(cin_xml.XmlRefused):
        read(tmp_path, laughs)


def test_reading_clears_each_child_so_memory_does_not_grow(tmp_path):
    body = "".join(f"<Child><ChildIdentifiers><LAchildID>C{n}</LAchildID></ChildIdentifiers>"
                   "</Child>" for n in range(2000))
    path = tmp_path / "many.xml"
    path.write_text(f"<Message><Header/><Children>{body}</Children></Message>")
    items = cin_xml.read(path)
    next(items)
    for seen, _node in enumerate(items, start=1):
        if seen == 1500:
            break
    # Children already read are gone from the tree; what remains is the current child
    # and the few the parser has read ahead in its buffer, not the 1,500 before it.
    element = items.gi_frame.f_locals["element"]
    previous = element.getprevious()  # the child before, emptied, removed on the next step
    assert previous is not None and len(previous) == 0 and previous.getprevious() is None
    assert len(element.getparent()) < 500
    items.close()
