"""Turn stored returns into the engine's frames, and read DfE benchmark values.

Only pseudonymous, non-identifying columns leave here: LA code, LA child ID (the
key DfE itself uses within an LA), dates and codes. No names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
from django.apps import apps

from safeguarding.core.calendar import non_working_days
from safeguarding.measures.case_measures import (
    CASE_SCHEMAS,
    CHILD_DEATHS,
    LEARNING_REVIEWS,
    ModuleFrames,
    empty_case_frame,
)
from safeguarding.measures.engine import SCHEMAS, MeasureData, empty_frame


def _frame(kind: str, rows) -> pl.DataFrame:
    rows = list(rows)
    if not rows:
        return empty_frame(kind)
    return pl.DataFrame(rows, schema=list(SCHEMAS[kind].items()), orient="row")


def _datasets_installed() -> bool:
    return apps.is_installed("safeguarding.datasets")


def measure_data(las: list[str]) -> MeasureData:
    holidays = tuple(sorted(non_working_days(range(2010, dt.date.today().year + 3))))
    frames = {kind: empty_frame(kind) for kind in SCHEMAS}
    coverage: dict[str, list[tuple[str, dt.date, dt.date]]] = {}
    if _datasets_installed():
        frames, coverage = _cin_frames(las, frames, coverage)
        frames, coverage = _cla_frames(las, frames, coverage)
        frames, coverage = _agency_frames(las, frames, coverage)
    return MeasureData(**frames, coverage=coverage, holidays=holidays, modules=module_frames(las))


# Each agency template: its coverage kind in the engine, and its frame.
AGENCY_COVERAGE = {"early-help": "early_help", "missing-episodes": "missing",
                   "police-da-incidents": "police_da", "school-exclusions": "exclusions",
                   "school-attendance": "attendance", "mace-referrals": "mace"}


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC).replace(tzinfo=None)


def _local(value: dt.datetime | None) -> dt.datetime | None:
    from django.utils import timezone

    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


def _agency_rows(model, las: list[str], *fields: str):
    """(la, child, *fields) per record; child is the linked index child's LA child ID, so the
    record joins the census frames, or the record's own pseudonym while it is unlinked."""
    rows = model.objects.filter(local_authority__old_code__in=las).values_list(
        "local_authority__old_code", "source_record__child__local_authority__old_code",
        "source_record__child__la_child_id", "pseudonym", *fields)
    for la, child_la, child_id, pseudonym, *values in rows.iterator(chunk_size=5000):
        child = child_id if child_id and child_la == la else f"p:{pseudonym}"
        yield la, child, *values


def _agency_frames(las, frames, coverage):
    from safeguarding.datasets import models as ds

    for kind, name in AGENCY_COVERAGE.items():
        coverage[name] = [
            (la, extract.period_start, extract.period_end)
            for extract in ds.AgencyExtract.objects.filter(kind=kind).only(
                "la_codes", "period_start", "period_end")
            for la in extract.la_codes if la in las]
    frames["early_help"] = _frame("early_help", _agency_rows(
        ds.EarlyHelpEpisode, las, "start_date"))
    frames["missing_episodes"] = _frame("missing_episodes", (
        (la, child, _utc(start), _utc(back), _utc(offered), _utc(done))
        for la, child, start, back, offered, done in _agency_rows(
            ds.MissingEpisode, las, "missing_from", "returned_at", "interview_offered_at",
            "interview_completed_at")))
    frames["da_incidents"] = _frame("da_incidents", (
        (la, child, _local(at), present, urn or None, _local(notified))
        for la, child, at, present, urn, notified in _agency_rows(
            ds.DomesticAbuseIncident, las, "incident_at", "child_present", "school_urn",
            "notified_at")))
    frames["exclusions"] = _frame("exclusions", _agency_rows(
        ds.SchoolExclusion, las, "start_date", "category"))
    frames["attendance"] = _frame("attendance", _agency_rows(
        ds.SchoolAttendance, las, "from_date", "to_date", "possible_sessions",
        "absent_sessions"))
    frames["mace_referrals"] = _frame("mace_referrals", _agency_rows(
        ds.MaceReferral, las, "received_on", "discussed_on", "exploitation_types"))
    return frames, coverage


