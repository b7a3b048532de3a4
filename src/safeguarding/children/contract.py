"""What the child index gives the rest of the house (core/modules.py, ADR 0013): for now
only the linkage pairs waiting on a person's home page (home.py, issue 18)."""

from __future__ import annotations

from safeguarding.children import home
from safeguarding.core.modules import ModuleContract

CONTRACT = ModuleContract(app_label="children", home_items=home.home_items)
