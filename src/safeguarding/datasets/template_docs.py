"""docs/data-templates/: one page per agency template, an index and an example file each.

Everything here is made from the YAML specs (validation.templates) and the
synthetic writer, so the documentation cannot drift from what the importer
checks: ``safeguarding template_docs`` writes the files, ``--check`` (and the
test suite) fails when what is committed differs from what the specs give.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from safeguarding.datasets.validation.templates import TemplateSpec, template_kinds, template_spec

DOCS_DIR = Path(__file__).resolve().parents[3] / "docs" / "data-templates"
EXAMPLE_ROWS = 6
EXAMPLE_SEED = 11
EXAMPLE_PERIOD = ("2020-21", dt.date(2020, 4, 1), dt.date(2021, 3, 31))
SENDERS = {"la_childrens_services": "the local authority's children's services",
           "police": "the police", "education": "a school or the LA's education service",
           "voluntary": "a voluntary sector agency", "health": "a health agency"}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rule_text(spec: TemplateSpec, rule: dict) -> str:
    kind = rule["kind"]
    if kind == "date_order":
        return f"`{rule['later']}` must not be before `{rule['earlier']}`."
    if kind == "required_if":
        when = f"`{rule['when']}` is {rule['equals']}" if "equals" in rule \
            else f"`{rule['when']}` is given"
        unless = f" and `{rule['unless']}` is blank" if rule.get("unless") else ""
        return f"`{rule['column']}` is required when {when}{unless}."
    if kind == "birth_before":
        return f"`date_of_birth` must not be after `{rule['column']}`."
    if kind == "not_more_than":
        return f"`{rule['column']}` must not be more than `{rule['limit']}`."
    raise AssertionError(kind)


def render_page(kind: str) -> str:
    spec = template_spec(kind)
    sent_by = ", ".join(SENDERS.get(k, k.replace("_", " ")) for k in spec.sent_by)
    start, end = spec.span
    lines = [
        f"# {spec.title}",
        "",
        "<!-- Made by `safeguarding template_docs` from "
        f"src/safeguarding/datasets/specs/templates/{kind}.yaml: edit the spec, not this page. -->",
        "",
        spec.description,
        "",
        f"- **Import kind**: `{kind}` (`safeguarding import {kind} FILE --partnership CODE "
        "--period 2020-21`, or the upload page at /data/)",
        f"- **Sent by**: {sent_by}",
        f"- **Source**: {spec.source}",
        f"- **File**: CSV, UTF-8, one header row naming the columns (in any order); blank "
        f"cells for values not known. Example: [{kind}.csv]({kind}.csv).",
        f"- **Record key**: {' + '.join(f'`{k}`' for k in spec.record_key)}: a record "
        "appears once in an extract, and a re-sent extract replaces the record with the same key.",
        f"- **Dates that place a row in the period**: `{start}` to `{end}` (a blank end "
        "means still open).",
        "",
        "## The period an extract covers",
        "",
        spec.period_text,
        "",
        "## Sending an extract again",
        "",
        spec.resend_text,
        "",
        "## Columns",
        "",
        "The child's identifiers (marked *identity*) go only to the agency's linkage record "
        "for the child, which is matched to the partnership's child index; the tables the "
        "measures read hold the record's dates and codes with a pseudonym. "
        + spec.identity_text,
        "",
        "| Column | Type | Required | Code list | Description |",
        "|---|---|---|---|---|",
    ]
    for column in spec.columns:
        name = f"`{column.name}`" + (" (identity)" if column.identity else "")
        code_list = f"[{column.code_list}](#{column.code_list.replace('_', '-')})" \
            if column.code_list else ""
        lines.append(f"| {name} | {column.type_label} | {'yes' if column.required else 'no'} | "
                     f"{code_list} | {_cell(column.description)} |")
    lines += ["", "## Rules across columns", ""]
    lines += [f"- {_rule_text(spec, rule)}" for rule in spec.rules]
    lines += [
        "- Every row's dates must overlap the period the extract covers.",
        "- The same record key must not appear twice in a file.",
        "- NHS numbers must pass the modulus 11 check, UPNs the check letter.",
        "",
        "Any error stops the whole file: nothing of it is loaded. Each error names the file, "
        "the row, the `person_id` of the child, the column and the rule (`SCP-TPL-...`), in "
        "plain English, on the import page and in its errors CSV.",
        "",
        "## Code lists",
        "",
    ]
    used = {c.code_list for c in spec.columns if c.code_list is not None}
    for name in sorted(used):
        codes = spec.code_lists[name]
        lines += [f"### {name}", "", f"Source: {codes.source}", "", "| Code | Meaning |",
                  "|---|---|"]
        lines += [f"| `{code}` | {_cell(label)} |" for code, label in codes.codes.items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_index() -> str:
    lines = [
        "# Agency data templates",
        "",
        "<!-- Made by `safeguarding template_docs` from src/safeguarding/datasets/specs/"
        "templates/: edit the specs, not this page. -->",
        "",
        "Agencies send the partnership these extracts as CSV files. Each page lists the "
        "columns, their types, the code lists with their sources, the record key and the "
        "rules the importer checks; an example file sits beside it.",
        "",
        "| Template | Import kind | Sent by | Example |",
        "|---|---|---|---|",
    ]
    for kind in template_kinds():
        spec = template_spec(kind)
        sent_by = ", ".join(SENDERS.get(k, k) for k in spec.sent_by)
        lines.append(f"| [{spec.title}]({kind}.md) | `{kind}` | {sent_by} | "
                     f"[{kind}.csv]({kind}.csv) |")
    lines += ["", "## The period an extract covers", "", template_spec(template_kinds()[0])
              .period_text, ""]
    return "\n".join(lines)


def example_csv(kind: str) -> str:
    from safeguarding.datasets.synthetic.agency import csv_cell, extract_rows, synthetic_people

    spec = template_spec(kind)
    people = synthetic_people(400, seed=EXAMPLE_SEED)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(spec.column_names)
    _, start, end = EXAMPLE_PERIOD
    for n, row in enumerate(extract_rows(kind, people, seed=EXAMPLE_SEED, period_start=start,
                                         period_end=end)):
        if n >= EXAMPLE_ROWS:
            break
        writer.writerow([csv_cell(row.get(name)) for name in spec.column_names])
    return out.getvalue()


def expected_files() -> dict[str, str]:
    files = {"README.md": render_index()}
    for kind in template_kinds():
        files[f"{kind}.md"] = render_page(kind)
        files[f"{kind}.csv"] = example_csv(kind)
    return files


def differences(folder: Path = DOCS_DIR) -> list[str]:
    """The files in ``folder`` that are missing or differ from what the specs give."""
    return [name for name, text in expected_files().items()
            if not (folder / name).is_file() or (folder / name).read_text() != text]


def write(folder: Path = DOCS_DIR) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    changed = differences(folder)
    for name, text in expected_files().items():
        if name in changed:
            (folder / name).write_text(text)
    return changed