def _cin_frames(las, frames, coverage):
    from safeguarding.datasets import models as ds

    returns = ds.CinReturn.objects.filter(local_authority__old_code__in=las,
                                          status=ds.ReturnStatus.CURRENT)
    coverage["cin"] = [
        (r.local_authority.old_code, dt.date(r.collection_year - 1, 4, 1),
         dt.date(r.collection_year, 3, 31))
        for r in returns.select_related("local_authority")
    ]
    episodes = ds.CinEpisode.objects.filter(local_authority__old_code__in=las)
    frames["cin_episodes"] = _frame("cin_episodes", episodes.values_list(
        "local_authority__old_code", "la_child_id", "referral_date", "closure_date",
        "cin_child__birth_date", "cin_child__gender", "cin_child__ethnicity").iterator(chunk_size=5000))
    frames["assessments"] = _frame("assessments", ds.CinAssessment.objects.filter(
        episode__local_authority__old_code__in=las, authorisation_date__isnull=False,
    ).values_list("episode__local_authority__old_code", "episode__la_child_id",
                  "episode__referral_date", "authorisation_date").iterator(chunk_size=5000))
    frames["s47"] = _frame("s47", ds.Section47Enquiry.objects.filter(
        episode__local_authority__old_code__in=las,
    ).values_list("episode__local_authority__old_code", "episode__la_child_id", "start_date",
                  "icpc_date").iterator(chunk_size=5000))
    frames["cp_plans"] = _frame("cp_plans", ds.ChildProtectionPlan.objects.filter(
        local_authority__old_code__in=las,
    ).values_list("local_authority__old_code", "la_child_id", "start_date", "end_date",
                  "initial_category").iterator(chunk_size=5000))
    return frames, coverage


def _cla_frames(las, frames, coverage):
    """Episodes of care from the current SSDA903 returns; a return covers its year's episodes."""
    from safeguarding.datasets import models as ds

    returns = ds.ClaReturn.objects.filter(local_authority__old_code__in=las,
                                          status=ds.ReturnStatus.CURRENT)
    # A return without its Episodes table says nothing about who was looked after.
    coverage["cla"] = [
        (r.local_authority.old_code, dt.date(r.collection_year - 1, 4, 1),
         dt.date(r.collection_year, 3, 31))
        for r in returns.select_related("local_authority") if "episodes" in r.tables
    ]
    episodes = ds.ClaEpisode.objects.filter(local_authority__old_code__in=las)
    frames["cla_episodes"] = _frame("cla_episodes", episodes.values_list(
        "local_authority__old_code", "la_child_id", "start_date", "reason_new_episode",
        "end_date", "reason_ceased", "cla_child__birth_date", "cla_child__sex",
        "cla_child__ethnicity").iterator(chunk_size=5000))
    frames["care_leavers"] = _frame("care_leavers", ds.ClaCareLeaver.objects.filter(
        local_authority__old_code__in=las,
    ).values_list("local_authority__old_code", "la_child_id", "collection_year", "in_touch",
                  "activity").iterator(chunk_size=5000))
    return frames, coverage


def _value(v) -> float | None:
    if v is None:
        return None
    v = float(v) if isinstance(v, Decimal) else v
    return int(v) if float(v).is_integer() else v


