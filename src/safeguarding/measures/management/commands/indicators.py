import csv
import json

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.measures.periods import PeriodError, parse
from safeguarding.measures.selectors import UnknownLocalAuthority, indicators_document


class Command(BaseCommand):
    help = "Compute the indicator catalogue for a partnership and period."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--period", required=True,
                            help="A financial year 2020-21, a quarter 2020-Q3 or a month 2020-06")
        parser.add_argument("--la", help="One LA (old code) of the partnership")
        parser.add_argument("--benchmarks", action="store_true",
                            help="Add England, region and statistical-neighbour values")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(code=options["partnership"].upper()).first()
        if partnership is None:
            raise CommandError(f"No partnership '{options['partnership']}'. "
                               "See: safeguarding partnership list")
        try:
            period = parse(options["period"])
            document = indicators_document(partnership=partnership, period=period,
                                           la=options["la"], with_benchmarks=options["benchmarks"])
        except (PeriodError, UnknownLocalAuthority) as error:
            raise CommandError(str(error)) from None
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(document, indent=2))
            return
        columns = ["id", "title", "value", "numerator", "denominator", "unit", "reason"]
        bench = ["england", "region", "statistical_neighbours"] if options["benchmarks"] else []
        rows = []
        for ind in document["indicators"]:
            row = [ind[c] for c in columns]
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
            extra = "".join(f"  {b}: {v}" for b, v in zip(bench, row[len(columns):], strict=True) if v != "")
            self.stdout.write(f"  {ind['title']}: {value}{detail}{reason}{extra}")
