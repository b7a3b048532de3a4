"""What every write in the app shares: permission checks, field errors and audit rows."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from safeguarding.core.audit import audit_object
from safeguarding.core.models import Agency, Partnership, PartnershipShare
from safeguarding.core.rules import permission_require
from safeguarding.measures.periods import financial_year_of
from safeguarding.reviews import clocks

# The house's permission check and audit row, under the names this app's services use.
require = permission_require
audit = audit_object


class Errors:
    """Collect every problem with the input before anything is written."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def required(self, field: str, value, message: str) -> None:
        if value in (None, "", [], ()):
            self.add(field, message)

    def past(self, field: str, value: dt.date | None, what: str) -> None:
        """A date something happened: today or earlier."""
        if value is not None and value > clocks.today():
            self.add(field, f"{what} must be today or in the past")

    def not_before(self, field: str, value: dt.date | None, earliest: dt.date | None,
                   message: str) -> None:
        if value is not None and earliest is not None and value < earliest:
            self.add(field, message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def coordinated_partnership_ids(partnership: Partnership) -> set[int]:
    """The partnership and those it coordinates practice reviews for."""
    shared = PartnershipShare.objects.filter(
        owner=partnership, function="practice_reviews").values_list("shared_with_id", flat=True)
    return {partnership.pk, *shared}


def agency_serves(agency: Agency, partnership: Partnership) -> bool:
    """Whether an agency takes part in the partnership or one it coordinates reviews for."""
    return agency.partnerships.filter(pk__in=coordinated_partnership_ids(partnership)).exists()


def next_reference(model, partnership: Partnership, prefix: str, day: dt.date) -> str:
    """The next reference in the partnership's financial year, like ``SI 2020-21/03``."""
    stem = f"{prefix} {financial_year_of(day).label}/"
    taken = model.objects.filter(partnership=partnership, reference__startswith=stem)
    numbers = [int(r.rsplit("/", 1)[1]) for r in taken.values_list("reference", flat=True)
               if r.rsplit("/", 1)[1].isdigit()]
    return f"{stem}{max(numbers, default=0) + 1:02d}"
