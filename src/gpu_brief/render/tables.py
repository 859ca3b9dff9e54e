"""Listings: `verify`'s report, `eval`'s table, claims, entities, sources and one claim shown."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from gpu_brief.render.markdown import md_cell, md_code, md_escape
from gpu_brief.render.terminal import console, indented, inert, inert_json, plural, styled, write
from gpu_brief.render.terminal import flow as one_line

if TYPE_CHECKING:
    from pathlib import Path

    from gpu_brief.browse import EntityInfo, Match
    from gpu_brief.evaluate import Outcome, Report
    from gpu_brief.export import Cited, Problem
    from gpu_brief.index import ClaimRecord


def print_verify(
    path: Path, cited: list[Cited], problems: list[Problem], fmt: str, edited: list[str] | None = None
) -> None:
    broken = {id(p.cited): p.reason for p in problems}
    edited = edited or []
    if fmt == "json":
        write(
            inert_json(
                {
                    "document": str(path),
                    "citations": len(cited),
                    "broken": len(problems),
                    "edited_since_export": edited,
                    "results": [
                        {
                            "label": c.label,
                            "source": c.file,
                            "line": c.line,
                            "start": c.start,
                            "end": c.end,
                            "claim_id": c.claim_id,
                            "ok": id(c) not in broken,
                            "reason": broken.get(id(c)),
                            "note": c.note,
                        }
                        for c in cited
                    ],
                },
                indent=2,
            )
        )
        return
    for p in problems:
        c = p.cited
        if not c.label:
            sys.stdout.write(f"BROKEN answer {inert(c.answer or '')!r}: {inert(p.reason)}\n")
            continue
        if c.note:
            sys.stdout.write(f"BROKEN [^{inert(c.label)}]: {inert(p.reason)}\n")
            continue
        sys.stdout.write(
            f"BROKEN [^{inert(c.label)}] {inert(c.file)}:{c.line} chars {c.start}-{c.end} "
            f"(claim {inert(c.claim_id)}): {inert(p.reason)}\n"
        )
    status = (
        "nothing to verify (every question of the document abstained)"
        if not cited
        else "all citations verified"
        if not problems
        else f"{len(problems)} of {plural(len(cited), 'citation')} broken"
    )
    sys.stdout.write(f"{inert(str(path))}: {plural(len(cited), 'citation')} checked, {status}\n")
    if edited:
        sys.stdout.write(
            f"note: {plural(len(edited), 'source')} edited since export ({inert(', '.join(edited))}); "
            "the citations that still hold quote characters the edit left alone, but the rest of "
            "the source may now say otherwise\n"
        )
    sys.stdout.flush()


_EVAL_COLUMNS = [
    ("group", "lang"),
    ("questions", "n"),
    ("r@1", "R@1"),
    ("r@3", "R@3"),
    ("mrr", "MRR"),
    ("false_abstention", "false abst."),
    ("answer_spans", "spans"),
    ("answer_accuracy", "span acc."),
    ("out_of_scope", "OOS"),
    ("oos_abstention", "OOS abst."),
]


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_eval(report: Report, fmt: str, *, details: bool = False) -> None:
    rows = report.rows()
    if fmt == "json":
        payload: dict[str, Any] = {"metrics": rows}
        failures = report.failures()
        if details:
            payload["failures"] = [_failure(o) for o in failures]
        missed = {id(o) for o in failures}
        # every question, so a script can read any one's answer_ok (not only the misses')
        payload["questions"] = [{**_failure(o), "missed": id(o) in missed} for o in report.outcomes]
        write(inert_json(payload, indent=2))
        return
    if fmt == "markdown":
        lines = ["| " + " | ".join(h for _, h in _EVAL_COLUMNS) + " |", "|" + "---|" * len(_EVAL_COLUMNS)]
        lines += ["| " + " | ".join(_fmt(r[k]) for k, _ in _EVAL_COLUMNS) + " |" for r in rows]
        write("\n".join(lines))
        return
    from rich.table import Table

    table = Table(title="Evaluation", title_justify="left")
    for _, header in _EVAL_COLUMNS:
        table.add_column(header, justify="right")
    for r in rows:
        table.add_row(*(_fmt(r[k]) for k, _ in _EVAL_COLUMNS))
    out = console()
    out.print(table)
    if details:
        for o in report.failures():
            f = _failure(o)
            # in words: "rank None ... abstained=False" read as Python, not as a result
            rank = f"expected passage at rank {f['rank']}" if f["rank"] else "expected passage not cited"
            # an answer is corpus text: a hard-wrapped paragraph's line breaks are spaces, as `ask` shows
            got = "abstained" if f["abstained"] else f"answered {quoted(inert(one_line(f['answer'] or '')))}"
            top = f", first cited {f['top']}" if f["top"] else ""
            out.print(
                f"{f['id']}: {inert(f['question'])}\n    expected {inert(one_line(f['expected']))}\n    got: {got}; {rank}{top}"
            )


def quoted(text: str) -> str:
    """An answer between guillemets, once: a quotation given as the answer has its own."""
    return text if text.startswith("«") and text.endswith("»") else f"«{text}»"


def _failure(o: Outcome) -> dict[str, Any]:
    q = o.question
    expected = (
        "out of scope" if q.out_of_scope else ", ".join(f"{e.source}:{e.quote}" for e in q.expect)
    )  # whole: a cut quote cannot be searched for
    if q.answer:
        expected += f" -> {q.answer}"
    return {
        "id": q.id,
        "question": q.question,
        "expected": expected,
        "rank": o.rank,
        "top": o.top,
        "abstained": o.abstained,
        "answer": o.answer,
        "answer_ok": o.answer_ok,
    }


# --- browsing --------------------------------------------------------------------------------


def print_claims(matches: list[Match], fmt: str) -> None:
    """Claims grouped by source in file order; the matched entity (or pattern) highlighted."""
    from gpu_brief.browse import claim_dict

    if fmt == "json":
        write(inert_json([claim_dict(m.record) for m in matches], indent=2))
        return
    if fmt == "yaml":
        from gpu_brief.store import flow, quote

        if not matches:
            write("[]")
            return
        lines = []
        for m in matches:
            d = claim_dict(m.record)
            lines.append(
                f"- id: {quote(d['id'])}\n  source: {quote(d['source'])}\n  line: {d['line']}\n"
                f"  start: {d['start']}\n  end: {d['end']}\n  text: {quote(d['text'])}"
            )
            lines.append("  entities:" + ("".join(f"\n  - {flow(e)}" for e in d["entities"]) or " []"))
            lines.append("  figures:" + ("".join(f"\n  - {flow(f)}" for f in d["figures"]) or " []"))
        write("\n".join(lines))
        return
    if fmt == "markdown":
        out: list[str] = []
        current = None
        for m in matches:
            r = m.record
            if r.source != current:
                current = r.source
                out += ["", f"### `{md_code(r.source)}`", ""]
            figures = "; ".join(md_escape(f["text"]) for f in r.figures)
            out.append(
                f"- **{md_escape(r.id)}** (line {r.line}): {md_escape(r.text)}"
                + (f" *({figures})*" if figures and any(f for f in r.figures) else "")
            )
        write("\n".join(out).strip())
        return
    from rich.text import Text

    if not matches:
        return
    con = console()
    current = None
    for m in matches:
        r = m.record
        if r.source != current:
            gap = "" if current is None else "\n"  # a blank line between sources, none before the first
            current = r.source
            con.print(Text(f"{gap}{inert(r.source)}", style="bold cyan"))
        con.print(Text(f"  {inert(r.id)}  line {r.line}", style="dim"))
        con.print(indented(con, styled(r.text, r.start, [(a, b, "bold yellow") for a, b in m.highlights])))
        if r.figures and any((a, b) in {(f["start"], f["end"]) for f in r.figures} for a, b in m.highlights):
            shown = ", ".join(_figure_label(f) for f in r.figures)
            con.print(Text(f"    figures: {inert(shown)}", style="magenta"))
    con.print(Text(f"\n{len(matches)} claim(s)", style="dim"))


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.12g}"


def _figure_label(f: dict[str, Any]) -> str:
    """`100 milliards de dollars (money: 100000000000 $)`, `des centaines de milliers de GPU (count: vague)`."""
    value = f.get("value")
    if value is None:
        return f"{f['text']} ({f['kind']}: vague)"
    number = _number(value)
    if f.get("value_max") is not None:
        number += f" to {_number(f['value_max'])}"
    unit = f.get("unit") or f.get("counts") or ""
    extra = f" {f['per']}" if f.get("per") else ""
    return f"{f['text']} ({f['kind']}: {number} {unit}{extra})".replace(" )", ")")


def print_entities(rows: list[EntityInfo], fmt: str) -> None:
    if fmt in ("json", "yaml"):
        data = [
            {
                "name": r.name,
                "type": r.type,
                "aliases": r.aliases,
                "roles": r.roles,
                "claims": r.claims,
                "sources": r.sources,
            }
            for r in rows
        ]
        if fmt == "json":
            write(inert_json(data, indent=2))
        else:
            from gpu_brief.store import flow

            write("\n".join(f"- {flow(d)}" for d in data) or "[]")
        return
    if fmt == "markdown":
        lines = ["| name | type | aliases | claims | sources |", "|---|---|---|---:|---:|"]
        lines += [
            f"| {md_cell(r.name)} | {r.type} | {md_cell(', '.join(r.aliases))} | {r.claims} | {r.sources} |"
            for r in rows
        ]
        write("\n".join(lines))
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} entities", title_justify="left")
    for col, justify in (
        ("name", "left"),
        ("type", "left"),
        ("aliases", "left"),
        ("claims", "right"),
        ("sources", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        aliases = ", ".join(a for a in r.aliases if a != r.name)
        if r.roles:
            aliases += (" | " if aliases else "") + "roles: " + ", ".join(r.roles)
        table.add_row(inert(r.name), r.type, inert(aliases), str(r.claims), str(r.sources))
    console().print(table)


def print_sources(
    sources: list[dict[str, Any]], fmt: str, root: str = "", stale: dict[str, str] | None = None
) -> None:
    """The sources table, and the folder they are read from: a claims file received from someone
    else decides where gpu-brief reads, so that folder is always shown (JSON: each `path`, and
    `status`: "ok", or why the source is left out of answers)."""
    stale = stale or {}
    rows = [
        {
            "file": s["file"],
            "title": s.get("title"),
            "url": s.get("url"),
            "claims": s["claims"],
            "sha256": s["sha256"],
            "path": f"{root}/{s['file']}" if root else s["file"],
            "status": stale.get(s["file"], "ok"),
        }
        for s in sources
    ]
    if fmt == "json":
        write(inert_json(rows, indent=2))
        return
    if fmt == "yaml":
        from gpu_brief.store import flow

        write("\n".join(f"- {flow(r)}" for r in rows) or "[]")
        return
    # a source left out of answers (edited, deleted) says so in its row, not only on stderr
    flagged = any(r["status"] != "ok" for r in rows)
    if fmt == "markdown":
        lines = [f"Read from `{md_code(root)}`:", ""] if root else []
        lines += ["| file | title | URL | claims | sha256 |" + (" status |" if flagged else "")]
        lines += ["|---|---|---|---:|---|" + ("---|" if flagged else "")]
        lines += [
            f"| `{md_code(r['file'])}` | {md_cell(r['title'] or '')} | {md_cell(r['url'] or '')} | "
            f"{r['claims']} | `{r['sha256'][:12]}` |" + (f" {md_cell(r['status'])} |" if flagged else "")
            for r in rows
        ]
        write("\n".join(lines))
        return
    from rich.table import Table

    where = f" in {inert(root, keep_newlines=False)}" if root else ""
    table = Table(title=plural(len(rows), "source") + where, title_justify="left")
    for col in ("file", "title", "URL", "claims", "sha256", *(("status",) if flagged else ())):
        table.add_column(col, justify="right" if col == "claims" else "left", overflow="fold")
    for r in rows:
        cells = [
            inert(r["file"]),
            inert(r["title"] or "-"),
            inert(r["url"] or "-"),
            str(r["claims"]),
            r["sha256"][:12],
        ]
        table.add_row(*cells, *((inert(r["status"]),) if flagged else ()))
    console().print(table)


def print_show(record: ClaimRecord, paragraph: str, para_start: int, fmt: str) -> None:
    """One claim inside its paragraph, with file:line, heading, entities and figures."""
    from gpu_brief.browse import claim_dict

    if fmt == "json":
        data = claim_dict(record)
        data["heading"] = record.heading
        data["paragraph"] = {"start": para_start, "end": para_start + len(paragraph), "text": paragraph}
        write(inert_json(data, indent=2))
        return
    if fmt in ("markdown", "yaml"):
        before = paragraph[: record.start - para_start]
        after = paragraph[record.end - para_start :]
        if fmt == "yaml":
            from gpu_brief.store import quote

            write(
                f"id: {quote(record.id)}\nsource: {quote(record.source)}\nline: {record.line}\n"
                f"start: {record.start}\nend: {record.end}\ntext: {quote(record.text)}\n"
                f"paragraph: {quote(paragraph)}"
            )
            return
        write(
            f"`{md_code(record.source)}`, line {record.line}, claim `{md_code(record.id)}`\n\n"
            f"> {md_escape(before)}**{md_escape(record.text)}**{md_escape(after)}"
        )
        return
    from rich.text import Text

    con = console()
    con.print(
        Text(f"{inert(record.source)}:{record.line}", style="bold cyan")
        + Text(f"  claim {inert(record.id)}, chars {record.start}-{record.end}", style="dim")
    )
    if record.heading:
        con.print(Text(f"§ {inert(record.heading)}", style="italic"))
    spans = [(record.start, record.end, "bold reverse")]
    spans += [(e["start"], e["end"], "underline") for e in record.entities]
    con.print(styled(paragraph, para_start, spans))
    if record.entities:
        names = ", ".join(
            dict.fromkeys(
                f"{e['name']} ({e['type']}{', role' if e.get('role') else ''})" for e in record.entities
            )
        )
        con.print(Text(f"entities: {inert(names)}", style="dim"))
    if record.figures:
        con.print(
            Text("figures: " + inert(", ".join(_figure_label(f) for f in record.figures)), style="magenta")
        )
