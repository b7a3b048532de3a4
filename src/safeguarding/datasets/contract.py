"""What the data imports give the rest of the house (core/modules.py, ADR 0013).

The CIN census, SSDA903 and agency frames the measure engine reads, which spans
of time the current returns and extracts cover, the imports the cached figures
were computed from, DfE's benchmark values and the index children behind a
listed figure.

Only pseudonymous, non-identifying columns leave here: LA code, LA child ID (the
key DfE itself uses within an LA), dates and codes. No names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
from django.db.models import Count, Max, Q
from django.utils import timezone

from safeguarding.children.selectors import children_for_door
from safeguarding.core.frames import values_frame
from safeguarding.core.models import Partnership
from safeguarding.core.modules import Coverage, FrameSpec, ModuleContract, ReportSection
from safeguarding.datasets import home as datasets_home
from safeguarding.datasets import models as ds

# Each agency template: its coverage kind in the engine.
AGENCY_COVERAGE = {"early-help": "early_help", "missing-episodes": "missing",
                   "police-da-incidents": "police_da", "school-exclusions": "exclusions",
                   "school-attendance": "attendance", "mace-referrals": "mace"}


def _year_spans(returns, *, needs_episodes: bool = False) -> list[tuple[str, dt.date, dt.date]]:
    # A 903 return without its Episodes table says nothing about who was looked after.
    return [(r.local_authority.old_code, dt.date(r.collection_year - 1, 4, 1),
             dt.date(r.collection_year, 3, 31))
            for r in returns.select_related("local_authority")
            if not needs_episodes or "episodes" in r.tables]


def coverage(las: list[str]) -> Coverage:
    found: Coverage = {
        "cin": _year_spans(ds.CinReturn.objects.filter(
            local_authority__old_code__in=las, status=ds.ReturnStatus.CURRENT)),
        "cla": _year_spans(ds.ClaReturn.objects.filter(
            local_authority__old_code__in=las, status=ds.ReturnStatus.CURRENT),
            needs_episodes=True),
    }
    for kind, name in AGENCY_COVERAGE.items():
        found[name] = [
            (la, extract.period_start, extract.period_end)
            for extract in ds.AgencyExtract.objects.filter(kind=kind).only(
                "la_codes", "period_start", "period_end")
            for la in extract.la_codes if la in las]
    return found


# CIN census and SSDA903 --------------------------------------------------------
# Each frame's columns (name: kind, core/frames.py) and the fields they are read from; the
# rows go straight into Polars (core.frames.values_frame), not value by value through the ORM.

CIN_EPISODES = {"la": "str", "child": "str", "referral_date": "date", "closure_date": "date",
                "dob": "date", "sex": "str", "ethnicity": "str"}
ASSESSMENTS = {"la": "str", "child": "str", "referral_date": "date", "authorised_date": "date"}
S47 = {"la": "str", "child": "str", "s47_start": "date", "icpc_date": "date"}
CP_PLANS = {"la": "str", "child": "str", "start": "date", "end": "date",
            "initial_category": "str", "previous_plans": "int"}
CLA_EPISODES = {"la": "str", "child": "str", "decom": "date", "rne": "str", "dec": "date",
                "rec": "str", "dob": "date", "sex": "str", "ethnicity": "str"}
# OC3: one row per care leaver and collection year (year ending 31 March).
CARE_LEAVERS = {"la": "str", "child": "str", "year_ending": "int32", "in_touch": "str",
                "activity": "str"}


def _frame(queryset, columns: dict[str, str], *paths: str) -> pl.DataFrame:
    return values_frame(queryset, {name: (path, kind) for (name, kind), path
                                   in zip(columns.items(), paths, strict=True)})


def _cin_episodes(las):
    return _frame(ds.CinEpisode.objects.filter(local_authority__old_code__in=las), CIN_EPISODES,
                  "local_authority__old_code", "la_child_id", "referral_date", "closure_date",
                  "cin_child__birth_date", "cin_child__gender", "cin_child__ethnicity")


def _assessments(las):
    return _frame(ds.CinAssessment.objects.filter(
        episode__local_authority__old_code__in=las, authorisation_date__isnull=False),
        ASSESSMENTS, "episode__local_authority__old_code", "episode__la_child_id",
        "episode__referral_date", "authorisation_date")


def _s47(las):
    return _frame(ds.Section47Enquiry.objects.filter(episode__local_authority__old_code__in=las),
                  S47, "episode__local_authority__old_code", "episode__la_child_id",
                  "start_date", "icpc_date")


def _cp_plans(las):
    return _frame(ds.ChildProtectionPlan.objects.filter(local_authority__old_code__in=las),
                  CP_PLANS, "local_authority__old_code", "la_child_id", "start_date",
                  "end_date", "initial_category", "previous_plans")


def _cla_episodes(las):
    return _frame(ds.ClaEpisode.objects.filter(local_authority__old_code__in=las), CLA_EPISODES,
                  "local_authority__old_code", "la_child_id", "start_date",
                  "reason_new_episode", "end_date", "reason_ceased", "cla_child__birth_date",
                  "cla_child__sex", "cla_child__ethnicity")


def _care_leavers(las):
    return _frame(ds.ClaCareLeaver.objects.filter(local_authority__old_code__in=las),
                  CARE_LEAVERS, "local_authority__old_code", "la_child_id", "collection_year",
                  "in_touch", "activity")


# Agency extracts ---------------------------------------------------------------

EARLY_HELP = {"la": "str", "child": "str", "start": "date"}
# Times of a missing episode in UTC, so 72 hours are 72 elapsed hours across a
# clock change; a domestic abuse incident's in local time, for the school day.
MISSING_EPISODES = {"la": "str", "child": "str", "missing_from": "datetime",
                    "returned_at": "datetime", "offered_at": "datetime",
                    "completed_at": "datetime"}
DA_INCIDENTS = {"la": "str", "child": "str", "incident_at": "datetime", "child_present": "bool",
                "school_urn": "str", "notified_at": "datetime"}
EXCLUSIONS = {"la": "str", "child": "str", "start": "date", "category": "str"}
ATTENDANCE = {"la": "str", "child": "str", "from_date": "date", "to_date": "date",
              "possible": "int", "absent": "int"}
MACE_REFERRALS = {"la": "str", "child": "str", "received": "date", "discussed": "date",
                  "types": "list[str]"}
LINKED = {"la": "str", "child_la": "str", "child_id": "str", "pseudonym": "str"}


def _agency_rows(model, las: list[str], columns: dict[str, str], *fields: str) -> pl.DataFrame:
    """(la, child, *fields) per record; child is the linked index child's LA child ID, so the
    record joins the census frames, or the record's own pseudonym while it is unlinked."""
    own = dict(list(columns.items())[2:])
    frame = _frame(model.objects.filter(local_authority__old_code__in=las), LINKED | own,
                   "local_authority__old_code", "source_record__child__local_authority__old_code",
                   "source_record__child__la_child_id", "pseudonym", *fields)
    linked = (pl.col("child_id").is_not_null() & (pl.col("child_id") != "")
              & (pl.col("child_la") == pl.col("la")))
    child = pl.when(linked).then(pl.col("child_id")).otherwise("p:" + pl.col("pseudonym"))
    return frame.select("la", child.alias("child"), *own)


