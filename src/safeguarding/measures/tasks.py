"""Background work: recompute a partnership's cached indicator results after an import.

    safeguarding worker                  # the django-tasks database worker runs it
"""

from django_tasks import task


@task()
def recompute_indicator_results(recompute_id: int) -> str:
    from safeguarding.measures.cache import recompute_run

    record = recompute_run(recompute_id=recompute_id)
    return record.status if record is not None else "missing"