def benchmark_values(spec: dict, *, year_ending: int, las: list[str],
                     neighbours: list[str]) -> dict:
    """England, the partnership's region, its statistical neighbours (mean) and its own LAs."""
    empty = {"england": None, "region": None, "statistical_neighbours": None, "la": None,
             "reason": None}
    if not _datasets_installed():
        return {**empty, "reason": "DfE tables are not imported"}
    from safeguarding.datasets import models as ds

    values = ds.BenchmarkValue.objects.filter(
        release__status=ds.ReturnStatus.CURRENT, table_id__startswith=spec["table"],
        indicator=spec["column"], year_ending=year_ending)
    if spec.get("population_type"):
        values = values.filter(breakdown__contains=spec["population_type"])
    if not values.exists():
        return {**empty, "reason": f"DfE table {spec['table']} for {year_ending - 1}-"
                                   f"{str(year_ending)[2:]} is not imported"}
    # DfE's tables are public and the same for everyone: if several partnerships
    # imported them, keep one row per geography.
    unique = {(r["geographic_level"], r["old_la_code"], r["region_code"]): r
              for r in values.values("geographic_level", "old_la_code", "region_code", "value")}
    rows = list(unique.values())
    england = next((r["value"] for r in rows if r["geographic_level"] == "National"), None)
    own = [r for r in rows if r["old_la_code"] in las]
    region_code = own[0]["region_code"] if own else None
    region = next((r["value"] for r in rows if r["geographic_level"] == "Regional"
                   and r["region_code"] == region_code), None)
    neighbour_values = [r["value"] for r in rows if r["old_la_code"] in neighbours
                        and r["value"] is not None]
    mean = (sum(neighbour_values) / len(neighbour_values)) if neighbour_values else None
    la_value = own[0]["value"] if len(own) == 1 else None
    return {
        "england": _value(england), "region": _value(region),
        "statistical_neighbours": round(float(mean), 1) if mean is not None else None,
        "la": _value(la_value), "reason": None,
    }


def children_for(pairs, *, partnership) -> list:
    """The child index records behind (la, LA child ID) pairs, where a return linked one."""
    if not _datasets_installed():
        return []
    from safeguarding.children.models import Child
    from safeguarding.datasets import models as ds

    wanted: dict[str, set[str]] = {}
    for la, child in pairs:
        wanted.setdefault(la, set()).add(child)
    ids: list[int] = []
    for la, child_ids in wanted.items():
        for model in (ds.CinChild, ds.ClaChild):
            ids += list(model.objects.filter(
                local_authority__old_code=la, la_child_id__in=child_ids, child__isnull=False,
            ).values_list("child_id", flat=True))
    return list(Child.objects.filter(pk__in=ids, partnership=partnership)
                .prefetch_related("involvements").order_by("last_name", "first_name"))


# Learning reviews and child deaths ----------------------------------------------
# Case frames for measures/case_measures.py: record ids, dates, codes and the child's
# pseudonym, never a name. Scope is the same as the modules' own statistics: a
# partnership's incidents include those of another partnership involving its
# children; its child deaths are those of its children.

def _case_frame(kind: str, rows) -> pl.DataFrame:
    rows = list(rows)
    if not rows:
        return empty_case_frame(kind)
    return pl.DataFrame(rows, schema=list(CASE_SCHEMAS[kind].items()), orient="row")


