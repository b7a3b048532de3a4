"""Background work for core: e-mail is sent by the worker, never in the request."""

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    from django.conf import settings

    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@task()
def run_scheduled_job(run_id: int) -> dict:
    """Run one claimed scheduled run (core.scheduler) and return its counts."""
    from safeguarding.core import scheduler

    return scheduler.execute(run_id).counts
