"""Writes for learning events (briefings, feedback events) and the list of themes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.text import slugify

from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.reviews.models import (
    LearningEvent,
    LearningKind,
    LearningReach,
    PracticeReview,
    RapidReview,
    Theme,
)
from safeguarding.reviews.services._common import Errors, agency_serves, audit, require


@transaction.atomic
def learning_event_add(*, actor: User | None, partnership: Partnership, kind: str, title: str,
                       held_on: dt.date, description: str = "",
                       practice_reviews: list[PracticeReview] | None = None,
                       rapid_reviews: list[RapidReview] | None = None,
                       reach: dict[Agency, int] | None = None) -> LearningEvent:
    """Record a briefing or event, the reviews whose learning it shared, and who it reached."""
    require(actor, "reviews.contribute_record", partnership)
    practice_reviews, rapid_reviews = practice_reviews or [], rapid_reviews or []
    reach = {agency: n for agency, n in (reach or {}).items() if n}
    errors = Errors()
    if kind not in LearningKind.values:
        errors.add("kind", "Select the kind of event")
    errors.required("title", (title or "").strip(), "Enter a title")
    errors.required("held_on", held_on, "Enter the date")
    errors.past("held_on", held_on, "The date")
    if not practice_reviews and not rapid_reviews:
        errors.add("practice_reviews", "Select at least one review whose learning was shared")
    if any(r.partnership_id != partnership.pk for r in practice_reviews) or any(
            r.incident.partnership_id != partnership.pk for r in rapid_reviews):
        errors.add("practice_reviews", "Every review must belong to this partnership")
    for agency, attendees in reach.items():
        if attendees < 0:
            errors.add(f"reach_{agency.pk}", "Enter a number of people, 0 or more")
        elif not agency_serves(agency, partnership):
            errors.add(f"reach_{agency.pk}", f"{agency} does not take part in this partnership")
    errors.raise_if_any()
    event = LearningEvent.objects.create(partnership=partnership, kind=kind, title=title.strip(),
                                         held_on=held_on, description=(description or "").strip())
    event.practice_reviews.set(practice_reviews)
    event.rapid_reviews.set(rapid_reviews)
    LearningReach.objects.bulk_create(
        [LearningReach(event=event, agency=agency, attendees=n) for agency, n in reach.items()])
    audit(actor, AuditEvent.Action.CREATE, event, "add learning event")
    return event


def _check_theme(errors: Errors, name: str, theme: Theme | None = None) -> str:
    name = (name or "").strip()
    errors.required("name", name, "Enter the theme's name")
    slug = slugify(name)[:60]
    clash = Theme.objects.filter(slug=slug)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if name and clash.exists():
        errors.add("name", "There is already a theme with that name")
    return slug


@transaction.atomic
def theme_add(*, actor: User | None, name: str, description: str = "",
              source: str = "", partnership: Partnership | None = None) -> Theme:
    """Add a theme for a partnership, or to the national list (``partnership=None``).

    A business unit's theme belongs to its own partnership; when it holds that seat in
    one partnership only, the partnership need not be named.
    """
    if partnership is None and actor is not None:
        from safeguarding.reviews.rules import review_access

        access = review_access(actor)
        if not access.manages_all_themes and len(access.theme_partnerships) == 1:
            partnership = Partnership.objects.get(pk=next(iter(access.theme_partnerships)))
    require(actor, "reviews.manage_themes")
    require(actor, "reviews.manage_theme", partnership)
    errors = Errors()
    slug = _check_theme(errors, name)
    errors.raise_if_any()
    theme = Theme(partnership=partnership, slug=slug, name=name.strip(),
                  description=description.strip(),
                  source=source.strip())
    theme.full_clean()
    theme.save()
    audit(actor, AuditEvent.Action.CREATE, theme, "add theme")
    return theme


@transaction.atomic
def theme_update(*, actor: User | None, theme: Theme, name: str, description: str,
                 source: str, active: bool) -> Theme:
    """Rename or retire a theme; retired themes stay on the records that carry them."""
    require(actor, "reviews.manage_theme", theme)
    errors = Errors()
    slug = _check_theme(errors, name, theme)
    errors.raise_if_any()
    theme.slug, theme.name = slug, name.strip()
    theme.description, theme.source, theme.active = description.strip(), source.strip(), active
    theme.full_clean()
    theme.save()
    audit(actor, AuditEvent.Action.UPDATE, theme, "edit theme")
    return theme
