from django import template

from safeguarding.datasets.models import ImportStatus

register = template.Library()

_TAGS: dict[str, str] = {
    ImportStatus.QUEUED: "govuk-tag--grey",
    ImportStatus.RUNNING: "govuk-tag--blue",
    ImportStatus.LOADED: "govuk-tag--green",
    ImportStatus.UNCHANGED: "govuk-tag--turquoise",
    ImportStatus.CHECKED: "govuk-tag--turquoise",
    ImportStatus.FAILED: "govuk-tag--red",
    ImportStatus.REFUSED: "govuk-tag--red",
    ImportStatus.CRASHED: "govuk-tag--orange",
}


@register.filter
def status_tag(status: str) -> str:
    """The GOV.UK tag colour class for an import status."""
    return _TAGS.get(status, "govuk-tag--grey")

