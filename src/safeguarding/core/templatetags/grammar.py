"""``{% load grammar %}``: ``{{ n|counted:"child" }}`` -> "no children", "1 child",
"2 children"; ``{{ n|counted:"child,was" }}`` -> "1 child was", "2 children were"."""

from django import template

from safeguarding.core import grammar

register = template.Library()


@register.filter
def counted(value, arg: str) -> str:
    noun, _, verb = arg.partition(",")
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    return grammar.counted(n, noun.strip(), verb=verb.strip())
