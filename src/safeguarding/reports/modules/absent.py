"""Figures the seed report gives but the platform does not hold yet.

Each is shown as "not recorded" with the reason, and listed in the notes. When
the module that records it arrives (child exploitation panels), its
statistics replace the entry here.
"""

from __future__ import annotations

from safeguarding.reports.figures import NOT_RECORDED, Figure

NO_TRAINING = ("The platform has no training module yet, so courses, bookings and attendance "
               "are not recorded on it")
NO_MACE = ("The platform has no child exploitation module yet, so multi-agency child "
           "exploitation (MACE) panel discussions are not recorded on it")
NO_MISSING = ("No measure of missing episodes or return interviews is in the indicator "
              "catalogue yet, and no missing-episode data is imported")


def figure(key: str, title: str, reason: str, *, source: str, definition: str = "") -> Figure:
    return Figure(key=key, title=title, unit="count", status=NOT_RECORDED, reason=reason,
                  definition=definition or title + ".", source=source)


def training() -> list[Figure]:
    source = "Not held on the platform (training)"
    return [
        figure("training.courses", "Multi-agency training courses delivered", NO_TRAINING,
               source=source, definition="Sessions of the partnership's multi-agency "
                                         "training held in the year, online or in person."),
        figure("training.attended", "Places attended on multi-agency training", NO_TRAINING,
               source=source, definition="Booked places on the partnership's training in the "
                                         "year where the delegate attended."),
        figure("training.not_attended", "Places not attended without cancelling",
               NO_TRAINING, source=source,
               definition="Booked places in the year where the delegate did not attend and "
                          "did not cancel."),
    ]


def mace() -> Figure:
    return figure("exploitation.mace", "Children discussed at multi-agency child exploitation "
                                       "(MACE) panels", NO_MACE,
                  source="Not held on the platform (child exploitation)",
                  definition="Distinct children discussed at one or more MACE panels in the "
                             "year.")


def missing_episodes() -> Figure:
    return figure("exploitation.missing", "Missing episodes and return interviews", NO_MISSING,
                  source="Not held on the platform (indicator catalogue)",
                  definition="Episodes in the year in which a child was missing from home or "
                             "care, and the return interviews offered after them.")
