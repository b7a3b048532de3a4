"""The Annex A lists as data: columns, header variants and code lists from specs/annex_a/.

Headers and code values are compared in a normal form (``normal``): lower
case, "&" read as "and", every run of punctuation or space one space. A
header that does not match as written is tried again without a bracketed
note, so "Date of Contact (dd/mm/yyyy)" is "Date of Contact".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from safeguarding.children import code_lists as child_code_lists
from safeguarding.core.yaml_data import load_yaml
from safeguarding.datasets.validation.specs import SPEC_DIR, SpecError

ANNEX_A_FILE = SPEC_DIR / "annex_a" / "lists.yaml"
COLUMN_TYPES = frozenset({"id", "text", "date", "integer", "code", "name", "upn", "staff",
                          "postcode"})
# Identifying values: kept on the child index (read through core.access), never in the lists.
IDENTIFYING_TYPES = frozenset({"name", "upn"})
# Columns every list may carry about the child; recognising a sheet by its
# headings looks at the other, list-specific ones.
SHARED_COLUMNS = frozenset({"child_id", "upn", "first_name", "last_name", "full_name", "gender",
                            "ethnicity", "birth_date", "age", "disability", "team", "worker",
                            "family_id"})
_ENUMERATOR = re.compile(r"^\(?[a-z]{1,2}\d?\)\s*", re.IGNORECASE)
_CODE_HEAD = re.compile(r"^([A-Za-z0-9]{1,12})\s*(?::|-|–|\s)\s*")
_BRACKETED = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")
_SEEN_AT_MOST = 10_000  # distinct cell texts remembered per code list


def normal(text: str) -> str:
    """Case, punctuation and spacing ignored: "Child's Legal  Status" -> "childs legal status"."""
    text = str(text).replace("&", " and ").replace("’", "").replace("'", "").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True)
class CodeList:
    name: str
    source: str
    codes: dict[str, str]
    lookup: dict[str, str]  # normal form of a code, label or synonym -> code
    # Each cell's text -> its code: a list's cells repeat a few values over and over.
    _seen: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def match(self, value: str) -> str | None:
        """The code a cell means, or None: 'a) WBRI', 'RC7 - Services ceased', 'Neglect'..."""
        text = str(value).strip()
        try:
            return self._seen[text]
        except KeyError:
            found = self._match(text)
        if len(self._seen) < _SEEN_AT_MOST:
            self._seen[text] = found
        return found

    def _match(self, text: str) -> str | None:
        attempts = [text, _ENUMERATOR.sub("", text)]
        for attempt in list(attempts):
            head = _CODE_HEAD.match(attempt)
            if head:
                attempts.append(head.group(1))
        for attempt in attempts:
            found = self.lookup.get(normal(attempt))
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str
    required: bool = False
    code_list: str | None = None
    synonyms: tuple[str, ...] = ()

    @property
    def identifying(self) -> bool:
        return self.type in IDENTIFYING_TYPES

    @property
    def stored(self) -> bool:
        """Kept in the list's analytics row (names, UPNs and workers' names are not)."""
        return self.type not in IDENTIFYING_TYPES and self.type != "staff"


@dataclass(frozen=True)
class ListSpec:
    number: int
    name: str
    sheet_names: tuple[str, ...]
    columns: dict[str, Column]
    key: tuple[str, ...]
    subject: str
    start: str | None
    end: str | None
    code: str | None
    order: tuple[tuple[str, str], ...]
    headers: dict[str, str]  # normal form of a header or synonym -> column key

    @property
    def label(self) -> str:
        return f"List {self.number}: {self.name}"

    @property
    def is_about_children(self) -> bool:
        return self.subject == "child_id"

    def column_for(self, header: str) -> str | None:
        key = self.headers.get(normal(header))
        if key is None:
            without_note = _BRACKETED.sub(" ", str(header))
            key = self.headers.get(normal(without_note))
        return key

    def distinctive(self) -> set[str]:
        return {key for key in self.columns if key not in SHARED_COLUMNS}


@dataclass(frozen=True)
class AnnexASpec:
    source: str
    lists: dict[int, ListSpec]
    code_lists: dict[str, CodeList]
    messages: dict[str, str]
    comparisons: dict[int, tuple[str, str]]  # list number -> (census measure, what it counts)

    def message(self, rule: str, **params) -> str:
        return " ".join(self.messages[rule].split()).format(**params)

    def list_for_sheet_name(self, sheet: str) -> ListSpec | None:
        """The list a sheet's name says it is: 'List 3', 'L3 Referrals', 'Referrals', '3. Referrals'."""
        text = normal(sheet)
        numbered = re.match(r"^(?:annex a )?(?:list|l)\s?(\d{1,2})(?:\b|$)", text) or \
            re.match(r"^(\d{1,2})(?: |$)", text)
        if numbered and int(numbered.group(1)) in self.lists:
            return self.lists[int(numbered.group(1))]
        for spec in self.lists.values():
            if text in {normal(name) for name in spec.sheet_names}:
                return spec
        return None


