"""Number agreement for sentences about counts: "no children were", "1 child was",
"2 children were". Every sentence the yearly report (and an app's report section) builds
from a count goes through ``counted``, so it reads right for 0, 1 and many."""

from __future__ import annotations

# Irregular plurals the report's nouns use; others add "s" (or "es" after s, x, ch, sh).
IRREGULAR = {"child": "children", "person": "people", "agency": "agencies",
             "body": "bodies", "family": "families", "priority": "priorities",
             "safeguarding partner": "safeguarding partners", "was": "were", "is": "are",
             "has": "have", "does": "do"}
VERBS = {"was": "were", "is": "are", "has": "have", "does": "do"}


def plural(noun: str) -> str:
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def noun_for(n: int, singular: str, plural_form: str | None = None) -> str:
    return singular if n == 1 else (plural_form or plural(singular))


def verb_for(n: int, verb: str) -> str:
    """The verb agreeing with n: "was"/"were", "is"/"are", "has"/"have"; other verbs take
    an "s" in the singular ("meets"/"meet") when given bare."""
    if verb in VERBS:
        return verb if n == 1 else VERBS[verb]
    return verb + "s" if n == 1 else verb


def number_words(n: int, zero: str = "no") -> str:
    return zero if n == 0 else f"{n:,}"


def counted(n: int, singular: str, plural_form: str | None = None, *, verb: str = "",
            zero: str = "no") -> str:
    """ "no children were", "1 child was", "1,204 children were" (verb optional)."""
    words = f"{number_words(n, zero)} {noun_for(n, singular, plural_form)}"
    return f"{words} {verb_for(n, verb)}" if verb else words


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