def _local(column: str) -> pl.Expr:
    """A naive UTC time as the wall-clock time in the service's zone (settings.TIME_ZONE)."""
    return (pl.col(column).dt.replace_time_zone("UTC")
            .dt.convert_time_zone(timezone.get_current_timezone_name())
            .dt.replace_time_zone(None))


def _early_help(las):
    return _agency_rows(ds.EarlyHelpEpisode, las, EARLY_HELP, "start_date")


def _missing_episodes(las):
    return _agency_rows(ds.MissingEpisode, las, MISSING_EPISODES, "missing_from",
                        "returned_at", "interview_offered_at", "interview_completed_at")


def _da_incidents(las):
    frame = _agency_rows(ds.DomesticAbuseIncident, las, DA_INCIDENTS, "incident_at",
                         "child_present", "school_urn", "notified_at")
    urn = pl.col("school_urn")
    return frame.with_columns(_local("incident_at"), _local("notified_at"),
                              pl.when(urn != "").then(urn).alias("school_urn"))


def _exclusions(las):
    return _agency_rows(ds.SchoolExclusion, las, EXCLUSIONS, "start_date", "category")


def _attendance(las):
    return _agency_rows(ds.SchoolAttendance, las, ATTENDANCE, "from_date", "to_date",
                        "possible_sessions", "absent_sessions")


def _mace_referrals(las):
    return _agency_rows(ds.MaceReferral, las, MACE_REFERRALS, "received_on", "discussed_on",
                        "exploitation_types")


