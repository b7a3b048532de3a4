"""What other apps may listen to: an import has loaded (``dataset_import`` is its record).

The measures app listens to queue a recompute of the figures it caches; datasets
itself knows nothing of measures.
"""

from django.dispatch import Signal

import_loaded = Signal()
