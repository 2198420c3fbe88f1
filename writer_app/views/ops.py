"""Liveness and readiness probes for load balancers and orchestration."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify

from writer_app.extensions import csrf
from writer_app.services.health import readiness

bp = Blueprint("ops", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    ready, checks = readiness(current_app.config.get("REDIS_URL"))
    return jsonify({"status": "ok" if ready else "unavailable", "checks": checks}), 200 if ready else 503