FRAMES = (
    FrameSpec("cin_episodes", CIN_EPISODES, _cin_episodes),
    FrameSpec("assessments", ASSESSMENTS, _assessments),
    FrameSpec("s47", S47, _s47),
    FrameSpec("cp_plans", CP_PLANS, _cp_plans),
    FrameSpec("cla_episodes", CLA_EPISODES, _cla_episodes),
    FrameSpec("care_leavers", CARE_LEAVERS, _care_leavers),
    FrameSpec("early_help", EARLY_HELP, _early_help),
    FrameSpec("missing_episodes", MISSING_EPISODES, _missing_episodes),
    FrameSpec("da_incidents", DA_INCIDENTS, _da_incidents),
    FrameSpec("exclusions", EXCLUSIONS, _exclusions),
    FrameSpec("attendance", ATTENDANCE, _attendance),
    FrameSpec("mace_referrals", MACE_REFERRALS, _mace_referrals),
)


# What cached figures were computed from -----------------------------------------

def _loaded_imports(partnership: Partnership):
    return ds.DatasetImport.objects.filter(
        Q(partnership=partnership) | Q(local_authority__in=partnership.local_authorities.all())
        | Q(kind=ds.ImportKind.DFE_BENCHMARKS), status=ds.ImportStatus.LOADED)


def data_version(partnership: Partnership) -> dict:
    """The loaded imports that can feed the partnership: its own, its LAs', DfE's tables."""
    return {"imports": list(_loaded_imports(partnership).aggregate(
        n=Count("pk"), last=Max("pk")).values())}


def data_summary(partnership: Partnership) -> dict:
    loaded = _loaded_imports(partnership)
    summary: dict = {"imports": loaded.count(), "latest_import": None}
    latest = loaded.order_by("-pk").first()
    if latest is not None:
        summary["latest_import"] = {
            "id": latest.pk, "file": latest.file_name, "kind": latest.get_kind_display(),
            "loaded_at": (latest.finished_at or latest.created_at).isoformat()}
    return summary


# Benchmarks and the children behind a figure ------------------------------------

def _value(v) -> float | None:
    if v is None:
        return None
    v = float(v) if isinstance(v, Decimal) else v
    return int(v) if float(v).is_integer() else v


def _current(table: str):
    return ds.BenchmarkValue.objects.filter(release__status=ds.ReturnStatus.CURRENT,
                                            table_id__startswith=table)


def _geography(row: dict) -> tuple[str, str, str]:
    return (row["geographic_level"], row["old_la_code"], row["region_code"])


def benchmark_values(spec: dict, *, year_ending: int) -> dict:
    """DfE's published values of one measure for a year: England, every region and LA.

    ``{"rows": [{"level", "la", "region", "value", "marker"}], "reason"}``; a value DfE
    withheld (c, x, z, k...) is None with its marker, never 0. The measures compute the
    comparisons from these (measures/comparisons.py).
    """
    values = _current(spec["table"]).filter(indicator=spec["column"], year_ending=year_ending)
    if spec.get("population_type"):
        values = values.filter(breakdown__contains=spec["population_type"])
    # DfE's tables are public and the same for everyone: if several partnerships
    # imported them, keep one row per geography.
    unique = {_geography(r): r for r in values.values(
        "geographic_level", "old_la_code", "region_code", "value", "marker")}
    if not unique:
        return {"rows": [], "reason": f"DfE table {spec['table']} for {year_ending - 1}-"
                                      f"{str(year_ending)[2:]} is not imported"}
    return {"rows": [{"level": r["geographic_level"], "la": r["old_la_code"],
                      "region": r["region_code"], "value": _value(r["value"]),
                      "marker": r["marker"]} for r in unique.values()], "reason": None}


