"""Number agreement for the report's sentences: 0, 1 and many."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from safeguarding.core.grammar import counted, plural


@pytest.mark.parametrize(("n", "expected"), [
    (0, "no children were"), (1, "1 child was"), (2, "2 children were"),
    (1204, "1,204 children were")])
def test_children_were_discussed(n, expected):
    assert counted(n, "child", verb="was") == expected


@pytest.mark.parametrize(("noun", "many"), [
    ("meeting", "meetings"), ("agency", "agencies"), ("body", "bodies"), ("day", "days"),
    ("priority", "priorities"), ("box", "boxes"), ("person", "people")])
def test_plurals(noun, many):
    assert plural(noun) == many


def test_zero_word_and_verbs():
    assert counted(0, "meeting", zero="none", verb="is") == "none meetings are"
    assert counted(1, "action", verb="has") == "1 action has"


def test_the_template_filter():
    template = Template('{% load grammar %}{{ n|counted:"child,was" }} discussed')
    assert [template.render(Context({"n": n})) for n in (0, 1, 3)] == [
        "no children were discussed", "1 child was discussed", "3 children were discussed"]
