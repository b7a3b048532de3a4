"""Write a return as DfE's XML, one child at a time (lxml.etree.xmlfile)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from lxml import etree

from safeguarding.datasets.synthetic.errors import INJECTIONS, Injection, Planted, plant
from safeguarding.datasets.synthetic.history import records


@dataclass
class Written:
    children: int = 0
    episodes: int = 0
    cpps: int = 0
    planted: list[Planted] = field(default_factory=list)


# -- writing XML ----------------------------------------------------------------


def _leaf(parent, tag: str, value) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        value = "1" if value else "0"
    etree.SubElement(parent, tag).text = str(value)


def child_element(record: dict) -> etree._Element:
    child = etree.Element("Child")
    ids = etree.SubElement(child, "ChildIdentifiers")
    for tag in ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                "ExpectedPersonBirthDate", "GenderCurrent", "PersonDeathDate"):
        if tag == "GenderCurrent" and "Sex" in record:
            tag = "Sex"  # from 2024/25
        _leaf(ids, tag, record.get(tag))
    characteristics = etree.SubElement(child, "ChildCharacteristics")
    _leaf(characteristics, "Ethnicity", record.get("Ethnicity"))
    if record.get("Disability"):
        disabilities = etree.SubElement(characteristics, "Disabilities")
        for code in record["Disability"]:
            _leaf(disabilities, "Disability", code)
    for ep in record["episodes"]:
        details = etree.SubElement(child, "CINdetails")
        for tag in ("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                    "ReasonForClosure", "DateOfInitialCPC"):
            _leaf(details, tag, ep.get(tag))
        for a in ep["assessments"]:
            node = etree.SubElement(details, "Assessments")
            for tag in ("AssessmentActualStartDate", "AssessmentInternalReviewDate",
                        "AssessmentAuthorisationDate"):
                _leaf(node, tag, a.get(tag))
            if a["AssessmentFactors"]:
                factors = etree.SubElement(node, "FactorsIdentifiedAtAssessment")
                for code in a["AssessmentFactors"]:
                    _leaf(factors, "AssessmentFactors", code)
        for p in ep["cin_plans"]:
            node = etree.SubElement(details, "CINPlanDates")
            _leaf(node, "CINPlanStartDate", p["CINPlanStartDate"])
            _leaf(node, "CINPlanEndDate", p["CINPlanEndDate"])
        for s in ep["section47s"]:
            node = etree.SubElement(details, "Section47")
            for tag in ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC"):
                _leaf(node, tag, s.get(tag))
            if s.get("ICPCnotRequired") is not None:
                _leaf(node, "ICPCnotRequired", "true" if s["ICPCnotRequired"] else "false")
        _leaf(details, "ReferralNFA", ep.get("ReferralNFA"))
        for c in ep["cpps"]:
            node = etree.SubElement(details, "ChildProtectionPlans")
            for tag in ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                        "LatestCategoryOfAbuse", "NumberOfPreviousCPP"):
                _leaf(node, tag, c.get(tag))
            if c["CPPreviewDate"]:
                reviews = etree.SubElement(node, "Reviews")
                for day in c["CPPreviewDate"]:
                    _leaf(reviews, "CPPreviewDate", day)
    return child


def _header(la_code: str, year: int, source_datetime: str) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    _leaf(details, "Collection", "CIN")
    _leaf(details, "Year", year)
    _leaf(details, "ReferenceDate", f"{year}-03-31")
    source = etree.SubElement(header, "Source")
    _leaf(source, "SourceLevel", "L")
    _leaf(source, "LEA", la_code)
    _leaf(source, "SoftwareCode", "Synthetic")
    _leaf(source, "Release", "safeguarding.datasets.synthetic")
    _leaf(source, "SerialNo", "001")
    _leaf(source, "DateTime", source_datetime)
    return header


def write_cin_census(out: str | Path | IO[bytes], *, la_code: str, year: int, children: int,
                     seed: int = 2021, inject: Iterable[Injection] = (), id_prefix: str = "C",
                     source_datetime: str | None = None,
                     population: int | None = None) -> Written:
    """Write a CIN census return for an LA and collection year (2021 = 2020/21)."""
    plan: dict[int, list[str]] = {}
    for injection in inject:
        if injection.kind not in INJECTIONS:
            raise ValueError(f"Unknown injection {injection.kind!r}")
        plan.setdefault(injection.child, []).append(injection.kind)
    written = Written()
    stamp = source_datetime or f"{year}-05-01T09:00:00"
    with etree.xmlfile(str(out) if isinstance(out, Path) else out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write("\n")
            xf.write(_header(la_code, year, stamp), pretty_print=True)
            with xf.element("Children"):
                xf.write("\n")
                for index, record in enumerate(records(la_code=la_code, year=year,
                                                       children=children, seed=seed,
                                                       id_prefix=id_prefix,
                                                       population=population)):
                    for kind in plan.get(index, ()):
                        plant(record, kind, year)
                        rule, field_name = INJECTIONS[kind]
                        written.planted.append(Planted(kind, record["LAchildID"], rule,
                                                       field_name))
                    xf.write(child_element(record), pretty_print=True)
                    written.children += 1
                    written.episodes += len(record["episodes"])
                    written.cpps += sum(len(ep["cpps"]) for ep in record["episodes"])
            xf.write("\n")
    return written
