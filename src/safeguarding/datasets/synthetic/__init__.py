"""Synthetic CIN census returns: deterministic from a seed, any size, written streamed.

Each child's whole history (referrals, assessments, section 47 enquiries,
child protection plans, closures) comes from a generator seeded by the seed,
the LA and the child's number alone, so consecutive years' returns agree: a
child referred in February 2021 appears open in the 2020/21 return and again,
now closed, in the 2021/22 one. A return for a year holds the children with
an episode open at some time in that year, each cut off at the reference
date: what happened later is not yet known.

The shapes follow DfE's published national figures loosely: about a fifth of
referrals are re-referrals within 12 months, about 7 % end with no further
action, a fifth lead to a section 47 enquiry and most initial conferences to
a plan, neglect and emotional abuse being the commonest categories.

``inject`` plants a known error in a chosen child, so a test can assert that
exactly that error, and nothing else, is found.
"""

from safeguarding.datasets.synthetic.errors import INJECTIONS, Injection, Planted, plant
from safeguarding.datasets.synthetic.history import (
    history,
    population_for,
    records,
    return_record,
)
from safeguarding.datasets.synthetic.writer import Written, child_element, write_cin_census

__all__ = ["INJECTIONS", "Injection", "Planted", "Written", "child_element", "history", "plant",
           "population_for", "records", "return_record", "write_cin_census"]
