"""DfE's CIN census validation rules, checked on one child's record at a time.

The rules are data: ``specs/cin_census/dfe_rules.yaml`` gives each DfE rule's
number, type, years and wording, and for most a declarative *shape* (a date
order, a date in the census period, a field required or absent when another
holds, no two open or overlapping parts...). One function per shape checks
every rule of that shape. Rules no shape fits are the ``procedural`` functions
below, named by rule number. Rules about the whole return (2883, 2886Q,
2887Q, 2888Q) keep a few counters and are judged in ``finish``.

A child's record is the plain values ``ChildChecker`` builds: the child's
fields, ``episodes``, and in each episode ``assessments``, ``cin_plans``,
``section47s`` and ``cpps``. Dates are ISO strings, so they compare as text.

Speed: every rule runs for every child, so each shape is turned into a small
function once per return, with its fields, conditions and settings already
looked up (``_date_order(rule)`` returns the check for that rule). A child then
costs a function call per rule and the comparisons themselves, not a reading
of the rule's settings each time (docs/benchmarks.md, issue 13).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from safeguarding.children import identifiers
from safeguarding.datasets.validation.first_lines import FirstLines
from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.specs import CinSpec, DfeRule, upn_la_codes

PART_LISTS = {"assessment": "assessments", "cin_plan": "cin_plans", "section47": "section47s",
              "cpp": "cpps"}
EMPTY: tuple[None, list] = (None, [])

Item = tuple[dict, dict | None]  # a part's values and the episode it belongs to
# One rule's check, ready to run: given the child and the parts of the rule's module.
Check = Callable[[dict, list[Item]], None]
Getter = Callable[[dict, "dict | None", dict], Any]


def _getter(ref: str) -> Getter:
    """``_get`` for one field reference, decided once: (item, episode, child) -> value."""
    if "." not in ref:
        return lambda item, episode, child: item.get(ref)
    if ref[0] == "c":  # child.X
        name = ref[6:]
        return lambda item, episode, child: child.get(name)
    name = ref[8:]
    return lambda item, episode, child: (episode or {}).get(name)


def _bare(ref: str) -> str:
    return ref.rsplit(".", 1)[-1]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The day ``count`` working days (Monday to Friday) before ``day``.

    Bank holidays are not counted out: DfE's rules name working days, and the
    queries this serves (8569Q, 8670Q, 8675Q) are reported, never refused.
    """
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


