"""What limits the figures: derived from this run's own measurements (profiles, SQL, memory, jobs)."""

from __future__ import annotations

from bench.load import LoadResult
from bench.report import FRESH, Report, bare_rps

BIG_ANSWER = 100 * 1024
MANY_URLS = 20


def _page(result: LoadResult, bare_cpu: float) -> str | None:
    p = result.profile
    if p is None or result.name.startswith("bare"):
        return None
    times = f" ({p.cpu_ms / bare_cpu:.0f}× the bare endpoint's)" if bare_cpu else ""
    parts = [
        f"**{result.name}**: computing the answer takes {p.cpu_ms:.1f} ms of Python CPU{times} and "
        f"{p.sql_ms:.1f} ms in {p.queries} SQL statements"
    ]
    if p.duplicates:
        flat = [" ".join(s.split()) for s in p.statements]
        repeated = sorted(
            {s.split(" FROM ")[1].split()[0] for s in flat if flat.count(s) > 1 and " FROM " in s}
        )
        parts.append(
            f"{p.duplicates} statement(s) run twice in the same request (FROM {', '.join(repeated)}): "
            "the layout and the view each load them; sharing one result per request saves the queries and "
            "their ORM work"
        )
    if p.url_for_calls > MANY_URLS:
        parts.append(
            f"{p.url_for_calls} url_for() calls while rendering; per-row links built from one prefix "
            "per page cost a fraction"
        )
    writes = sorted({s.split()[1] for s in p.statements if s.lstrip().upper().startswith("UPDATE")})
    if writes:
        parts.append(f"a read request writes ({', '.join(writes)}): every GET pays an UPDATE and a commit")
    if result.bytes_per_request > BIG_ANSWER:
        parts.append(
            f"{result.bytes_per_request / 1024:.0f} KB per answer: each row carries the full article HTML "
            "(the documented shape of the API's content), which is loaded, serialized and sent for every page"
        )
    return "; ".join(parts) + "."


def diagnose(report: Report) -> list[str]:
    findings: list[str] = []
    if not report.loads:
        return findings
    scales = sorted(report.loads)
    base = report.loads[scales[0]]
    bare = next((r for r in base if r.name == "bare" and r.profile), None)
    bare_cpu = bare.profile.cpu_ms if bare and bare.profile else 0.0
    if bare:
        findings.append(
            f"The ceiling: the bare endpoint answers {bare_rps(base):,.0f} req/s with "
            f"{bare_cpu:.1f} ms of Python CPU per request; a page's share of it is roughly the bare cost "
            "over the page's cost (CPU + SQL), since gunicorn, PostgreSQL and wrk share the same 2 cores."
        )
    # A list measured from the response cache and again computed (`_fresh`): its profile, which is of the
    # computed answer either way, is reported once, under the `_fresh` name.
    names = {r.name for r in base}
    profiled = [r for r in base if r.name + FRESH not in names]
    findings += [line for r in profiled if (line := _page(r, bare_cpu))]
    if len(scales) > 1:
        big = {r.name: r for r in report.loads[scales[-1]]}
        for r in profiled:
            other = big.get(r.name)
            if other and r.sql_ms is not None and other.sql_ms is not None and not r.name.startswith("bare"):
                findings.append(
                    f"{r.name} at {scales[-1]:,} rows: SQL {other.sql_ms:.1f} ms vs {r.sql_ms:.1f} ms at "
                    f"{scales[0]:,} (counting the matching rows grows with the table: totals come from the "
                    "count cache while the account's data is unchanged, as in a load run; the page does not grow)."
                )
    return findings