def _first_year_start(day: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def module_frames(las: list[str], *, as_of: dt.date | None = None) -> ModuleFrames:
    """The case frames of the one partnership whose LAs these are (all of them)."""
    from safeguarding.core.models import LocalAuthority, Partnership

    partnership_ids = set(LocalAuthority.objects.filter(old_code__in=las)
                          .values_list("partnership_id", flat=True))
    if len(partnership_ids) != 1:
        return ModuleFrames(unavailable="Learning reviews and child deaths are counted for one "
                                        "partnership at a time")
    partnership = Partnership.objects.get(pk=partnership_ids.pop())
    every_la = set(partnership.local_authorities.values_list("old_code", flat=True))
    if set(las) != every_la:
        return ModuleFrames(unavailable=(
            "Learning reviews and child deaths are recorded for the partnership as a whole, "
            "not by local authority: choose all its local authorities"))
    return partnership_module_frames(partnership, as_of=as_of)


def module_live_from(partnership, kind: str) -> dt.date | None:
    """The day the partnership went live with a module: the date set for it, else 1 April of
    the financial year of its first recorded case; None with no case and no date."""
    from safeguarding.measures.models import ModuleGoLive

    configured = (ModuleGoLive.objects.filter(partnership=partnership, module=kind)
                  .values_list("live_from", flat=True).first())
    if configured:
        return configured
    first = {LEARNING_REVIEWS: _first_review_day, CHILD_DEATHS: _first_death_day}[kind]
    return _first_year_start(first(partnership))


def partnership_module_frames(partnership, *, as_of: dt.date | None = None) -> ModuleFrames:
    frames: dict = {}
    live_from: dict[str, dt.date | None] = {LEARNING_REVIEWS: None, CHILD_DEATHS: None}
    if apps.is_installed("safeguarding.reviews"):
        _review_frames(partnership, frames)
        live_from[LEARNING_REVIEWS] = module_live_from(partnership, LEARNING_REVIEWS)
    if apps.is_installed("safeguarding.child_deaths"):
        _child_death_frames(partnership, frames)
        live_from[CHILD_DEATHS] = module_live_from(partnership, CHILD_DEATHS)
    if as_of is None:
        # The reviews' own "today" (Europe/London), so running clocks are judged alike.
        from safeguarding.reviews import clocks

        as_of = clocks.today()
    return ModuleFrames(**frames, live_from=live_from, as_of=as_of)


def _first_review_day(partnership) -> dt.date | None:
    from django.db.models import Min

    from safeguarding.reviews import statistics

    days = [statistics.incidents_in_scope(partnership).aggregate(d=Min("aware_on"))["d"],
            statistics.practice_reviews_in_scope(partnership).aggregate(
                d=Min("decided_on"))["d"]]
    return min((d for d in days if d is not None), default=None)


def _first_death_day(partnership) -> dt.date | None:
    from django.db.models import Min

    from safeguarding.child_deaths.models import ChildDeath

    return ChildDeath.objects.filter(partnership=partnership).aggregate(
        d=Min("notified_on"))["d"]


def _review_frames(partnership, frames: dict) -> None:
    from safeguarding.reviews import statistics
    from safeguarding.reviews.models import RapidReview

    incidents = statistics.incidents_in_scope(partnership)
    practice = statistics.practice_reviews_in_scope(partnership)
    frames["serious_incidents"] = _case_frame("serious_incidents", incidents.values_list(
        "pk", "aware_on", "notification_due", "notification_sent_on"))
    frames["rapid_reviews"] = _case_frame("rapid_reviews", RapidReview.objects.filter(
        incident__in=incidents).values_list("incident_id", "started_on", "due_on", "completed_on"))
    frames["practice_reviews"] = _case_frame("practice_reviews", practice.values_list(
        "pk", "kind", "decided_on", "publication_due", "published_on", "deferral_reason"))
    frames["review_actions"] = _case_frame("review_actions", statistics.actions_in_scope(
        partnership).values_list("pk", "due_on", "completed_on"))


def _child_death_frames(partnership, frames: dict) -> None:
    from safeguarding.child_deaths.models import CdopReview, ChildDeath

    deaths = ChildDeath.objects.filter(partnership=partnership)
    frames["child_deaths"] = _case_frame("child_deaths", [
        (pk, pseudonym, notified_on, age_days, expected, len(triggers or []))
        for pk, pseudonym, notified_on, age_days, expected, triggers in deaths.values_list(
            "pk", "child__pseudonym", "notified_on", "age_at_death_days", "expected",
            "jar_triggers")])
    frames["cdop_reviews"] = _case_frame("cdop_reviews", CdopReview.objects.filter(
        case__partnership=partnership).values_list("case_id", "review_date", "category",
                                                   "modifiable"))


def latest_data_day(las: list[str], partnership_id: int) -> dt.date | None:
    """The last day any current return (by LA) or agency extract of the partnership covers."""
    if not _datasets_installed():
        return None
    from django.db.models import Max

    from safeguarding.datasets import models as ds

    ends: list[dt.date] = []
    for model in (ds.CinReturn, ds.ClaReturn):
        year = model.objects.filter(local_authority__old_code__in=las,
                                    status=ds.ReturnStatus.CURRENT
                                    ).aggregate(last=Max("collection_year"))["last"]
        if year:
            ends.append(dt.date(year, 3, 31))
    extract_end = ds.AgencyExtract.objects.filter(partnership_id=partnership_id).aggregate(
        last=Max("period_end"))["last"]
    if extract_end:
        ends.append(extract_end)
    return max(ends, default=None)
