"""What a "possible <technique>" label is worth: ``/techniques/help`` (page) and ``/api/techniques/help`` (JSON),
per technique the threshold and the precision and recall measured out of fold (``techniques.calibrate``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from presslens.web.views import html

router = APIRouter()


def _rows() -> dict[str, Any]:
    from presslens.techniques.calibrate import (
        GENERAL_NEWS,
        REAL_PAGES,
        TARGET_PRECISION,
        help_rows,
        real_pages_sentence,
        shipped,
    )

    cals = shipped()
    return {
        "target_precision": TARGET_PRECISION,
        "probability_min": min((c.probability_min for c in cals.values()), default=0.0),  # no mode shows less
        "general_news": GENERAL_NEWS,
        "real_pages": {**REAL_PAGES, "summary": real_pages_sentence()},
        "calibrated": "default" in cals,
        "techniques": help_rows(cals.get("default")) if "default" in cals else [],
        "accurate": help_rows(cals["accurate"]) if "accurate" in cals else [],
    }


@router.get("/api/techniques/help", tags=["api"], summary="Per technique: threshold, out-of-fold precision and recall")
def api_techniques_help() -> dict[str, Any]:
    return _rows()


@router.get(
    "/techniques/help",
    tags=["pages"],
    response_class=HTMLResponse,
    summary="What a 'possible technique' label is worth: measured precision and recall per technique",
)
def techniques_help(request: Request) -> Response:
    return html(request, "techniques_help.html", help=_rows())
