"""Merging one child's versions from several years: the latest version of each key wins."""

from __future__ import annotations

from safeguarding.datasets.loader.merge import history_change, merge, return_change


def episode(ref, closure=None, assessments=(), cpps=()):
    return {"CINreferralDate": ref, "ReferralSource": "6", "CINclosureDate": closure,
            "assessments": list(assessments), "cin_plans": [], "section47s": [],
            "cpps": list(cpps)}


def assessment(start, authorised=None):
    return {"AssessmentActualStartDate": start, "AssessmentAuthorisationDate": authorised,
            "AssessmentFactors": []}


def plan(start, end=None):
    return {"CPPstartDate": start, "CPPendDate": end, "InitialCategoryOfAbuse": "NEG"}


def child(*episodes, ethnicity="WBRI"):
    return {"LAchildID": "A1", "Ethnicity": ethnicity, "episodes": list(episodes)}


Y2021 = child(episode("2020-02-01", assessments=[assessment("2020-02-02", "2020-03-01")],
                      cpps=[plan("2020-03-10")]),
              ethnicity="NOBT")
# The next year's return: the same episode, now closed, without last year's assessment
# (authorised before the year began) but with the plan, now ended; and a re-referral.
Y2022 = child(episode("2020-02-01", closure="2021-06-01", cpps=[plan("2020-03-10", "2021-05-01")]),
              episode("2021-09-01"))


def test_each_key_keeps_its_latest_version_and_nothing_older_is_lost():
    merged = merge([(2022, Y2022), (2021, Y2021)])
    assert (merged.first_year, merged.last_year) == (2021, 2022)
    assert merged.child["Ethnicity"] == "WBRI"
    assert sorted(merged.episodes) == ["2020-02-01", "2021-09-01"]
    first = merged.episodes["2020-02-01"]
    assert first.year == 2022 and first.fields["CINclosureDate"] == "2021-06-01"
    assert [item["AssessmentAuthorisationDate"] for _y, item
            in first.parts["assessments"].values()] == ["2020-03-01"]
    year, cpp, ref = merged.cpps["2020-03-10"]
    assert (year, cpp["CPPendDate"], ref) == (2022, "2021-05-01", "2020-02-01")


def test_the_order_of_loading_does_not_matter():
    one = merge([(2021, Y2021), (2022, Y2022)])
    two = merge([(2022, Y2022), (2021, Y2021)])
    assert one.episode_digests() == two.episode_digests()
    assert one.cpp_digests() == two.cpp_digests()


def test_history_change_counts_new_and_updated_parts():
    before = merge([(2021, Y2021)])
    after = merge([(2021, Y2021), (2022, Y2022)])
    change = history_change(before, after)
    assert change["episodes_added"] == 1 and change["episodes_updated"] == 1
    assert change["cpps_updated"] == 1 and change["cpps_added"] == 0
    assert history_change(after, after)["episodes_unchanged"] == 2


def test_return_change_compares_two_versions_of_one_years_return():
    assert return_change(None, Y2021)["children_added"] == 1
    assert return_change(Y2021, None)["children_removed"] == 1
    assert return_change(Y2021, Y2021)["children_unchanged"] == 1
    change = return_change(Y2021, Y2022)
    assert change["children_changed"] == 1
    assert change["episodes_added"] == 1 and change["episodes_changed"] == 1
