"""What a return needs to link its children to the child index: pseudonyms and the LA's agency.

The index itself is written only by ``children.services``
(``children_index_bulk_link``, ``child_names_update_bulk``); the loaders call
those, and never write ``Child`` rows. A return child's pseudonym is the keyed
hash of ``la:<old LA code>:<LAchildID>``, the same key in the index and in the
return's own tables, so they join. The LA's children's services agency, when
the partnership has exactly one such agency (or one named for the LA), becomes
involved so its practitioners can open the record.
"""

from __future__ import annotations

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.core.models import Agency, AgencyKind, LocalAuthority, Partnership


def census_pseudonym(la: LocalAuthority, la_child_id: str) -> str:
    return pseudonymous_key(f"la:{la.old_code}:{la_child_id}")


def la_agency(partnership: Partnership, la: LocalAuthority) -> Agency | None:
    agencies = list(partnership.agencies.filter(kind=AgencyKind.LA_CHILDRENS_SERVICES)
                    .order_by("pk"))
    if len(agencies) == 1:
        return agencies[0]
    named = [a for a in agencies if la.name and la.name.lower() in a.name.lower()]
    return named[0] if len(named) == 1 else None
