"""The narrative blocks: what each is for, its draft placeholder, and how its text is shown.

Narrative is plain text. A blank line starts a new paragraph; a line starting
with "- " or "* " is a bullet. Nothing else is interpreted, so no HTML a writer
types can reach the page. Placeholders say what to write and contain no
figures: every number in the report comes from the platform's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from safeguarding.reports.models import Block

_BULLET = re.compile(r"^\s*[-*•]\s+(?P<text>.+)$")


@dataclass(frozen=True)
class BlockSpec:
    key: str
    label: str
    heading: str
    guidance: str
    placeholder: str
    # Required blocks must be written before publishing; an optional block not written is
    # left out of the report (its section still shows its figures).
    required: bool = True
    # The report section whose focus this block is, for focus blocks.
    section: str = ""


SPECS: dict[str, BlockSpec] = {spec.key: spec for spec in [
    BlockSpec(
        Block.FOREWORD_LA, Block.FOREWORD_LA.label, "The local authority",
        "A foreword from the local authority's lead safeguarding partner.",
        "Draft text: ask the local authority's lead safeguarding partner (usually the "
        "Director of Children's Services) for a short foreword on the year: what went well, "
        "what was hard, and how the partners worked together. End with their name and role."),
    BlockSpec(
        Block.FOREWORD_POLICE, Block.FOREWORD_POLICE.label, "The police",
        "A foreword from the police's lead safeguarding partner.",
        "Draft text: ask the police's lead safeguarding partner (usually an Assistant Chief "
        "Constable) for a short foreword on the year from the police's point of view. End "
        "with their name and role."),
    BlockSpec(
        Block.FOREWORD_HEALTH, Block.FOREWORD_HEALTH.label, "Health",
        "A foreword from the integrated care board's lead safeguarding partner.",
        "Draft text: ask the integrated care board's lead safeguarding partner (usually the "
        "Director of Nursing) for a short foreword on the year from health's point of view. "
        "End with their name and role."),
    BlockSpec(
        Block.INTRODUCTION, Block.INTRODUCTION.label, "Introduction",
        "What the report covers and who it is for.",
        "Draft text: say what this report covers, who it is for, and the biggest things "
        "that shaped the year. Keep figures out of this text: the report adds them from the "
        "platform's data, with their sources."),
    BlockSpec(
        Block.ARRANGEMENTS, Block.ARRANGEMENTS.label, "Changes to the arrangements",
        "What changed in the partnership's arrangements during the year.",
        "Draft text: describe any change to the published safeguarding arrangements during "
        "the year: governance, sub-groups, membership, joint functions with neighbouring "
        "partnerships, and when the revised arrangements were published."),
    BlockSpec(
        Block.EMERGING_RISKS, Block.EMERGING_RISKS.label, "Our response to emerging risks",
        "The risks that emerged in the year and what the partners did about them.",
        "Draft text: describe the risks that emerged during the year, how the partners "
        "responded, and what is still a concern. Quote the voices of children, families and "
        "practitioners where you have them."),
    BlockSpec(
        Block.FOCUS, Block.FOCUS.label, "Our focus for next year",
        "What the partnership will do next year. Write each commitment as a line starting "
        "with \"- \": once the report is published, each becomes a commitment tracked in next "
        "year's report.",
        "Draft text: say what the partnership will focus on next year. Put each commitment "
        "on its own line starting with a dash, so that next year's report can say whether it "
        "was done."),
    *[
        BlockSpec(key, Block(key).label, heading, guidance, placeholder, required=False)
        for key, heading, guidance, placeholder in [
            (Block.PRIORITY_NEGLECT, "Neglect",
             "Why neglect is a priority and what the partners did about it in the year.",
             "Draft text: why neglect is a priority, and what the partners did in the year."),
            (Block.PRIORITY_EXPLOITATION, "Child exploitation",
             "Why child exploitation is a priority and what the partners did about it.",
             "Draft text: why child exploitation is a priority, and what the partners did."),
            (Block.PRIORITY_PRACTICE, "Effective multi-agency safeguarding practice",
             "How the partners made multi-agency practice more effective.",
             "Draft text: how the partners made multi-agency practice more effective."),
            (Block.SUBGROUP_SCRUTINY, "Scrutiny and assurance",
             "What the Scrutiny and Assurance group looked at, and what it found.",
             "Draft text: what the Scrutiny and Assurance group looked at and found."),
            (Block.SUBGROUP_REVIEWS, "Child safeguarding practice reviews",
             "What the practice review group did and learnt in the year.",
             "Draft text: what the practice review group did and learnt."),
            (Block.SUBGROUP_CHILD_DEATHS, "Child death overview panel",
             "What the child death overview panel learnt and changed.",
             "Draft text: what the child death overview panel learnt and changed."),
            (Block.SUBGROUP_LEARNING, "Learning in practice",
             "How learning reached practitioners in the year.",
             "Draft text: how learning reached practitioners."),
            (Block.SUBGROUP_RESTRAINT, "Review of restraint",
             "What the review of restraint task group did in the year.",
             "Draft text: what the review of restraint task group did."),
        ]
    ],
    *[
        BlockSpec(key, Block(key).label, "Focus for next year",
                  "What this part of the partnership will do next year, one commitment per "
                  "line starting with \"- \": each becomes a commitment when the report is "
                  "published, with an owner and due date set in the business plan.",
                  "Draft text: one commitment per line starting with a dash.",
                  required=False, section=section)
        for key, section in [
            (Block.FOCUS_EMERGING_RISKS, "emerging-risks"), (Block.FOCUS_NEGLECT, "neglect"),
            (Block.FOCUS_EXPLOITATION, "child-exploitation"),
            (Block.FOCUS_PRACTICE, "multi-agency-practice"),
            (Block.FOCUS_SCRUTINY, "scrutiny"), (Block.FOCUS_REVIEWS, "practice-reviews"),
            (Block.FOCUS_CHILD_DEATHS, "child-deaths"), (Block.FOCUS_LEARNING, "learning"),
            (Block.FOCUS_RESTRAINT, "restraint-review"),
        ]
    ],
]}
# The focus blocks, each with its section: the general one and one per section.
FOCUS_BLOCKS = {Block.FOCUS: "focus", **{k: s.section for k, s in SPECS.items() if s.section}}

FOREWORDS = (Block.FOREWORD_LA, Block.FOREWORD_POLICE, Block.FOREWORD_HEALTH)


def required(block: str) -> bool:
    return spec(block).required


def spec(block: str) -> BlockSpec:
    try:
        return SPECS[block]
    except KeyError:
        raise KeyError(f"No narrative block '{block}'") from None


def render(text: str) -> SafeString:
    """Paragraphs and bullet lists, every character escaped."""
    out: list[str] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            out.append(f'<p class="govuk-body">{escape(" ".join(paragraph))}</p>')
            paragraph.clear()

    def flush_bullets() -> None:
        if bullets:
            items = "".join(f"<li>{escape(b)}</li>" for b in bullets)
            out.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
            bullets.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        bullet = _BULLET.match(raw)
        if bullet:
            flush_paragraph()
            bullets.append(bullet["text"].strip())
        elif not line:
            flush_paragraph()
            flush_bullets()
        else:
            flush_bullets()
            paragraph.append(line)
    flush_paragraph()
    flush_bullets()
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def commitments_in(text: str) -> list[str]:
    """The bulleted lines of a focus block, in order, without repeats."""
    found: list[str] = []
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        bullet = _BULLET.match(raw)
        if bullet:
            item = " ".join(bullet["text"].split())
            if item and item not in found:
                found.append(item)
    return found