def _borrowed(reference: str) -> dict[str, str]:
    where, _, name = reference.partition(":")
    if where == "children":
        return {str(code): str(label) for code, label in child_code_lists.plain_choices(name)}
    if where == "cin":
        from safeguarding.datasets.validation.specs import cin_spec, cin_years

        return dict(cin_spec(max(cin_years())).code_lists[name].codes)
    raise SpecError(f"Annex A code list borrows from unknown place {reference!r}")


def _code_list(name: str, body: dict) -> CodeList:
    codes = _borrowed(body["from"]) if body.get("from") else {
        str(code): str(label) for code, label in body["codes"].items()}
    lookup: dict[str, str] = {}
    for code, label in codes.items():
        lookup.setdefault(normal(label), code)
    for code, words in (body.get("synonyms") or {}).items():
        if str(code) not in codes:
            raise SpecError(f"Annex A code list {name}: synonym for unknown code {code}")
        for word in words:
            lookup[normal(str(word))] = str(code)
    for code in codes:
        lookup[normal(code)] = code  # a code always means itself
    return CodeList(name, " ".join(str(body["source"]).split()), codes, lookup)


@cache
def annex_a_spec() -> AnnexASpec:
    data = load_yaml(ANNEX_A_FILE.read_text())
    code_lists = {name: _code_list(name, body) for name, body in data["code_lists"].items()}
    shared = data["columns"]
    lists: dict[int, ListSpec] = {}
    for number, body in data["lists"].items():
        columns: dict[str, Column] = {}
        headers: dict[str, str] = {}
        for key, override in body["columns"].items():
            merged = {**(shared.get(key) or {}), **(override or {})}
            column = Column(key=key, header=merged["header"], type=merged["type"],
                            required=bool(merged.get("required")), code_list=merged.get("list"),
                            synonyms=tuple(str(s) for s in merged.get("synonyms") or ()))
            if column.type not in COLUMN_TYPES:
                raise SpecError(f"Annex A list {number}: {key} has unknown type {column.type}")
            if column.type == "code" and column.code_list not in code_lists:
                raise SpecError(f"Annex A list {number}: {key} names unknown list "
                                f"{column.code_list}")
            columns[key] = column
            for text in (column.header, *column.synonyms):
                taken = headers.setdefault(normal(text), key)
                if taken != key:
                    raise SpecError(f"Annex A list {number}: header {text!r} means both "
                                    f"{taken} and {key}")
        for key in (*body["key"], body.get("start"), body.get("end"), body.get("code")):
            if key is not None and key not in columns:
                raise SpecError(f"Annex A list {number}: {key} is not one of its columns")
        order = tuple((str(a), str(b)) for a, b in body.get("order") or ())
        lists[int(number)] = ListSpec(
            number=int(number), name=body["name"], sheet_names=tuple(body["sheet_names"]),
            columns=columns, key=tuple(body["key"]), subject=body.get("subject", "child_id"),
            start=body.get("start"), end=body.get("end"), code=body.get("code"), order=order,
            headers=headers)
    comparisons = {int(number): (str(body["measure"]), str(body["text"]))
                   for number, body in (data.get("census_comparison") or {}).items()}
    return AnnexASpec(source=" ".join(str(data["source"]).split()), lists=lists,
                      code_lists=code_lists, messages=dict(data["rules"]),
                      comparisons=comparisons)
