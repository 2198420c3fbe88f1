"""Serve the app with gunicorn on a free loopback port and measure pages with wrk.

Traffic goes to 127.0.0.1 only; every wrk run has a fixed duration and connection count, so it ends
by itself. Query counts come from one request through the Flask test client against the same database
(an SQLAlchemy event counter), not from the load run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from bench.seed import BENCH_EMAIL, BENCH_PASSWORD

REPO = Path(__file__).resolve().parent.parent
# One browser: Flask-Login ties a session to its user agent and marks the session "not fresh" (a changed
# cookie) for any other, which wrk, repeating the cookie it was given, would then ask for every time.
USER_AGENT = "writer-bench"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
"""


@dataclass
class Target:
    """One measured URL: a name, the path, and how it authenticates (cookie, token or none)."""

    name: str
    path: str
    auth: str  # "session" | "token" | "none"
    expect: str = ""  # text the answer must contain (proves the page is the real one)
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request


@dataclass
class LoadResult:
    name: str
    path: str
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int
    error_kinds: str = ""  # e.g. "non2xx 3, read 12" (wrk's counters)
    paired_bare_rps: float | None = None  # the bare endpoint measured right after this page

    def share(self, bare_rps: float) -> float:
        """This page's req/s over the ceiling: its paired bare figure when there is one."""
        ceiling = self.paired_bare_rps or bare_rps
        return self.rps / ceiling if ceiling else 0.0

    queries: int | None = None
    cpu_ms: float | None = None  # Python CPU per request, in-process (see profile_requests)
    sql_ms: float | None = None
    duplicates: int = 0
    profile: Profile | None = None
    bytes_per_request: int = 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, secret_key: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every process the bench starts (web, workers): same settings everywhere."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret_key,
            "WRITER_BENCH": "1",
            "WRITER_ENV": "development",  # production sets Secure cookies, which plain-http wrk cannot send
            # The per-token API limit (120/min) would turn the load run into a 429 benchmark.
            "API_RATE_LIMIT": "100000000 per minute",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "AI_PROVIDER": "offline",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("REDIS_URL", None)
    env.update(extra or {})
    return env


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, log_dir: Path | None = None) -> Iterator[Server]:
    """gunicorn wsgi:app with `workers` sync workers on a free loopback port; stopped on exit."""
    port = free_port()
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="writer-bench-"))
    log = open(log_dir / "gunicorn.log", "ab")  # noqa: SIM115 - closed below
    cmd = [
        str(REPO / ".venv/bin/gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(REPO),
        "--timeout",
        "60",
        "wsgi:app",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", proc)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
        log.close()


class Server:
    def __init__(self, url: str, proc: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.proc = proc

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see its log")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def worker_pids(self) -> list[int]:
        """The master's children (the workers)."""
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def login_cookie(base_url: str) -> str:
    """Log in through the real form (CSRF token included); returns the Cookie header value."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    page = session.get(f"{base_url}/login", timeout=10)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page.text
    )
    data = {"email": BENCH_EMAIL, "password": BENCH_PASSWORD}
    if match:
        data["csrf_token"] = match.group(1)
    answer = session.post(f"{base_url}/login", data=data, allow_redirects=False, timeout=10)
    if answer.status_code not in (302, 303) or "session" not in session.cookies:
        raise RuntimeError(f"bench login failed: {answer.status_code} {answer.text[:300]}")
    # Then land where the login leads, as a browser does: the session gets its CSRF token there, and
    # every later request sends that session (wrk repeats the cookie it is given).
    session.get(urljoin(base_url + "/", answer.headers["Location"]), timeout=10).raise_for_status()
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def headers_for(target: Target, cookie: str, token: str) -> dict[str, str]:
    if target.auth == "session":
        return {"Cookie": cookie, "User-Agent": USER_AGENT, **target.headers}
    if target.auth == "token":
        return {"Authorization": f"Bearer {token}", **target.headers}
    return dict(target.headers)


def check(base_url: str, target: Target, headers: dict[str, str]) -> int:
    """One request before the load: the page must answer 200 with the expected text; returns its size."""
    answer = requests.get(base_url + target.path, headers=headers, timeout=30, allow_redirects=False)
    if answer.status_code != 200:
        raise RuntimeError(f"{target.name}: {target.path} answered {answer.status_code}: {answer.text[:300]}")
    if target.expect and target.expect.lower() not in answer.text.lower():
        raise RuntimeError(f"{target.name}: {target.path} does not contain {target.expect!r}")
    return len(answer.content)


def wrk(
    url: str, headers: dict[str, str], duration: int, connections: int, threads: int = 2
) -> dict[str, Any]:
    """Run wrk for `duration` seconds; returns its summary (requests, latency percentiles in µs)."""
    lines = [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n" + LUA_DONE)
    try:
        cmd = [WRK, "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s"]
        cmd += ["-s", script.name, url]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"WRKJSON (\{.*\})", out)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    return json.loads(match.group(1))


def measure(
    server: Server,
    target: Target,
    cookie: str,
    token: str,
    *,
    duration: int,
    connections: int,
    warmup: int = 2,
) -> LoadResult:
    headers = headers_for(target, cookie, token)
    size = check(server.url, target, headers)
    url = server.url + target.path
    if warmup:
        wrk(url, headers, warmup, connections)  # imports, template compilation, connection pools
    summary = wrk(url, headers, duration, connections)
    seconds = summary["duration_us"] / 1e6
    errors = sum(summary[k] for k in ("non2xx", "connect", "read", "write", "timeout"))
    return LoadResult(
        name=target.name,
        path=target.path,
        rps=summary["requests"] / seconds,
        p50_ms=summary["p50_us"] / 1000,
        p90_ms=summary["p90_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        requests=summary["requests"],
        errors=errors,
        error_kinds=", ".join(
            f"{k} {summary[k]}" for k in ("non2xx", "connect", "read", "write", "timeout") if summary[k]
        ),
        bytes_per_request=size,
    )


@dataclass
class Profile:
    """One request of a target, in-process: its SQL and the CPU the app spent."""

    queries: int
    duplicates: int  # statements issued more than once with the same SQL text
    sql_ms: float  # wall time inside the database driver for one request
    cpu_ms: float  # median Python CPU time per request
    url_for_calls: int = 0  # URL building is a large share of rendering a table
    statements: list[str] = field(default_factory=list)


def profile_requests(app: Any, targets: list[Target], token: str, repeat: int = 10) -> dict[str, Profile]:
    """Per target: SQL statements of one request and the median Python CPU ms of `repeat` requests.

    Through the Flask test client in this process, on the same database, logged in like wrk is. CPU
    time (not wall time) is what the app itself costs, whatever else the machine is doing.
    """
    from sqlalchemy import event

    from writer_app.models import db

    found: dict[str, Profile] = {}
    with app.app_context():
        engine = db.engine
    # Requests run outside any app context, as under gunicorn: each one gets a fresh session, so
    # loading the user and the membership is counted too (an outer context would keep them cached).
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    answer = client.post("/login", data={"email": BENCH_EMAIL, "password": BENCH_PASSWORD})
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"test-client login failed: {answer.status_code}")
    statements: list[str] = []
    timings: list[float] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            statements.append(statement)
        timings.append(-time.perf_counter())

    def after(*_args: Any) -> None:
        timings[-1] += time.perf_counter()

    url_calls = [0]
    original_url_for = app.url_for

    def counting_url_for(*args: Any, **kwargs: Any) -> str:
        url_calls[0] += 1
        return original_url_for(*args, **kwargs)

    for target in targets:
        # What a request costs when computed: answers from the response cache would skip the work.
        headers = {"Cache-Control": "no-cache"}
        if target.auth == "token":
            headers["Authorization"] = f"Bearer {token}"
        client.get(target.path, headers=headers)  # warm: first-request lookups are not per-request cost
        statements.clear()
        timings.clear()
        url_calls[0] = 0
        app.url_for = counting_url_for  # type: ignore[method-assign]
        app.jinja_env.globals["url_for"] = counting_url_for  # templates hold the bound method
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            answer = client.get(target.path, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
            del app.url_for
            app.jinja_env.globals["url_for"] = original_url_for
        if answer.status_code != 200:
            raise RuntimeError(f"{target.name}: test client got {answer.status_code}")
        cpu = []
        for _ in range(repeat):
            started = time.process_time()
            client.get(target.path, headers=headers)
            cpu.append((time.process_time() - started) * 1000)
        found[target.name] = Profile(
            queries=len(statements),
            duplicates=len(statements) - len(set(statements)),
            sql_ms=sum(t for t in timings if t > 0) * 1000,
            cpu_ms=statistics.median(cpu),
            url_for_calls=url_calls[0],
            statements=list(statements),
        )
        if os.environ.get("BENCH_SHOW_SQL"):
            print(f"--- {target.name}: {len(statements)} statements")
            for statement, took in zip(statements, timings, strict=False):
                print(f"    {took * 1000:6.2f} ms ", " ".join(statement.split())[:200])
    return found
