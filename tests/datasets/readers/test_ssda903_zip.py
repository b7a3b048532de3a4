"""Reading an SSDA903 ZIP: members are streamed, so memory stays flat whatever they hold."""

from __future__ import annotations

import tracemalloc
import zipfile

import pytest

from safeguarding.datasets.readers import ssda903 as reader
from safeguarding.datasets.validation.problems import ProblemLog, TooManyErrors
from safeguarding.datasets.validation.ssda903 import check_return

MB = 1024 * 1024
HEADER_ROW = b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
ROW = b"A1,1,01/06/2012,WBRI,UN2,,\r\n"


def _bomb(path, *, size: int, member: str = "header.csv") -> None:
    """A small ZIP holding one member of ``size`` bytes: the Header table, one row repeated."""
    with (zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=9) as archive,
          archive.open(member, "w", force_zip64=True) as handle):
        handle.write(HEADER_ROW)
        block = ROW * (MB // len(ROW))
        written = len(HEADER_ROW)
        while written < size:
            handle.write(block)
            written += len(block)


def _peak(work) -> tuple[object, int]:
    """What ``work`` returned (or raised), and the peak memory traced while it ran."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        try:
            result: object = work()
        except (reader.Refused, TooManyErrors) as error:
            result = error
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


def test_a_member_under_the_limit_is_checked_without_holding_it_in_memory(tmp_path):
    # 32 MB of one repeated row: read whole (chunks, joined bytes, text, then a list of
    # rows) this held several times its size; streamed, checking stops at the error
    # limit having held only a few rows.
    archive = tmp_path / "return.zip"
    _bomb(archive, size=32 * MB)
    assert archive.stat().st_size < MB

    def work():
        files, _ = reader.read_inputs([archive], ["return.zip"])
        return check_return(files, ProblemLog("return.zip", max_errors=50), year=2021)

    result, peak = _peak(work)
    assert isinstance(result, TooManyErrors)  # every row after the first is a duplicate
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB while checking a 32 MB member"


def test_a_member_over_the_limit_is_refused_naming_file_member_and_limit(tmp_path, settings):
    settings.DATASETS_MAX_UNZIPPED_BYTES = 4 * MB
    archive = tmp_path / "return.zip"
    _bomb(archive, size=40 * MB, member="tables/header.csv")

    result, peak = _peak(lambda: reader.read_inputs([archive], ["return.zip"]))
    assert isinstance(result, reader.Refused)
    assert result.rule == "SCP903-ZIP-TOO-BIG"
    assert result.file == "return.zip"
    assert result.params["member"] == "tables/header.csv"
    assert result.params["limit"] == "4.0 MB"
    assert peak < 8 * MB


@pytest.mark.django_db
def test_the_refusal_of_a_zip_bomb_names_file_member_and_limit(tmp_path, settings, staffs):
    from safeguarding.datasets import services
    from safeguarding.datasets.models import ImportKind, ImportStatus

    settings.DATASETS_MAX_UNZIPPED_BYTES = 4 * MB
    archive = tmp_path / "return.zip"
    _bomb(archive, size=40 * MB, member="tables/header.csv")
    record = services.import_files(actor=None, partnership=staffs, kind=ImportKind.SSDA903,
                                   paths=[archive], year=2021)
    assert record.status == ImportStatus.REFUSED
    (problem,) = record.problems.all()
    assert (problem.file_name, problem.rule) == ("return.zip", "SCP903-ZIP-TOO-BIG")
    assert "tables/header.csv" in problem.message
    assert "4.0 MB" in problem.message
