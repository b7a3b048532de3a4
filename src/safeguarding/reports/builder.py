"""The yearly report: its sections, in the order of the seed report, and their figures.

``build`` reads the narrative and the figures and returns a ``Report``: a tree
of sections holding narrative, sentences about figures, tables and charts, and
the register of every figure for the notes annex. The same ``Report`` renders
the browser page, the PDF and the published snapshot (``render_body``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from safeguarding.core import modules
from safeguarding.core.grammar import capitalised, counted, verb_for
from safeguarding.core.models import Partnership
from safeguarding.measures import sources
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.periods import Period
from safeguarding.reports import annex, selectors
from safeguarding.reports import narrative as narrative_text
from safeguarding.reports.figures import (
    NOT_RECORDED,
    SUPPRESSED,
    Figure,
    Register,
    by_count,
    compare,
    note_ref,
    number,
    sentence,
)
from safeguarding.reports.models import Block, NarrativeVersion
from safeguarding.reports.modules import absent, child_deaths, measures, practice_reviews

# Contract report sections the report has its own place for (a top-level section of the
# seed report), rather than under "The work of our sub-groups".
OWN_PLACE = frozenset({"training", "learning_in_practice"})
# Each section's named narrative blocks: (the block opening it, its focus for next year).
SECTION_BLOCKS: dict[str, tuple[str | None, str]] = {
    "emerging-risks": (None, Block.FOCUS_EMERGING_RISKS),
    "neglect": (Block.PRIORITY_NEGLECT, Block.FOCUS_NEGLECT),
    "child-exploitation": (Block.PRIORITY_EXPLOITATION, Block.FOCUS_EXPLOITATION),
    "multi-agency-practice": (Block.PRIORITY_PRACTICE, Block.FOCUS_PRACTICE),
    "scrutiny": (Block.SUBGROUP_SCRUTINY, Block.FOCUS_SCRUTINY),
    "practice-reviews": (Block.SUBGROUP_REVIEWS, Block.FOCUS_REVIEWS),
    "child-deaths": (Block.SUBGROUP_CHILD_DEATHS, Block.FOCUS_CHILD_DEATHS),
    "learning": (Block.SUBGROUP_LEARNING, Block.FOCUS_LEARNING),
    "restraint-review": (Block.SUBGROUP_RESTRAINT, Block.FOCUS_RESTRAINT),
}
OUTCOME_LABELS = {"kept": "Kept", "missed": "Missed", "in_progress": "In progress"}
_SVG_SIZE = re.compile(r'\s(width|height)="[^"]*"')
@dataclass
class NarrativeView:
    block: str
    heading: str
    html: SafeString
    draft: bool
    version: NarrativeVersion | None


@dataclass
class Section:
    key: str
    title: str
    level: int = 2
    items: list[dict] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"

    def add(self, kind: str, **data) -> dict:
        item = {"kind": kind, **data}
        self.items.append(item)
        return item

    def sub(self, key: str, title: str) -> Section:
        child = Section(key, title, level=self.level + 1)
        self.children.append(child)
        return child


@dataclass
class Report:
    partnership: Partnership
    period: Period
    previous: Period
    next_year: str
    sections: list[Section]
    figures: Register
    narrative: dict[str, NarrativeView]
    generated_on: dt.date
    published: dict | None = None

    @property
    def title(self) -> str:
        return f"Yearly report {self.period.label}"

    @property
    def draft_blocks(self) -> list[NarrativeView]:
        return [view for view in self.narrative.values() if view.draft]

    @property
    def not_recorded(self) -> list[Figure]:
        return [f for f in self.figures if f.status == NOT_RECORDED]

    @property
    def suppressed(self) -> list[Figure]:
        return [f for f in self.figures if f.status == SUPPRESSED]

    def narrative_versions(self) -> list[NarrativeVersion]:
        return [v.version for v in self.narrative.values() if v.version is not None]

    def figures_data(self) -> list[dict]:
        return [f.as_dict() for f in self.figures]


# Building --------------------------------------------------------------------------------


def build(partnership: Partnership, year: str | Period, *,
          narrative: dict[str, NarrativeVersion | None] | None = None,
          published: dict | None = None, today: dt.date | None = None) -> Report:
    period = year if isinstance(year, Period) else selectors.report_year(year)
    versions = narrative if narrative is not None else selectors.current_narrative(
        partnership, period.label)
    # The report asks for several sets of periods: the measures' frames are loaded once.
    with sources.one_read():
        return _Builder(partnership, period, versions, published,
                        today or timezone.localdate()).build()


class _Builder:
    def __init__(self, partnership, period, versions, published, today):
        self.partnership = partnership
        self.period = period
        self.previous = period.previous()
        self.next_year = selectors.report_year(
            f"{period.end.year}-{str(period.end.year + 1)[2:]}").label
        self.versions = versions
        self.published = published
        self.today = today
        self.register = Register()
        self.narrative: dict[str, NarrativeView] = {}
        self.catalogue = catalogue()
        self.reader = self._measure_reader()
        self.app_text = modules.report_text(partnership, period, self._published_figure)

    def build(self) -> Report:
        sections = [
            self.foreword(), self.introduction(), self.arrangements(), self.emerging_risks(),
            self.priorities(), self.critical_moments(), self.sub_groups(), self.training(), self.commitments_review(),
            self.focus(), self.compliance_annex(),
        ]
        return Report(self.partnership, self.period, self.previous, self.next_year, sections,
                      self.register, self.narrative, self.today, self.published)

    # helpers -------------------------------------------------------------------------------

    @property
    def year(self) -> str:
        return self.period.label

    def _published_figure(self, measure_id: str):
        """The engine's result as this report publishes it, for the apps' sentences."""
        if self.reader is None:
            return None
        return self.reader.published_result(self.catalogue[measure_id], self.period)

    def _measure_reader(self):
        reader = selectors.MeasureReader(self.partnership)
        return reader if reader.las else None

    def block(self, section: Section, block: str) -> None:
        spec = narrative_text.spec(block)
        version = self.versions.get(block)
        if version is None and not spec.required:
            return  # an optional block not written: the section tells its figures alone
        view = NarrativeView(
            block, spec.heading, narrative_text.render(version.text if version else
                                                       spec.placeholder),
            draft=version is None, version=version)
        self.narrative[block] = view
        section.add("narrative", view=view)

    def add(self, figure: Figure, section: Section) -> Figure:
        return self.register.add(figure, section.title)

    def say(self, section: Section, *parts: SafeString) -> None:
        section.add("prose", html=format_html_join(" ", "{}", ((p,) for p in parts)))

    def tell(self, section: Section, *entries) -> None:
        """Sentences about figures. Each entry is a figure, or (figure, template[, extra]).
        Recorded and withheld figures are said in one paragraph; figures not recorded are
        listed together under their reason, rather than repeated sentence by sentence."""
        said, missing = [], []
        for entry in entries:
            # A bare figure (a contract's report section lists only measures) is said
            # as its title and value, as the module sections say theirs.
            fig, template, extra = (
                entry, "{title}: {value}{out_of}", {"title": entry.title},
            ) if isinstance(entry, Figure) else (entry + ({},))[:3]
            if fig.status == NOT_RECORDED:
                missing.append(fig)
            else:
                said.append(sentence(fig, by_count(fig, template), year=self.year, **extra))
        if said:
            self.say(section, *said)
        self.missing(section, missing)

    def missing(self, section: Section, figures: list[Figure]) -> None:
        for fig in figures:
            reason = (fig.reason or "The platform does not hold the data").rstrip(". ")
            last = section.items[-1] if section.items else None
            if last and last["kind"] == "missing" and last["reason"] == reason:
                if fig not in last["figures"]:
                    last["figures"].append(fig)
            else:
                section.add("missing", reason=reason, figures=[fig])

    def measure(self, indicator_id: str, section: Section, **options) -> Figure:
        return measures.measure(self, indicator_id, section, **options)

    def chart(self, section: Section, figure: Figure, *, svg: str, caption: str,
              head: list[str], rows: list[list], numeric: list[bool]) -> None:
        svg = _prepare_svg(svg)
        section.add("chart", figure=figure, svg=mark_safe(svg),  # noqa: S308 - core.charts output
                    caption=caption,
                    table={"caption": caption, "head": head, "rows": rows, "numeric": numeric})

    # sections ------------------------------------------------------------------------------

    def foreword(self) -> Section:
        section = Section("foreword", "Foreword")
        for block in narrative_text.FOREWORDS:
            part = section.sub(block.replace("_", "-"), narrative_text.spec(block).heading)
            self.block(part, block)
        return section

    def introduction(self) -> Section:
        section = Section("introduction", "Introduction")
        self.block(section, Block.INTRODUCTION)
        section.add("inset", text=(
            "Every figure in this report comes from the records the partners keep on the "
            "platform or from the statutory returns imported into it. Each figure is numbered; "
            "the notes at the end give its definition and source. Where the platform does "
            "not hold the data for a figure, the report says \u201cnot recorded\u201d rather "
            "than estimate it."))
        return section

    def arrangements(self) -> Section:
        section = Section("arrangements", "Changes to the arrangements")
        self.block(section, Block.ARRANGEMENTS)
        facts = selectors.arrangements(self.partnership)
        part = section.sub("arrangements-now", "The arrangements at the end of the year")
        if facts.local_authorities:
            areas = _and_list(facts.local_authorities)
            noun = "area" if len(facts.local_authorities) == 1 else "areas"
            self.say(part, format_html("{} covers the local authority {} of {}.",
                                       self.partnership.name, noun, areas))
        if facts.sub_groups:
            self.say(part, format_html("{}", "The board's work is carried out through its "
                                             "sub-groups:"))
            part.add("list", items=facts.sub_groups)
        for function, partner in facts.shares_given:
            self.say(part, format_html("The partnership hosts the {} for itself and for {}.",
                                       function, partner))
        for function, host in facts.shares_received:
            self.say(part, format_html("The partnership uses the {} hosted by {}.",
                                       function, host))
        return section

    def emerging_risks(self) -> Section:
        section = Section("emerging-risks", "Our response to emerging risks")
        self.block(section, Block.EMERGING_RISKS)
        self.opening(section, "emerging-risks")
        part = section.sub("demand", "Demand for early help and children's social care")
        early = self.measure("early_help_referrals", part)
        referrals = self.measure("referrals", part)
        self.tell(part, (early, "In {year}, {value} early help episodes started"),
                  (referrals, "There were {value} referrals to children's social care"))
        measures.quarterly_chart(self, part, "referrals", "Referrals to children's social care by quarter")
        measures.comparison_table(self, section.sub(
            "comparisons", "How the partnership compares, per 10,000 children"))
        self.closing(section, "emerging-risks")
        return section

    def opening(self, section: Section, key: str) -> None:
        """A section's own named narrative block, where one is written."""
        opening, _focus = SECTION_BLOCKS.get(key, (None, ""))
        if opening:
            self.block(section, opening)

    def closing(self, section: Section, key: str) -> None:
        """A section's focus for next year, where written: its lines become commitments."""
        _opening, focus = SECTION_BLOCKS.get(key, (None, ""))
        if focus and self.versions.get(focus) is not None:
            part = section.sub(f"{key}-focus", f"Focus for {self.next_year}")
            self.block(part, focus)

    def priorities(self) -> Section:
        section = Section("priorities", "Our priorities")
        found = modules.report_priorities(self.partnership, self.year)
        if found:
            self.say(section, format_html(
                "The partnership had {} for {}: {}. This section gives the measures the "
                "partners watch for each.", counted(len(found), "priority"), self.year,
                _and_list([p.title[:1].lower() + p.title[1:] for p in found])))
        else:
            self.say(section, format_html(
                "No priorities for {} are recorded in the business plan. This section gives "
                "the measures the partners watch.", self.year))
        by_key = {p.key: p for p in found}
        tellers = {"neglect": ("Neglect", measures.neglect),
                   "child-exploitation": ("Child exploitation", measures.exploitation),
                   "multi-agency-practice": ("Effective multi-agency safeguarding practice",
                                             measures.practice)}
        for key, (title, tell) in tellers.items():
            priority = by_key.pop(key, None)
            part = section.sub(key, priority.title if priority else title)
            self.opening(part, key)
            if priority is not None:
                self.objectives(part, priority)
            tell(self, part)
            self.closing(part, key)
        for priority in by_key.values():  # priorities the report has no measures for
            part = section.sub(priority.key, priority.title)
            self.objectives(part, priority)
        return section

    def objectives(self, section: Section, priority: modules.PriorityView) -> None:
        if priority.summary:
            self.say(section, format_html("{}", priority.summary))
        if priority.objectives:
            self.say(section, format_html("Its {}:", "objective was" if len(
                priority.objectives) == 1 else "objectives were"))
            section.add("list", items=list(priority.objectives))

    def sub_groups(self) -> Section:
        section = Section("sub-groups", "The work of our sub-groups")
        self.say(section, format_html(
            "The sub-groups carry out the partnership's work between board meetings. This "
            "section sets out what each did in {}.", self.year))
        bodies = modules.report_bodies(self.partnership, self.period)
        placed = {b.section: b for b in bodies if b.section}
        for key, title, tell in (
                ("scrutiny", "Scrutiny and assurance", measures.scrutiny),
                ("practice-reviews", "Child safeguarding practice reviews",
                 practice_reviews.section),
                ("child-deaths", "Review of child deaths", child_deaths.section),
                ("learning", "Learning in practice", practice_reviews.learning)):
            part = section.sub(key, title)
            self.opening(part, key)
            tell(self, part)
            self.records_say(part, key)
            if key == "learning":
                self.declared_by_key(part, "learning_in_practice")
            if key in placed:
                self.body_year(part, placed.pop(key))
            self.closing(part, key)
        self.contributed(section, placed)
        for body in bodies:  # the bodies no section of the report is about
            if not body.section:
                self.body_year(section.sub(_slug(body.name), body.name), body)
        return section

    def body_year(self, section: Section, body: modules.BodySummary) -> None:
        """A body's year from governance's records: meetings, attendance, decisions and
        the commitments it led."""
        held = body.meetings_held
        if held == 0:
            self.say(section, format_html("{} held no meetings in {}.", body.name,
                                          self.year))
        else:
            self.say(section, format_html(
                "{} held {} in {}, of which {} quorate.", body.name,
                counted(held, "meeting"), self.year, _n_verb(body.meetings_quorate, "was")))
        if body.attendance:
            rows = [[format_html("{}", agency), format_html("{}", number(present)),
                     format_html("{}", number(expected))]
                    for agency, present, expected in body.attendance]
            section.add("table", caption=f"{body.name}: attendance by agency in {self.year}",
                        head=["Agency", "Meetings attended", "Meetings expected"],
                        numeric=[False, True, True], rows=rows)
        if body.decisions:
            self.say(section, format_html("{} recorded:", capitalised(
                counted(len(body.decisions), "decision", verb="was"))))
            section.add("list", items=list(body.decisions))
        made = body.commitments_kept + body.commitments_missed + body.commitments_open
        if made:
            self.say(section, format_html(
                "Of the {} it led, {} kept, {} missed and {} still open.",
                counted(made, "commitment"), _n_verb(body.commitments_kept, "was"),
                _n_verb(body.commitments_missed, "was"), _n_verb(body.commitments_open, "is")))

    def contributed(self, section: Section, placed: dict | None = None) -> None:
        """The sections the apps' contracts add (core/modules.py): each tells its measures."""
        placed = placed if placed is not None else {}
        for declared in modules.report_sections():
            if declared.key in OWN_PLACE or declared.part_of:
                continue  # told in its own section of the report
            part = section.sub(declared.key, declared.title)
            self.opening(part, declared.key)
            self.declared(part, declared)
            if declared.key in placed:
                self.body_year(part, placed.pop(declared.key))
            self.closing(part, declared.key)

    def declared(self, part: Section, declared) -> None:
        """A contract's report section: its opening sentence, then each measure in the
        sentence the contract gives it (one form for exactly 1, another for 0 and more)."""
        if declared.intro:
            self.say(part, format_html("{}", declared.intro))
        entries = []
        for indicator_id in declared.measures:
            fig = self.measure(indicator_id, part, published=True)
            if indicator_id in declared.nouns:
                fig.noun, fig.noun_one = declared.nouns[indicator_id]
                compare(fig, fig.previous, fig.previous_label)
            template = declared.sentences.get(indicator_id)
            entries.append((fig, template) if template else fig)
        self.tell(part, *entries)
        self.records_say(part, declared.key)

    def records_say(self, section: Section, key: str) -> None:
        """What the apps' contracts say from their records in this section (core.modules
        ``report_text``): audits completed and their findings, survey results."""
        sentences = self.app_text.get(key, [])
        if sentences:
            self.say(section, *(format_html("{}", s) for s in sentences))

    def critical_moments(self) -> Section:
        """Critical moments: the report sections the contracts declare as its parts
        (Operation Encompass, domestic abuse incidents, exclusions and persistent absence)."""
        section = Section("critical-moments", "Critical moments")
        parts = [d for d in modules.report_sections() if d.part_of == "critical-moments"]
        self.say(section, format_html("{}", (
            "Critical moments are the points in a child's life when partners can step in: a "
            "domestic abuse incident at home, a suspension or exclusion from school, or "
            "missing school persistently. This section gives the measures the partners watch "
            "for them.")))
        if not parts:
            self.tell(section, self.add(absent.figure(
                "critical_moments", "Critical moments measures",
                "No module that records critical moments is installed",
                source="Module contracts (core.modules)"), section))
        for declared in parts:
            self.declared(section.sub(declared.key, declared.title), declared)
        return section

    def declared_by_key(self, section: Section, key: str) -> None:
        """Tell a contract's report section (by key) inside a section of the report's own,
        if an app declares one (briefings: "learning_in_practice")."""
        found = next((d for d in modules.report_sections() if d.key == key), None)
        if found is not None:
            self.declared(section, found)

    def training(self) -> Section:
        """The training section: the contract's "training" report section where a module
        declares one (the training app), else the seed's lines as not recorded."""
        section = Section("training", "Training")
        declared = next((d for d in modules.report_sections() if d.key == "training"), None)
        if declared is not None:
            self.declared(section, declared)
            return section
        self.say(section, format_html("{}", (
            "The partnership's multi-agency training helps practitioners put learning into "
            "practice.")))
        self.tell(section, *[self.add(fig, section) for fig in absent.training()])
        return section

    def commitments_review(self) -> Section:
        section = Section("what-we-said", "What we said we would do")
        last = self.previous.label
        made = modules.report_commitments(self.partnership, last) or []
        if not made:
            self.tell(section, self.add(absent.figure(
                "commitments", f"Commitments made in the {last} report",
                f"No yearly report for {last} with commitments was published on the platform",
                source="Commitments kept in the business plan (governance)"), section))
            return section
        counts = {o: sum(1 for c in made if c.outcome == o) for o in OUTCOME_LABELS}
        fig = self.add(Figure(
            key="commitments", title=f"Commitments made in the {last} report", unit="count",
            value=len(made), numerator=counts["kept"], denominator=len(made),
            definition=(f"The commitments in the \u201cfocus for next year\u201d blocks of the "
                        f"published {last} report, each with the owner, due date, outcome and "
                        "evidence recorded for it in the business plan."),
            source="Commitments kept in the business plan (governance)"), section)
        self.say(section, format_html(
            "In our {} report we made {} for the year ({}). Of these, {} kept, {} missed and "
            "{} still in progress.", last,
            format_html('<span class="app-figure" data-figure="{}">{}</span>', fig.key,
                        counted(len(made), "commitment")), note_ref(fig),
            _count_span(fig, counts["kept"], verb_for(counts["kept"], "was"), "none"),
            _count_span(fig, counts["missed"], verb_for(counts["missed"], "was"), "none"),
            _count_span(fig, counts["in_progress"], verb_for(counts["in_progress"], "is"), "none")))
        rows = []
        for c in made:
            text = capitalised(c.text)
            rows.append([
                format_html('<a class="govuk-link" href="{}">{}</a>', c.url, text) if c.url
                else format_html("{}", text),
                format_html("{}", c.section or "-"),
                format_html("{}", OUTCOME_LABELS.get(c.outcome, c.outcome)),
                format_html("{}", c.evidence or "No evidence recorded")])
        section.add("table", caption=f"Our commitments from {last}",
                    head=["Commitment", "Section", "Outcome", "Evidence"],
                    numeric=[False, False, False, False], rows=rows, wide=True)
        return section

    def focus(self) -> Section:
        section = Section("focus", f"Our focus for {self.next_year}")
        self.block(section, Block.FOCUS)
        lines = sum(len(narrative_text.commitments_in(v.text)) for b, v in self.versions.items()
                    if b in narrative_text.FOCUS_BLOCKS and v is not None)
        if lines:
            self.say(section, format_html(
                "This report makes {} across its sections. We will report on each in our {} "
                "report.", counted(lines, "commitment"), self.next_year))
        return section

    def compliance_annex(self) -> Section:
        """Working Together 2018's statutory content of a yearly report, each item present
        or missing from the records (reports/annex.py)."""
        section = Section("annex", "Annex: what Working Together 2018 asks this report to "
                                   "contain")
        found = annex.rows(self.partnership, self.period)
        present = sum(1 for row in found if row.present)
        self.say(section, format_html(
            "The records on the platform show {} of the {} statutory items present ({}).",
            number(present), number(len(found)), annex.config()["source"]))
        rows = []
        for row in found:
            status = ("Present" if row.present else "Missing")
            tag = format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>',
                              "green" if row.present else "red", status)
            detail = (format_html('{} <a class="govuk-link" href="{}">See the record<span '
                                  'class="govuk-visually-hidden">: {}</span></a>', row.detail,
                                  row.url, row.title)
                      if row.url else format_html("{}", row.detail))
            rows.append([format_html("{}", row.title), tag, detail])
        section.add("table", caption="Statutory content of the yearly report",
                    head=["Item", "Status", "What the records show"],
                    numeric=[False, False, False], rows=rows, wide=True)
        return section


def _prepare_svg(svg: str) -> str:
    """Make a core.charts SVG fit a report page: drop the fixed width and height of the root
    element, so the chart scales to its column by its viewBox (on screen and in the PDF).
    Its ids are already unique: the modules draw it with ``id_prefix=figure.chart_id``."""
    if not svg.startswith("<svg"):
        return svg
    end = svg.index(">")
    return _SVG_SIZE.sub("", svg[:end]) + svg[end:]


def _count_span(fig: Figure, count: int, verb: str = "", zero: str = "") -> SafeString:
    shown = format_html('<span class="app-figure" data-figure="{}">{}</span>', fig.key,
                        zero if zero and count == 0 else number(count))
    return format_html("{} {}", shown, verb) if verb else shown


def _n_verb(n: int, verb: str, zero: str = "none") -> str:
    """ "none were", "1 was", "3 were": a count standing for a noun already named."""
    return f"{zero if n == 0 else number(n)} {verb_for(n, verb)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Rendering -------------------------------------------------------------------------------


def render_body(report: Report) -> str:
    """The report's HTML, from the cover to the notes: the same for the page and the PDF."""
    return render_to_string("reports/_body.html", {"report": report})
