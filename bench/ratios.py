"""The closing figures both single-handout benches print: CPU-time ratios and the ratios of
medians against a base peer and typst (``nan`` when typst could not be measured)."""

from __future__ import annotations

import statistics


def closing_ratios(times: dict[str, list[float]], cpu: dict[str, list[float]], subject: str,
                   base: str, why_not: str) -> tuple[float, str]:
    """Print the CPU-time ratios of ``subject`` to every peer; return ``subject`` ÷ ``base``
    and ``subject`` ÷ typst (as text: "nan" when typst was not measured, saying why)."""
    mid = {name: statistics.median(values) for name, values in cpu.items()}
    print("cpu-time ratios: " + ", ".join(f"{subject} ÷ {name} {mid[subject] / mid[name]:.2f}"
                                          for name in mid if name != subject))
    measured = statistics.median(times[subject])
    ratio = measured / statistics.median(times[base])
    if "typst" in times:
        return ratio, f"{measured / statistics.median(times['typst']):.2f}"
    print(f"typst: not measured: {why_not}")
    return ratio, "nan"
