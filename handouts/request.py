"""A handout request from plain values: the rules the command line and the web app share.

The command line reads a client file plus flags; the web app's JSON API reads one object with
the client file's keys plus ``paper``, ``grayscale`` and ``allow`` (stretch id → reason). Both
end here, so a rule (every stretch given anyway needs a reason) and its message exist once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .content import client_from_data
from .errors import InputError
from .models import PAPER_SIZES, Client, Options
from .schema import Fields

REASON_WHY = "say why this stretch is right for the client despite the condition."
REQUEST_KEYS = ("paper", "grayscale", "allow")  # the request's own keys, beside the client's
REASON_LIMIT = 300


def need_reasons(allow: Mapping[str, str | None], needs: Callable[[str], str]
                 ) -> dict[str, str]:
    """Each stretch given despite a condition needs a reason; ``needs(stretch)`` starts the
    one-line error that says which is missing. Returns the stretches with their reasons."""
    for sid, reason in allow.items():
        if not (reason and reason.strip()):
            raise InputError(f"{needs(sid)}: {REASON_WHY}")
    return {sid: (reason or "").strip() for sid, reason in allow.items()}


def request_from_data(body: Any, where: str = "request") -> tuple[Client, Options]:
    """Validate a request object (the client file's keys plus paper, grayscale and allow)."""
    if not isinstance(body, dict):
        raise InputError(f"{where}: must be a JSON object with the client file's keys "
                         '(for example {"name": "Jane Doe", "stretches": ["lunge"]}).')
    data = dict(body)
    extra = Fields({key: data.pop(key) for key in REQUEST_KEYS if key in data}, where)
    paper = extra.choice("paper", PAPER_SIZES)
    grayscale = extra.boolean("grayscale")
    allow = extra.raw("allow")
    if allow is None:
        allow = {}
    if not isinstance(allow, dict) or not all(isinstance(v, str) for v in allow.values()):
        raise extra.error("allow", 'must be an object of stretch id to reason, for example '
                          '{"bridge": "cleared by her doctor"}.')
    for sid, reason in allow.items():
        if len(reason) > REASON_LIMIT:
            raise extra.error("allow", f"has a reason for '{sid}' over {REASON_LIMIT} "
                              "characters; shorten it.")
    reasons = need_reasons(allow, lambda sid: f"{where}: 'allow': '{sid}' needs a reason")
    client = client_from_data(data, where, label=where)
    return client, Options(paper=paper, grayscale=grayscale, allow=tuple(reasons),
                           reasons=tuple(reasons.items()))


# --- listings (``stretches --json``, ``conditions --json`` and the API) ---------------------

def stretch_listing(library: dict[str, Any]) -> list[dict[str, Any]]:
    """Every stretch as plain data: id, title, purpose, cautions, tags, dose and its range."""
    return [{"id": s.id, "title": s.title, "purpose": s.purpose,
             "cautions": list(s.cautions), "tags": list(s.tags),
             "dose": {"hold_seconds": s.dose.hold_seconds, "reps": s.dose.reps,
                      "sides": s.dose.sides, "per_day": s.dose.per_day,
                      "days_per_week": s.dose.days_per_week},
             "dose_range": {"hold_seconds": list(s.hold_range), "reps": list(s.reps_range)},
             "hip_flexor": s.hip_flexor,
             "image": s.image, "source": str(s.source)} for s in library.values()]


def condition_listing(catalogue: dict[str, Any], library: dict[str, Any]
                      ) -> list[dict[str, Any]]:
    """Every condition with the stretches it rules out, the cautions and the safe choices."""
    from .safety import safe_alternatives, safety_table

    return [{"id": row.condition.id, "label": row.condition.label,
             "description": row.condition.description, "rules_out": list(row.rules_out),
             "cautions": [sid for sid, _ in row.cautions],
             "alternatives": safe_alternatives([row.condition], library)[:3]}
            for row in safety_table(catalogue, library)]
