"""Which stretch is safe for which condition, derived from what the body does.

A stretch lists what the body does in it (its tags: hip extension, lying on the back, ...); a
condition lists the tags that rule a stretch out and the tags that call for a caution. Every
ruled-out pair and every caution here follows from those two lists, so a new stretch or a
re-tagged one is screened without anyone typing a pair by hand. A stretch may add wording of
its own for a condition; it can never un-rule itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .models import Condition, Stretch


@dataclass(frozen=True)
class Verdict:
    """What one condition means for one stretch."""

    ruled_out_by: tuple[str, ...]   # the stretch's tags that the condition rules out
    cautions: tuple[str, ...]       # the words to print on the card (may be empty)

    @property
    def ruled_out(self) -> bool:
        """True when the stretch is not safe with the condition."""
        return bool(self.ruled_out_by)


# A caution that names a safer way in place of another's: on a stretch that can be done on a
# firm bed ("mat-or-bed"), a condition's bed wording is printed instead of its floor wording
# (both would tell the client two different ways to do the same stretch).
IN_PLACE_OF = {"mat-or-bed": "floor"}


def verdict(stretch: Stretch, condition: Condition) -> Verdict:
    """Derive the verdict from the stretch's tags and the condition's rules."""
    out = tuple(tag for tag in stretch.tags if tag in condition.rules_out)
    given = {tag for tag, _ in condition.cautions if tag in stretch.tags}
    given -= {IN_PLACE_OF[tag] for tag in given if tag in IN_PLACE_OF}
    words = [text for tag, text in condition.cautions if tag in given]
    words += [text for cid, text in stretch.condition_cautions if cid == condition.id]
    return Verdict(out, tuple(dict.fromkeys(w for w in words if w)))


def ruled_out(stretch: Stretch, conditions: Iterable[Condition]) -> list[Condition]:
    """The conditions (of those given) that rule this stretch out."""
    return [c for c in conditions if verdict(stretch, c).ruled_out]


def safe_alternatives(conditions: Sequence[Condition], library: Mapping[str, Stretch],
                      exclude: Iterable[str] = ()) -> list[str]:
    """Stretches that none of ``conditions`` rules out: hip-flexor stretches first, then the
    conditions' own suggestions, then those needing the fewest cautions."""
    skip = set(exclude)
    preferred = [sid for c in conditions for sid in c.suggest]

    def rank(sid: str) -> tuple[int, int, int, int]:
        stretch = library[sid]
        cautions = sum(len(verdict(stretch, c).cautions) for c in conditions)
        order = preferred.index(sid) if sid in preferred else len(preferred)
        return (not stretch.hip_flexor, order, cautions, list(library).index(sid))

    safe = [sid for sid, stretch in library.items()
            if sid not in skip and not ruled_out(stretch, conditions)]
    return sorted(safe, key=rank)


def hip_flexor_options(conditions: Sequence[Condition], library: Mapping[str, Stretch]
                       ) -> list[str]:
    """Hip-flexor stretches that the conditions allow (best first)."""
    return [sid for sid in safe_alternatives(conditions, library) if library[sid].hip_flexor]


@dataclass(frozen=True)
class TableRow:
    """One condition's line in the published table."""

    condition: Condition
    rules_out: tuple[str, ...]
    cautions: tuple[tuple[str, str], ...]   # (stretch id, wording)


def safety_table(catalogue: dict[str, Condition], library: Mapping[str, Stretch]
                 ) -> list[TableRow]:
    """Every condition × every stretch, as derived from the data."""
    rows = []
    for condition in catalogue.values():
        out, cautions = [], []
        for sid, stretch in library.items():
            found = verdict(stretch, condition)
            if found.ruled_out:
                out.append(sid)
            elif found.cautions:
                cautions.append((sid, " ".join(found.cautions)))
        rows.append(TableRow(condition, tuple(out), tuple(cautions)))
    return rows


def table_markdown(catalogue: dict[str, Condition], library: Mapping[str, Stretch]) -> str:
    """The derived table as Markdown (the README publishes exactly this)."""
    lines = ["| condition | rules out (the build stops) | caution printed on the card |",
             "|---|---|---|"]
    for row in safety_table(catalogue, library):
        out = ", ".join(row.rules_out) or "—"
        by_words: dict[str, list[str]] = {}
        for sid, words in row.cautions:
            by_words.setdefault(words, []).append(sid)
        cautions = "; ".join(f"{', '.join(sids)}: {words}" for words, sids in by_words.items())
        lines.append(f"| `{row.condition.id}` | {out} | {cautions or '—'} |")
    return "\n".join(lines) + "\n"
