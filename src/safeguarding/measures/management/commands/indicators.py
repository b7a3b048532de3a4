import csv
import json
import time

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.measures.periods import PeriodError, parse
from safeguarding.measures.selectors import (
    UnknownLocalAuthority,
    default_period,
    indicators_document,
)


class Command(BaseCommand):
    help = ("Print the indicator catalogue for a partnership and period (from the cache when it "
            "is current), or --recompute the cache of standard periods.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership",
                            help="A partnership code; with --recompute and no code, every one")
        parser.add_argument("--period",
                            help="A financial year 2020-21, a quarter 2020-Q3 or a month 2020-06; "
                                 "without it, the latest financial year with loaded data")
        parser.add_argument("--la", help="One LA (old code) of the partnership")
        parser.add_argument("--benchmarks", action="store_true",
                            help="Add England, region and statistical-neighbour values (rates "
                                 "per 10,000 children for counts DfE publishes as rates)")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")
        parser.add_argument("--recompute", action="store_true",
                            help="Recompute and store the standard periods (recent financial "
                                 "years, their quarters and months) now, for every LA scope")

    def handle(self, *args, **options):
        code = options["partnership"]
        partnership = None
        if code:
            partnership = Partnership.objects.filter(code=code.upper()).first()
            if partnership is None:
                raise CommandError(f"No partnership '{code}'. See: safeguarding partnership list")
        if options["recompute"]:
            self._recompute([partnership] if partnership else
                            list(Partnership.objects.order_by("code")))
            if not options["period"]:
                return
        if partnership is None:
            raise CommandError("Give --partnership (or --recompute)")
        try:
            if options["period"]:
                period = parse(options["period"])
            else:
                period = default_period(partnership)
                self.stderr.write(f"No --period given: showing {period.label}, the latest "
                                  "financial year with loaded data (the current one when none is loaded)")
            document = indicators_document(partnership=partnership, period=period,
                                           la=options["la"], with_benchmarks=options["benchmarks"])
        except (PeriodError, UnknownLocalAuthority) as error:
            raise CommandError(str(error)) from None
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(document, indent=2))
            return
        columns = ["id", "title", "value", "numerator", "denominator", "unit", "reason",
                   "rate_per_10000"]
        bench = ["england", "region", "statistical_neighbours"] if options["benchmarks"] else []
        rows = []
        for ind in document["indicators"]:
            row = [ind.get(c) for c in columns]
            marks = ind.get("benchmarks") or {}
            row += [marks.get(b) for b in bench]
            rows.append(["" if v is None else v for v in row])
        if fmt == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(columns + bench)
            writer.writerows(rows)
            return
        self.stdout.write(f"{partnership.name}, {period.title} (LA {', '.join(document['local_authorities'])})")
        for ind, row in zip(document["indicators"], rows, strict=True):
            value = "not recorded" if ind["value"] is None else (
                f"{ind['value']} %" if ind["unit"] == "percent" else f"{ind['value']:,}")
            detail = (f" ({ind['numerator']:,} of {ind['denominator']:,})"
                      if ind["unit"] == "percent" and ind["denominator"] else "")
            reason = f"  [{ind['reason']}]" if ind["reason"] else ""
            if ind.get("rate_per_10000") is not None:
                detail += f", {ind['rate_per_10000']} per 10,000 children aged 0 to 17"
            extra = "".join(f"  {b}: {v}" for b, v in zip(bench, row[len(columns):], strict=True) if v != "")
            self.stdout.write(f"  {ind['title']}: {value}{detail}{reason}{extra}")
        computed = document["computed"]
        self.stdout.write(f"Computed {computed['at']} from data version "
                          f"{computed['data_version'][:8]}")

    def _recompute(self, partnerships):
        from safeguarding.measures.cache import results_rebuild

        for partnership in partnerships:
            started = time.perf_counter()
            written, version = results_rebuild(actor=None, partnership=partnership)
            self.stdout.write(f"{partnership.code}: {written} period results recomputed in "
                              f"{time.perf_counter() - started:.1f} s (data version {version[:8]})")
