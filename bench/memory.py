"""Peak resident memory of the processes the bench starts, read from /proc (Linux only).

A sampler thread walks each watched process and its descendants (RQ forks a work horse per job)
every `interval` seconds and keeps the largest RSS seen per role; at the end the kernel's own peak
(VmHWM) of each still-running process is folded in, so short spikes between samples still count.
"""

from __future__ import annotations

import threading
from pathlib import Path


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def children(pid: int) -> list[int]:
    """Direct children of `pid` (all its threads' children)."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    out, stack = [], children(pid)
    while stack:
        child = stack.pop()
        out.append(child)
        stack += children(child)
    return out


def rss_mb(pid: int) -> float:
    return _status_kb(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int) -> float:
    """The kernel's high-water mark of the process's resident set (VmHWM)."""
    return _status_kb(pid, "VmHWM") / 1024


class PeakSampler:
    """Track peak RSS per process (each watched root's descendants separately, by role)."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.roots: dict[str, tuple[int, bool, bool]] = {}  # role -> (pid, the pid itself, its descendants)
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._lock = threading.Lock()

    def watch(self, role: str, pid: int, *, include_root: bool = True, include_children: bool = True) -> None:
        """Sample `pid` (when include_root) and every descendant of it (when include_children) under `role`."""
        with self._lock:
            self.roots[role] = (pid, include_root, include_children)

    def start(self) -> PeakSampler:
        self._thread.start()
        return self

    def sample(self) -> None:
        with self._lock:
            roots = dict(self.roots)
        for role, (pid, include_root, include_children) in roots.items():
            pids = (descendants(pid) if include_children else []) + ([pid] if include_root else [])
            for p in pids:
                value = max(rss_mb(p), peak_rss_mb(p))
                if value > self.peaks.get(role, 0.0):
                    self.peaks[role] = value

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def stop(self) -> dict[str, float]:
        self.sample()
        self._stop.set()
        self._thread.join(timeout=5)
        return dict(self.peaks)


PROBE = """
import json, sys, tracemalloc
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
traced = sys.argv[1] == 'traced'
if traced:
    tracemalloc.start(1)  # inflates RSS itself: the RSS figure comes from the untraced run
import wsgi  # what each gunicorn worker loads
import os, runpy
if os.path.exists('gunicorn.conf.py'):  # and what the worker hook loads before the first request
    hook = runpy.run_path('gunicorn.conf.py').get('post_worker_init')
    if hook is not None:
        hook(None)
out = {'rss_mb': rss()}
if traced:
    stats = tracemalloc.take_snapshot().statistics('filename')
    out['traced_mb'] = sum(s.size for s in stats) / 1e6
    out['top'] = [(s.traceback[0].filename, s.size / 1e6) for s in stats if 'frozen' not in s.traceback[0].filename][:3]
print(json.dumps(out))
"""


def app_memory_probe(python: str, cwd: str, env: dict[str, str]) -> str:
    """What a fresh worker process holds after `import wsgi`, and the files that allocated most of it."""
    import json
    import subprocess

    data: dict = {}
    for mode in ("plain", "traced"):
        done = subprocess.run(
            [python, "-c", PROBE, mode], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        try:
            found = json.loads(done.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return f"memory probe failed: {done.stderr[-300:]}"
        data.setdefault("rss_mb", found["rss_mb"])
        data.update({k: v for k, v in found.items() if k != "rss_mb"})
    top = ", ".join(f"{Path(name).parent.name}/{Path(name).name} {mb:.0f} MB" for name, mb in data["top"][:3])
    return (
        f"a fresh worker holds {data['rss_mb']:.0f} MB RSS after `import wsgi` and gunicorn.conf.py's "
        "post_worker_init (before any request); "
        f"Python allocations while loading the app: {data['traced_mb']:.0f} MB, most from {top}"
    )
