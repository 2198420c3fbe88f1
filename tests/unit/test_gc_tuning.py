"""The web worker's collector settings (writer_app/gc_tuning.py) and the rest of gunicorn.conf.py."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

import pytest

from writer_app import gc_tuning

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def restore_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settled_worker_hides_what_it_loaded_and_collects_less_often(restore_gc):
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    gc_tuning.settle_worker()
    assert gc.get_freeze_count() > 10_000  # this process's modules, classes, fixtures
    assert gc.get_threshold() == gc_tuning.THRESHOLDS
    # Cycles made after start-up are still collected.
    cycle: list = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1


def test_gunicorn_settles_each_worker_after_loading_the_app(restore_gc, monkeypatch):
    warmed = []
    monkeypatch.setattr("writer_app.services.validation.warm_up", lambda: warmed.append(True))
    gc.unfreeze()
    settings = runpy.run_path(str(CONF))
    settings["post_worker_init"](object())
    assert warmed == [True]
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == gc_tuning.THRESHOLDS


def test_gunicorn_leaves_the_request_log_to_the_app_unless_asked(monkeypatch):
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    assert runpy.run_path(str(CONF))["accesslog"] is None  # web.py logs each request once
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "-")
    assert runpy.run_path(str(CONF))["accesslog"] == "-"
