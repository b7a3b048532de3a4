"""Stream a CIN census XML file: its header first, then one child at a time.

``lxml.etree.iterparse`` reads the file in pieces. Each ``Child`` is turned
into plain Python values and its element cleared (with the cleared siblings
before it), so memory stays flat however many children the file holds.

Hostile XML is refused, not parsed around: no DTD is loaded, no entity is
resolved, nothing is fetched from the network, libxml2's size and depth
limits stay on (``huge_tree=False``), and a file that declares a DOCTYPE at
all is refused at the first element read.

The reader knows the shape of the census, not its rules: values come out as
the strings in the file, with the line each was on, for validation to judge.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

# Elements that start a new part of a child's record, and the part's name.
MODULE_ELEMENTS = {
    "CINdetails": "episode",
    "Assessments": "assessment",
    "CINPlanDates": "cin_plan",
    "Section47": "section47",
    "ChildProtectionPlans": "cpp",
}
# Leaves that may repeat within one part.
REPEATED_LEAVES = frozenset({"Disability", "AssessmentFactors", "AssessmentFactor",
                             "CPPreviewDate"})
HEADER_FIELDS = ("Collection", "Year", "ReferenceDate", "LEA", "DateTime", "SourceLevel")


class XmlRefused(Exception):
    """The file cannot be read safely or at all; ``rule`` names why."""

    def __init__(self, rule: str, *, line: int | None = None, **params):
        super().__init__(rule)
        self.rule = rule
        self.line = line
        self.params = params


@dataclass(slots=True)
class RawNode:
    """One part of a child's record: leaf values as strings, with their lines."""

    module: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    lists: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    repeats: list[tuple[str, int]] = field(default_factory=list)
    parts: dict[str, list[RawNode]] = field(default_factory=dict)


@dataclass
class Header:
    line: int
    values: dict[str, str]


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# A census has a few dozen distinct tags and millions of elements: split each once.
_local_names: dict[str, str] = {}


def _collect(node: RawNode, element) -> None:
    fields, field_lines, default_line = node.fields, node.field_lines, node.line
    for sub in element:
        raw = sub.tag
        tag = _local_names.get(raw)
        if tag is None:
            tag = _local_names[raw] = _local(raw)
        if not tag:
            continue  # a comment or processing instruction left in place
        module = MODULE_ELEMENTS.get(tag)
        if module is not None:
            part = RawNode(module=module, line=sub.sourceline or default_line)
            _collect(part, sub)
            node.parts.setdefault(module, []).append(part)
        elif len(sub):
            _collect(node, sub)  # a wrapper such as ChildIdentifiers or Reviews
        else:
            text = sub.text
            text = text.strip() if text else ""
            line = sub.sourceline or default_line
            if tag in REPEATED_LEAVES:
                # Kept when empty: an empty review date is DfE query 8842Q.
                node.lists.setdefault(tag, []).append((text, line))
            elif tag in fields:
                node.repeats.append((tag, line))
            else:
                fields[tag] = text
                field_lines[tag] = line


def _header(element) -> Header:
    values: dict[str, str] = {}
    for sub in element.iter():
        tag = _local(sub.tag)
        if tag in HEADER_FIELDS and not len(sub) and tag not in values:
            values[tag] = (sub.text or "").strip()
    return Header(line=element.sourceline or 1, values=values)


def _refuse_doctype(element) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlRefused("SCP-FILE-DOCTYPE", line=1)


def read(path: str | Path) -> Generator[Header | RawNode, None, None]:
    """Yield the Header (if the file has one) and then one RawNode per Child."""
    context = etree.iterparse(
        str(path), events=("end",), tag=("{*}Header", "{*}Child"),
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )
    checked = False
    try:
        for _event, element in context:
            if not checked:
                _refuse_doctype(element)
                root = _local(element.getroottree().getroot().tag)
                if root != "Message":
                    raise XmlRefused("SCP-FILE-SHAPE", line=1,
                                     detail=f"the first element is {root}, not Message")
                checked = True
            if _local(element.tag) == "Header":
                yield _header(element)
            else:
                node = RawNode(module="child", line=element.sourceline or 0)
                _collect(node, element)
                yield node
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise XmlRefused("SCP-FILE-XML", line=error.lineno or None,
                         detail=_syntax_detail(error)) from None
    if not checked:
        root_element = context.root
        if root_element is not None:
            _refuse_doctype(root_element)
            tag = _local(root_element.tag)
            detail = "it has no Header or Child elements" if tag == "Message" else (
                f"the first element is {tag}, not Message")
            raise XmlRefused("SCP-FILE-SHAPE", line=1, detail=detail)


def _syntax_detail(error: etree.XMLSyntaxError) -> str:
    message = str(error.msg or error).strip()
    # libxml2 appends "(line N, column M)"; the errors table has its own row column.
    return message.split(", line ")[0].rstrip(" (") or "the XML could not be read"
