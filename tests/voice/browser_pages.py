"""The voice pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's surveys (voice/demo.py) give the records; the business unit opens every page,
a visitor with no account opens the response link, and one form is sent empty to see the
error summary.
"""

from __future__ import annotations

from django.urls import reverse

SKIPPED = {
    "voice/surveys/<int:pk>/template.csv": "a CSV download, not a page",
}


def walk(w) -> None:
    from safeguarding.voice.models import Answer, Survey

    # 2020-21's surveys (the demo has a closed practitioner survey of 2019-20 and the Youth
    # Commission's of 2021-22, every answer coded, too).
    youth = Survey.objects.filter(title="Youth Commission: feeling safe in Staffordshire").first()
    practitioners = Survey.objects.filter(
        title="Practitioners: professional challenge and escalation").first()
    answer = Answer.objects.filter(question__kind="free_text", coded=False,
                                   response__survey=youth).order_by("pk").first()
    if None in (youth, practitioners, answer):
        return  # the demo's surveys are not built
    pages = [
        (reverse("voice:home"), "Voice of children, families and practitioners"),
        (reverse("voice:survey-add"), "Create a survey"),
        (reverse("voice:survey-detail", args=[youth.pk]), "Survey with results"),
        (reverse("voice:survey-detail", args=[practitioners.pk]), "Open survey"),
        (reverse("voice:question-add", args=[practitioners.pk]), "Add a question"),
        (reverse("voice:code-add", args=[youth.pk]), "Add a theme"),
        (reverse("voice:survey-open", args=[practitioners.pk]), "Open the survey"),
        (reverse("voice:survey-close", args=[practitioners.pk]), "Close the survey"),
        (reverse("voice:import", args=[practitioners.pk]), "Import responses"),
        (reverse("voice:coding", args=[youth.pk]), "Code free text"),
        (reverse("voice:answer-code", args=[answer.pk]), "Code an answer"),
        (reverse("voice:you-said-add", args=[youth.pk]), "Record you said, we did"),
        (reverse("voice:you-said-list"), "You said, we did"),
    ]
    for path, label in pages:
        w.open("business.staffs", path, label)
    page = w.open("business.staffs", reverse("voice:code-add", args=[youth.pk]),
                  "Add a theme")
    w.submit(page, "Add a theme, empty (error summary)",
             expect_path=reverse("voice:code-add", args=[youth.pk]))
    link = reverse("voice:respond", args=[practitioners.token])
    visitor = w.open(None, link, "Survey response link (no account)")
    w.submit(visitor, "Survey response link, empty (error summary)", expect_path=link)
    w.open(None, reverse("voice:respond-done", args=[practitioners.token]),
           "Survey response sent (no account)")
    w.open(None, reverse("voice:respond", args=[youth.token]), "Closed survey's link")