class DfeChecker:
    """Checks each child against DfE's rules for the return's year; ``finish`` for the file."""

    def __init__(self, spec: CinSpec, log: ProblemLog):
        self.spec = spec
        self.log = log
        self.reference = spec.reference_date.isoformat()
        self.period_start = spec.period_start.isoformat()
        self.first_lines: dict[str, FirstLines] = {}
        self.counts: Counter = Counter()
        self.disability_codes: set[str] = set()
        self.la_codes = upn_la_codes()
        # Fixed for the return: the limits of the working-day queries.
        self.nfa_limit = working_days_before(spec.period_start, 1).isoformat()  # 8569Q
        self.assessment_limit = working_days_before(spec.reference_date, 45).isoformat()  # 8670Q
        self.s47_limit = working_days_before(spec.reference_date, 15).isoformat()  # 8675Q
        self._parts: dict[str, list[Item]] = {}
        self.over_25 = _years_later(spec.reference_date, -25).isoformat()  # 8775Q
        self.rules = [rule for rule in spec.dfe_rules if rule.check not in ("field", "header")]
        self.file_rules = [rule for rule in self.rules if rule.module == "file"]
        # (module, fields read, check) in the rule table's order, so problems come out
        # in the same order as ever.
        self.checks: list[tuple[str, frozenset[str], Check]] = []
        for rule in self.rules:
            if rule.module == "file":
                continue
            if rule.check == "procedural":
                self.checks.append((rule.module, rule.fields,
                                    _procedural(getattr(self, f"_{rule.id}"), rule)))
            else:  # a shape: its method makes the rule's check
                self.checks.append((rule.module, rule.fields,
                                    getattr(self, f"_{rule.check}")(rule)))
        # For one child while it is checked.
        self._child: dict = {}
        self._child_id = ""
        self._lines: dict[int, Any] = {}
        self.empty_reviews: set[int] = set()  # id() of parts with an empty repeated element

    # -- reporting ---------------------------------------------------------

    def fail(self, rule: DfeRule, item: dict, field_name: str, detail: str = "") -> None:
        node = self._lines.get(id(item))
        row = None
        if node is not None:
            row = node.field_lines.get(field_name, node.line)
        message = rule.message.strip() + (f" ({detail})" if detail else "")
        self.log.add(rule.id, message, row=row, child=self._child_id, field=field_name,
                     severity=rule.severity)

    # -- one child ---------------------------------------------------------

    def check(self, child: dict, lines: dict[int, Any], invalid: set[str]) -> None:
        """Check one child's record; ``lines`` maps id(part) to its node, for line numbers."""
        self._child, self._child_id, self._lines = child, child.get("LAchildID") or "", lines
        episodes = child["episodes"]
        parts: dict[str, list[Item]] = {"child": [(child, None)],
                                         "episode": [(e, e) for e in episodes]}
        for module, key in PART_LISTS.items():
            parts[module] = [(part, e) for e in episodes for part in e[key]]
        self._parts = parts
        for module, fields, check in self.checks:
            items = parts[module]
            if not items:
                continue  # nothing of that kind in this child: nothing to check
            if invalid and invalid & fields:
                continue  # the bad value is already reported; a second message would mislead
            check(child, items)
        self._tally(child)
        self._parts = {}

    def _tally(self, child: dict) -> None:
        counts = self.counts
        counts["children"] += 1
        if child.get("GenderCurrent") in (None, "0") and not child.get("ExpectedPersonBirthDate"):
            counts["no_gender"] += 1
        codes = [c for c in child.get("Disability") or [] if c != "NONE"]
        self.disability_codes.update(codes)
        if len(codes) > 1:
            counts["several_disabilities"] += 1
        if codes:
            counts["with_disability"] += 1
        for episode in child["episodes"]:
            for date in [episode.get("DateOfInitialCPC")] + [
                    s.get("DateOfInitialCPC") for s in episode["section47s"]]:
                if date and self.period_start <= date <= self.reference:
                    counts["icpcs"] += 1
            for plan in episode["cpps"]:
                start = plan.get("CPPstartDate")
                if start and self.period_start <= start <= self.reference:
                    counts["cpp_starts"] += 1

    # -- the whole return -----------------------------------------------------

    def finish(self) -> None:
        """Judge the rules about the whole return, once every child is read."""
        for rule in self.file_rules:
            getattr(self, f"_{rule.id}")(rule)

    def _file_problem(self, rule: DfeRule, detail: str) -> None:
        self.log.add(rule.id, f"{rule.message.strip()} ({detail})", severity=rule.severity)

    def _2883(self, rule: DfeRule) -> None:
        starts, icpcs = self.counts["cpp_starts"], self.counts["icpcs"]
        if starts > icpcs:
            self._file_problem(rule, f"{starts} plans start in the year, {icpcs} initial conferences")

    def _2886Q(self, rule: DfeRule) -> None:
        children, none = self.counts["children"], self.counts["no_gender"]
        if children and none / children > 0.02:
            self._file_problem(rule, f"{none} of {children} children")

    def _2887Q(self, rule: DfeRule) -> None:
        if self.counts["children"] and len(self.disability_codes) < 8:
            self._file_problem(rule, f"{len(self.disability_codes)} codes used")

    def _2888Q(self, rule: DfeRule) -> None:
        if self.counts["with_disability"] and not self.counts["several_disabilities"]:
            self._file_problem(rule, f"{self.counts['with_disability']} children with a disability")

    # -- shapes ---------------------------------------------------------------

    def _condition(self, conditions) -> Callable[[dict, dict | None, dict], bool] | None:
        """A rule's ``when`` (or ``open``) as one test of (item, episode, child); None: always."""
        if not conditions:
            return None
        period_start = self.period_start
        tests = []
        for cond in conditions if isinstance(conditions, list) else [conditions]:
            get = _getter(cond["field"])
            present, among, flag = cond.get("present"), cond.get("in"), cond.get("is")
            has_present, has_in, has_is = "present" in cond, "in" in cond, "is" in cond
            on_or_after = "on_or_after" in cond

            def test(item, episode, child, get=get, present=present, among=among, flag=flag,
                     has_present=has_present, has_in=has_in, has_is=has_is,
                     on_or_after=on_or_after) -> bool:
                value = get(item, episode, child)
                if has_present and (value not in EMPTY) != present:
                    return False
                if has_in and value not in among:
                    return False
                if has_is and (value is True) != flag:
                    return False
                return not (on_or_after and not (value and value >= period_start))
            tests.append(test)
        if len(tests) == 1:
            return tests[0]
        return lambda item, episode, child: all(t(item, episode, child) for t in tests)

    def _date_order(self, rule: DfeRule) -> Check:
        p = rule.params
        first_of, second_of = _getter(p["earlier"]), _getter(p["later"])
        report = _bare(p.get("report") or p["later"])
        earlier, later = _bare(p["earlier"]), _bare(p["later"])
        equal_only, strict, fail = p.get("equal_only"), p.get("strict"), self.fail

        def check(child: dict, items: list[Item]) -> None:
            for item, episode in items:
                first = first_of(item, episode, child)
                if first in EMPTY:
                    continue
                second = second_of(item, episode, child)
                if second in EMPTY:
                    continue
                for a in first if isinstance(first, list) else (first,):
                    for b in second if isinstance(second, list) else (second,):
                        if (b == a) if equal_only else (b < a or (strict and b == a)):
                            fail(rule, item, report, f"{earlier} {a}, {later} {b}")
        return check

    def _in_period(self, rule: DfeRule) -> Check:
        p = rule.params
        get, name = _getter(p["field"]), _bare(p["field"])
        when, optional, from_start = self._condition(p.get("when")), p.get("optional"), p.get(
            "from_start")
        reference, period_start, fail = self.reference, self.period_start, self.fail
        # `also_in`: the field is in more than one place (DateOfInitialCPC is in CINdetails
        # and in Section47): each episode is read, then its parts of those modules.
        also = [PART_LISTS[module] for module in p.get("also_in") or ()]
        if also and rule.module != "episode":
            raise ValueError(f"rule {rule.id}: also_in is read from an episode's parts")

        def check(child: dict, items: list[Item]) -> None:
            if also:
                items = [each for item, episode in items
                         for each in [(item, episode),
                                      *((part, item) for key in also for part in item[key])]]
            for item, episode in items:
                if when is not None and not when(item, episode, child):
                    continue
                value = get(item, episode, child)
                if value is None:
                    if not optional:
                        fail(rule, item, name, f"{name} is missing")
                elif value > reference or (from_start and value < period_start):
                    fail(rule, item, name,
                         f"{name} {value}; the census year is {period_start} to {reference}")
        return check

    def _required(self, rule: DfeRule) -> Check:
        p = rule.params
        get, report = _getter(p["field"]), _bare(p.get("report") or p["field"])
        when, fail = self._condition(p.get("when")), self.fail

        def check(child: dict, items: list[Item]) -> None:
            for item, episode in items:
                if (when is None or when(item, episode, child)) and (
                        get(item, episode, child) in EMPTY):
                    fail(rule, item, report)
        return check

    def _absent(self, rule: DfeRule) -> Check:
        p = rule.params
        when, fail = self._condition(p.get("when")), self.fail
        keys, names = tuple(p.get("parts") or ()), tuple(p.get("fields") or ())

        def check(child: dict, items: list[Item]) -> None:
            for item, episode in items:
                if when is not None and not when(item, episode, child):
                    continue
                for key in keys:
                    for part in item[key]:
                        fail(rule, part, _PART_ELEMENT[key])
                for name in names:
                    if item.get(name) not in EMPTY:
                        fail(rule, item, name, f"{name} {_text(item.get(name))}")
        return check

    def _not_weekend(self, rule: DfeRule) -> Check:
        name, fail = rule.params["field"], self.fail

        def check(child: dict, items: list[Item]) -> None:
            for item, _episode in items:
                value = item.get(name)
                if value and _day(value).weekday() >= 5:
                    fail(rule, item, name, f"{name} {value} is a {_day(value):%A}")
        return check

    def _no_duplicates(self, rule: DfeRule) -> Check:
        name, fail = rule.params["field"], self.fail

        def check(child: dict, items: list[Item]) -> None:
            for item, _episode in items:
                values = item.get(name) or []
                if len(values) > 1 and len(set(values)) < len(values):
                    repeated = sorted({v for v in values if values.count(v) > 1})
                    fail(rule, item, name, f"{name} {', '.join(repeated)}")
        return check

    def _alone(self, rule: DfeRule) -> Check:
        name, code, fail = rule.params["field"], str(rule.params["code"]), self.fail

        def check(child: dict, items: list[Item]) -> None:
            for item, _episode in items:
                values = item.get(name) or []
                if code in values and any(v != code for v in values):
                    fail(rule, item, name, f"{name} {', '.join(values)}")
        return check

    def _unique_in_file(self, rule: DfeRule) -> Check:
        name = rule.params["field"]
        seen = self.first_lines.setdefault(rule.id, FirstLines())

        def check(child: dict, items: list[Item]) -> None:
            value = child.get(name)
            if value is None:
                return
            node = self._lines.get(id(child))
            first = seen.first_or_add(str(value), node.line if node is not None else 0)
            if first is not None:
                self.fail(rule, child, name, f"{name} {value}, first at line {first}")
        return check

    def _scope_parts(self, rule: DfeRule, child: dict) -> Iterator[list[dict]]:
        """The groups of parts compared with each other: per episode, or across the child."""
        key = rule.params["parts"]
        if key == "episodes":
            yield child["episodes"]
        elif rule.module == "child":
            yield [part for episode in child["episodes"] for part in episode[key]]
        else:
            for episode in child["episodes"]:
                yield episode[key]

    def _one_open(self, rule: DfeRule) -> Check:
        is_open, element = self._condition(rule.params["open"]), _PART_ELEMENT[rule.params["parts"]]
        always = is_open is None

        def check(child: dict, items: list[Item]) -> None:
            for parts in self._scope_parts(rule, child):
                if len(parts) < 2:
                    continue
                open_parts = [p for p in parts
                              if always or (is_open is not None and is_open(p, p, child))]
                for part in open_parts[1:]:
                    self.fail(rule, part, element, f"{len(open_parts)} open")
        return check

    def _no_overlap(self, rule: DfeRule) -> Check:
        p = rule.params
        start, end = p["start"], p["end"]
        skip_identical, end_exclusive = p.get("skip_identical"), p.get("end_exclusive")
        open_counts = self._condition(p.get("open_only_when"))

        def check(child: dict, items: list[Item]) -> None:
            for parts in self._scope_parts(rule, child):
                if len(parts) < 2:
                    continue
                dated = [part for part in parts if part.get(start)]
                if len(dated) < 2:
                    continue
                for part in dated:
                    begins = part[start]
                    for other in dated:
                        if other is part or (skip_identical and other.get(start) == begins
                                             and other.get(end) == part.get(end)):
                            continue
                        if begins < other[start]:
                            continue
                        ends = other.get(end)
                        if ends:
                            inside = begins < ends if end_exclusive else begins <= ends
                        else:
                            inside = begins <= self.reference and (
                                open_counts is None or open_counts(other, other, child))
                        if inside:
                            self.fail(rule, part, start,
                                      f"{start} {begins} falls in the one from {other[start]} "
                                      f"to {ends or 'the reference date'}")
                            break
        return check

    # -- procedural rules ----------------------------------------------------------

    def _upn_rule(self, rule: DfeRule, child: dict, broken: Callable[[str], bool]) -> None:
        upn = child.get("UPN")
        if upn and len(upn) == 13 and broken(upn):
            self.fail(rule, child, "UPN", f"UPN {upn}")

    def _1510(self, rule: DfeRule, child: dict) -> None:
        def wrong_letter(upn: str) -> bool:
            # DfE's check letter (identifiers.upn_check_letter), by a table: once per child.
            total = 0
            for weight, char in enumerate(upn[1:], start=2):
                value = _UPN_VALUES.get(char)
                if value is None:
                    return False  # another rule (1540, 1550) names the fault
                total += weight * value
            return upn[0] != identifiers.UPN_LETTERS[total % 23]
        self._upn_rule(rule, child, wrong_letter)

    def _1530(self, rule: DfeRule, child: dict) -> None:
        self._upn_rule(rule, child, lambda upn: upn[1:4] not in self.la_codes)

    def _1540(self, rule: DfeRule, child: dict) -> None:
        self._upn_rule(rule, child, lambda upn: not upn[4:12].isdigit())

    def _1550(self, rule: DfeRule, child: dict) -> None:
        self._upn_rule(rule, child, lambda upn: not (
            upn[12].isdigit() or upn[12] in identifiers.UPN_LETTERS))

    def _1560Q(self, rule: DfeRule, child: dict) -> None:
        former = child.get("FormerUPN")
        if former and not _valid_upn(former):
            self.fail(rule, child, "FormerUPN", f"FormerUPN {former}")

    def _2884(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            date = episode.get("DateOfInitialCPC")
            if date and any(s.get("DateOfInitialCPC") == date for s in episode["section47s"]):
                self.fail(rule, episode, "DateOfInitialCPC", f"DateOfInitialCPC {date}")

    def _2885(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            s47s = [s for s in episode["section47s"] if s.get("ICPCnotRequired") is not True]
            icpcs = {s.get("DateOfInitialCPC") for s in s47s} if s47s else {
                episode.get("DateOfInitialCPC")}
            for plan in episode["cpps"]:
                start = plan.get("CPPstartDate")
                if start and self.period_start <= start <= self.reference and start not in icpcs:
                    self.fail(rule, plan, "CPPstartDate", f"CPPstartDate {start}")

    def _2991Q(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            if episode["section47s"] and not episode["assessments"]:
                self.fail(rule, episode["section47s"][0], "Section47")

    def _4001(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            if any(not c.get("CPPendDate") for c in episode["cpps"]):
                for plan in episode["cin_plans"]:
                    if plan.get("CINPlanStartDate") and not plan.get("CINPlanEndDate"):
                        self.fail(rule, plan, "CINPlanEndDate")

    def _4003(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            spans = [(p.get("CINPlanStartDate"), p.get("CINPlanEndDate"))
                     for p in episode["cin_plans"]]
            for plan in episode["cpps"]:
                for review in plan.get("CPPreviewDate") or []:
                    if review == plan.get("CPPendDate"):
                        continue
                    for start, end in spans:
                        if start and end and start <= review < end:
                            self.fail(rule, plan, "CPPreviewDate", f"CPPreviewDate {review}")
                            break

    def _cin_in_cpp(self, rule: DfeRule, child: dict, *, inner: str, outer: str) -> None:
        """A plan of one kind starting inside a plan of the other (4016, 4017)."""
        keys = {"cin": ("cin_plans", "CINPlanStartDate", "CINPlanEndDate"),
                "cpp": ("cpps", "CPPstartDate", "CPPendDate")}
        in_key, in_start, _ = keys[inner]
        out_key, out_start, out_end = keys[outer]
        outers = [(o.get(out_start), o.get(out_end)) for e in child["episodes"] for o in e[out_key]]
        for episode in child["episodes"]:
            for plan in episode[in_key]:
                start = plan.get(in_start)
                for o_start, o_end in outers:
                    if not start or not o_start or start < o_start:
                        continue
                    if (o_end and start < o_end) or (not o_end and start <= self.reference):
                        self.fail(rule, plan, in_start, f"{in_start} {start}")
                        break

    def _4016(self, rule: DfeRule, child: dict) -> None:
        self._cin_in_cpp(rule, child, inner="cin", outer="cpp")

    def _4017(self, rule: DfeRule, child: dict) -> None:
        self._cin_in_cpp(rule, child, inner="cpp", outer="cin")

    def _4012Q(self, rule: DfeRule, child: dict) -> None:
        for plan, _episode in self._parts["cin_plan"]:
            start, end = plan.get("CINPlanStartDate"), plan.get("CINPlanEndDate")
            if start and start == end:
                self.fail(rule, plan, "CINPlanEndDate", f"CINPlanEndDate {end}")

    def _8525Q(self, rule: DfeRule, child: dict) -> None:
        born, expected = child.get("PersonBirthDate"), child.get("ExpectedPersonBirthDate")
        if bool(born) == bool(expected):
            self.fail(rule, child, "PersonBirthDate",
                      "both are given" if born else "neither is given")

    def _8530Q(self, rule: DfeRule, child: dict) -> None:
        expected = child.get("ExpectedPersonBirthDate")
        if not expected:
            return
        ref = self.spec.reference_date
        low, high = ref - dt.timedelta(days=30), dt.date(ref.year, 12, 31)
        if not low.isoformat() <= expected <= high.isoformat():
            self.fail(rule, child, "ExpectedPersonBirthDate", f"ExpectedPersonBirthDate {expected}")

    def _8540(self, rule: DfeRule, child: dict) -> None:
        if child.get("PersonBirthDate") and not child.get("Disability") and any(
                e.get("ReferralNFA") is False for e in child["episodes"]):
            self.fail(rule, child, "Disability", "Disability is missing")

    def _8565(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            closed = episode.get("CINclosureDate")
            if not closed:
                continue
            later = [("DateOfInitialCPC", episode.get("DateOfInitialCPC"), episode)]
            for part in episode["assessments"]:
                later += [("AssessmentActualStartDate", part.get("AssessmentActualStartDate"), part),
                          ("AssessmentAuthorisationDate", part.get("AssessmentAuthorisationDate"),
                           part)]
            for part in episode["section47s"]:
                later += [("S47ActualStartDate", part.get("S47ActualStartDate"), part),
                          ("DateOfInitialCPC", part.get("DateOfInitialCPC"), part)]
            for part in episode["cpps"]:
                later += [("CPPendDate", part.get("CPPendDate"), part)]
            for part in episode["cin_plans"]:
                later += [("CINPlanStartDate", part.get("CINPlanStartDate"), part),
                          ("CINPlanEndDate", part.get("CINPlanEndDate"), part)]
            for name, value, _part in later:
                if value and value > closed:
                    self.fail(rule, episode, "CINclosureDate",
                              f"CINclosureDate {closed}, {name} {value}")
                    break

    def _8569Q(self, rule: DfeRule, child: dict) -> None:
        limit = self.nfa_limit
        for episode in child["episodes"]:
            referral = episode.get("CINreferralDate")
            if referral and referral < limit and episode.get("ReferralNFA") is True:
                self.fail(rule, episode, "ReferralNFA", f"CINreferralDate {referral}")

    def _8590(self, rule: DfeRule, child: dict) -> None:
        if not child["episodes"]:
            self.fail(rule, child, "CINdetails")

    def _8606(self, rule: DfeRule, child: dict) -> None:
        born = child.get("PersonBirthDate") or child.get("ExpectedPersonBirthDate")
        if not born or all((e.get("CINreferralDate") or born) >= born for e in child["episodes"]):
            return  # no referral before the birth, so none 280 days before it
        limit = (_day(born) - dt.timedelta(days=280)).isoformat()
        for episode in child["episodes"]:
            referral = episode.get("CINreferralDate")
            if referral and referral < limit:
                self.fail(rule, episode, "CINreferralDate",
                          f"CINreferralDate {referral}, birth date {born}")

    def _8670Q(self, rule: DfeRule, child: dict) -> None:
        limit = self.assessment_limit
        for part, _episode in self._parts["assessment"]:
            start = part.get("AssessmentActualStartDate")
            if start and start < limit and not part.get("AssessmentAuthorisationDate"):
                self.fail(rule, part, "AssessmentActualStartDate",
                          f"AssessmentActualStartDate {start}")

    def _8675Q(self, rule: DfeRule, child: dict) -> None:
        limit = self.s47_limit
        for part, _episode in self._parts["section47"]:
            start = part.get("S47ActualStartDate")
            if (start and start < limit and not part.get("DateOfInitialCPC")
                    and part.get("ICPCnotRequired") is not True):
                self.fail(rule, part, "S47ActualStartDate", f"S47ActualStartDate {start}")

    def _8750(self, rule: DfeRule, child: dict) -> None:
        if (not child.get("PersonBirthDate") and child.get("ExpectedPersonBirthDate")
                and child.get("GenderCurrent") != "0"):
            name = "Sex" if "Sex" in child else "GenderCurrent"
            self.fail(rule, child, name, f"{name} {child.get(name)}")

    def _8770Q(self, rule: DfeRule, child: dict) -> None:
        born = child.get("PersonBirthDate")
        if not born or child.get("UPN"):
            return
        ref = self.spec.reference_date
        limit = dt.date(ref.year - 6, ref.month, ref.day).isoformat()
        if born > limit or not any(e.get("ReferralNFA") is False for e in child["episodes"]):
            return
        # UN1 ("not of school age") is no reason for a child of six or more.
        if child.get("UPNunknown") in (None, "UN1"):
            self.fail(rule, child, "UPN", f"PersonBirthDate {born}")

    def _8772(self, rule: DfeRule, child: dict) -> None:
        if child.get("UPNunknown") == "UN7" and any(
                e.get("ReferralNFA") is False for e in child["episodes"]):
            self.fail(rule, child, "UPNunknown", "UPNunknown UN7")

    def _8775Q(self, rule: DfeRule, child: dict) -> None:
        born = child.get("PersonBirthDate")
        if not born or born >= self.over_25:
            return
        birth = _day(born)
        limit = _years_later(birth, 25).isoformat()
        if any(not e.get("CINclosureDate") or e["CINclosureDate"] > limit
               for e in child["episodes"]):
            self.fail(rule, child, "PersonBirthDate", f"PersonBirthDate {born}")

    def _8816(self, rule: DfeRule, child: dict) -> None:
        episodes = [e for e in child["episodes"] if e.get("CINreferralDate")]
        if len(episodes) < 2:
            return
        latest = max(e["CINreferralDate"] for e in episodes)
        for episode in episodes:
            if (not episode.get("CINclosureDate") and episode.get("ReferralNFA") is False
                    and episode["CINreferralDate"] != latest):
                self.fail(rule, episode, "CINreferralDate",
                          f"CINreferralDate {episode['CINreferralDate']}; the latest is {latest}")

    def _8825Q(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            if episode.get("ReasonForClosure") in ("RC8", "RC9") and not episode["assessments"]:
                self.fail(rule, episode, "ReasonForClosure",
                          f"ReasonForClosure {episode['ReasonForClosure']}")

    def _8842Q(self, rule: DfeRule, child: dict) -> None:
        for plan, _episode in self._parts["cpp"]:
            if id(plan) in self.empty_reviews:
                self.fail(rule, plan, "CPPreviewDate")

    def _8867(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            if episode.get("CINclosureDate"):
                for part in episode["assessments"]:
                    if not part.get("AssessmentAuthorisationDate"):
                        self.fail(rule, part, "AssessmentAuthorisationDate")

    def _8868(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            if episode.get("CINclosureDate"):
                for part in episode["section47s"]:
                    held = bool(part.get("DateOfInitialCPC"))
                    if held == (part.get("ICPCnotRequired") is True):
                        self.fail(rule, part, "DateOfInitialCPC")

    def _8873Q(self, rule: DfeRule, child: dict) -> None:
        for episode in child["episodes"]:
            parts = episode["assessments"]
            if (len(parts) == 1 and "21" in (parts[0].get("AssessmentFactors") or [])
                    and episode.get("ReasonForClosure") not in ("RC8", "RC9")):
                self.fail(rule, episode, "ReasonForClosure",
                          f"ReasonForClosure {episode.get('ReasonForClosure') or 'missing'}")

    def _factor_query(self, rule: DfeRule, child: dict, code: str) -> None:
        for part, _episode in self._parts["assessment"]:
            if code in (part.get("AssessmentFactors") or []):
                self.fail(rule, part, "AssessmentFactors", f"AssessmentFactors {code}")

    def _8945Q(self, rule: DfeRule, child: dict) -> None:
        self._factor_query(rule, child, "18A")

    def _8950Q(self, rule: DfeRule, child: dict) -> None:
        self._factor_query(rule, child, "19A")


def _procedural(method: Callable[[DfeRule, dict], None], rule: DfeRule) -> Check:
    """A procedural rule (a method named by its number) as a check like the shapes'."""
    return lambda child, items: method(rule, child)


_UPN_VALUES = {**{str(digit): digit for digit in range(10)},
               **{letter: place for place, letter in enumerate(identifiers.UPN_LETTERS)}}

_PART_ELEMENT = {"episodes": "CINdetails", "assessments": "Assessments",
                 "cin_plans": "CINPlanDates", "section47s": "Section47",
                 "cpps": "ChildProtectionPlans"}


def _text(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _valid_upn(text: str) -> bool:
    try:
        identifiers.validate_upn(text)
    except Exception:  # noqa: BLE001 - any refusal means the format is wrong
        return False
    return True
