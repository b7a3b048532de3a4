"""``core.bulk.page_cache``: a national demo build gives its connection a larger SQLite page
cache for the build, and the connection gets its own back afterwards, even after a fault."""

from __future__ import annotations

import pytest
from django.db import connection

from safeguarding.core.bulk import page_cache

pytestmark = pytest.mark.django_db


def _cache_size():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_the_cache_is_larger_in_the_block_and_as_it_was_after():
    before = _cache_size()
    with page_cache(64):
        assert _cache_size() == -64 * 1024
    assert _cache_size() == before
    with pytest.raises(RuntimeError), page_cache(32):
        raise RuntimeError("a fault in the build")
    assert _cache_size() == before


@pytest.mark.skipif(connection.vendor == "sqlite", reason="other databases")
def test_elsewhere_the_block_changes_nothing():
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        before = cursor.fetchone()
    with page_cache(64), connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        assert cursor.fetchone() == before