def child_population(*, year_ending: int) -> dict:
    """DfE's population of children aged 0 to 17 for a year, by England, region and LA.

    Read from the table and column the DfE tables spec names (specs/dfe_benchmarks,
    ``population``); where that value is missing, derived from the table's count and
    its rate per 10,000 and marked derived. ``{"rows": [{"level", "la", "region",
    "population", "derived"}], "source", "reason"}``.
    """
    from safeguarding.datasets.validation.specs import benchmark_spec

    spec = benchmark_spec()["population"]
    derive = spec["derive"]
    values = _current(spec["table"]).filter(
        year_ending=year_ending, indicator__in=[spec["column"], derive["count"], derive["rate"]])
    found: dict[tuple, dict] = {}
    for r in values.values("geographic_level", "old_la_code", "region_code", "indicator",
                           "breakdown", "value"):
        place = found.setdefault(_geography(r), {})
        if r["indicator"] == spec["column"]:
            if r["value"] is not None:
                place["population"] = int(r["value"])
        elif derive["breakdown"] in r["breakdown"] and r["value"] is not None:
            place[r["indicator"]] = r["value"]
    label = f"{year_ending - 1}-{str(year_ending)[2:]}"
    if not found:
        return {"rows": [], "source": spec["source"],
                "reason": f"DfE table {spec['table']} (the population of children aged 0 to "
                          f"17) for {label} is not imported"}
    rows = []
    for (level, la, region), place in found.items():
        population, derived = place.get("population"), False
        count, rate = place.get(derive["count"]), place.get(derive["rate"])
        if population is None and count is not None and rate:
            population = int(Decimal(count) * derive["per"] / Decimal(rate) + Decimal("0.5"))
            derived = True
        if population is not None:
            rows.append({"level": level, "la": la, "region": region,
                         "population": population, "derived": derived})
    return {"rows": rows, "source": spec["source"], "reason": None}


def children_for(pairs, *, partnership) -> list:
    """The child index records behind (la, LA child ID) pairs, where a return linked one."""
    wanted: dict[str, set[str]] = {}
    for la, child in pairs:
        wanted.setdefault(la, set()).add(child)
    ids: list[int] = []
    for la, child_ids in wanted.items():
        for model in (ds.CinChild, ds.ClaChild):
            ids += list(model.objects.filter(
                local_authority__old_code=la, la_child_id__in=child_ids, child__isnull=False,
            ).values_list("child_id", flat=True))
    return children_for_door(ids=ids, partnership=partnership)


# The critical-moments measures of the agency extracts (measures/catalogue/partnership.yaml),
# told in the yearly report's "Critical moments" section with Operation Encompass.
REPORT_SECTIONS = (
    ReportSection(
        "domestic-abuse", "Domestic abuse incidents with children present",
        measures=("da_incidents_children_present",
                  "encompass_notified_before_next_school_day_rate"),
        intro="The police's extract counts the domestic abuse incidents they attended where a "
              "child was present, and whether the child's school heard before the next "
              "school day.",
        part_of="critical-moments",
        sentences={
            "da_incidents_children_present": (
                "In {year} the police attended {value} domestic abuse incident with a child "
                "present",
                "In {year} the police attended {value} domestic abuse incidents with a child "
                "present"),
            "encompass_notified_before_next_school_day_rate": (
                "For {value} of the children whose school was known, the school's Key Adult "
                "heard before the start of the next school day{out_of}"),
        },
        nouns={"da_incidents_children_present": ("incidents", "incident")}),
    ReportSection(
        "exclusions-and-absence", "Exclusions and persistent absence",
        measures=("suspensions_children_known_to_social_care",
                  "permanent_exclusions_children_known_to_social_care",
                  "persistent_absence_children_in_need_rate",
                  "persistent_absence_child_protection_rate",
                  "persistent_absence_looked_after_rate"),
        intro="Being suspended or excluded from school, or missing school persistently, is a "
              "moment when a child known to children's social care can slip out of sight of "
              "the adults who keep them safe.",
        part_of="critical-moments",
        sentences={
            "suspensions_children_known_to_social_care": (
                "In {year} schools recorded {value} suspension of a child known to social care",
                "In {year} schools recorded {value} suspensions of children known to social "
                "care"),
            "permanent_exclusions_children_known_to_social_care": (
                "{value} permanent exclusion of a child known to social care was recorded",
                "{value} permanent exclusions of children known to social care were "
                "recorded"),
            "persistent_absence_children_in_need_rate": (
                "{value} of children in need were persistently absent from school{out_of}"),
            "persistent_absence_child_protection_rate": (
                "{value} of children on a child protection plan were persistently absent"
                "{out_of}"),
            "persistent_absence_looked_after_rate": (
                "{value} of children looked after were persistently absent{out_of}"),
        },
        nouns={"suspensions_children_known_to_social_care": ("suspensions", "suspension"),
               "permanent_exclusions_children_known_to_social_care": (
                   "permanent exclusions", "permanent exclusion")}),
)

CONTRACT = ModuleContract(
    app_label="datasets", frames=FRAMES, coverage=coverage, data_version=data_version,
    data_summary=data_summary, benchmarks=benchmark_values, population=child_population,
    children_for=children_for, report_sections=REPORT_SECTIONS,
    # Imports that failed or await a decision, and each return's freshness (home.py).
    home_items=datasets_home.home_items, home_picture=datasets_home.home_picture)
