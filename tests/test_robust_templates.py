"""Templates that never end: loops, huge values, output and time are bounded, one line each."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import build_pdf, write
from handouts import sandbox
from handouts.errors import InputError
from handouts.language import template_search
from handouts.templating import email_environment, render_template
from pdf_checks import all_text

SECTION = "how-massage-helps"


def fails_fast(clinic_dir: Path, body: str, seconds: float = 1.5) -> str:
    """Build with ``body`` as a section override; it must fail within ``seconds`` of this
    process's CPU time with one line naming the template file. Returns the message.

    CPU time, not wall-clock time: what a limit must stop is the work, and other programs
    sharing the machine stretch the wall clock (1.6 s for this build at a load of 7) but not
    the work this process does. The templates below would each take many seconds of CPU
    without their limit.
    """
    path = write(clinic_dir / "templates" / "sections" / f"{SECTION}.md.j2", body)
    start = time.process_time()
    with pytest.raises(InputError) as caught:
        build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge",))
    used = time.process_time() - start
    assert used < seconds, f"{used:.2f} s of CPU time"
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


def test_nested_range_loops_from_the_issue_fail_fast(clinic_dir: Path) -> None:
    """Nested range(100000) loops (10 billion turns) stop at once: range() is capped."""
    message = fails_fast(clinic_dir, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                     "x{% endfor %}{% endfor %}\n")
    assert "range() makes 100,000 items" in message and ": line 1:" in message


@pytest.mark.parametrize("body", (
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% for i in range(10000) %}{% for j in range(10000) %}.{% endfor %}{% endfor %}",
    "{% set s = 'ab' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
))
def test_loops_that_write_nothing_still_stop(clinic_dir: Path, body: str) -> None:
    """Loops are counted even when they write nothing (the output count alone would hang)."""
    assert "loops run more than 100,000 times" in fails_fast(clinic_dir, "## Hi\n\n" + body)


def test_string_times_a_billion_fails_fast_without_the_memory(clinic_dir: Path) -> None:
    """`'x' * 10**9` is refused before the gigabyte is made (peak memory stays small)."""
    tracemalloc.start()
    try:
        message = fails_fast(clinic_dir, "## Hi\n\n{{ 'x' * 10**9 }}\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "over 1,000,000 characters" in message and ": line 3:" in message
    assert peak < 50_000_000


@pytest.mark.parametrize("expression", (
    "'x'|center(10**9)", "'%0999999999d' % 1", "'%*d' % (999999999, 1)",
    "'{:>999999999}'.format(1)", "'x'.ljust(10**9)", "(('y' * 900000) ~ ('y' * 900000))",
    "('z' * 999999).replace('z', 'zz')", "('q' * 999999)|replace('q', 'qq')",
    "('-' * 999999).join(range(5000))", "(10**900) ** 10**6", "[1] * 10**9",
    "range(10**12)", "'{:>{w}}'.format(1, w=10**9)", "range(3)|batch(10**9, 'x')|list",
))
def test_other_ways_to_build_a_huge_value_are_refused(clinic_dir: Path,
                                                      expression: str) -> None:
    """Filters, methods, formatting and operators that would build a huge value are refused."""
    message = fails_fast(clinic_dir, "## Hi\n\n{{ " + expression + " }}\n")
    assert "over 1,000,000 characters" in message or "range() makes" in message


def test_doubling_a_namespace_value_in_a_loop_is_refused(clinic_dir: Path) -> None:
    """Doubling text 40 times (a terabyte) stops once it passes the value limit."""
    fails_fast(clinic_dir, "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
                           "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}")


def test_doubling_a_list_in_place_is_refused(clinic_dir: Path) -> None:
    """`l.extend(l)` in a loop (a list doubling each turn) stops past the value limit."""
    fails_fast(clinic_dir, "{% set l = [1] %}{% for i in range(40) %}{% set _ = l.extend(l) %}"
                           "{% endfor %}{{ l|length }}")


def test_output_over_200_kb_is_refused(clinic_dir: Path) -> None:
    """A template writing more than 200 KB stops with a line naming it."""
    message = fails_fast(clinic_dir, "{% for i in range(5000) %}{{ 'y' * 100 }}\n{% endfor %}")
    assert "more than 200 KB" in message


def test_slow_template_hits_the_time_limit(clinic_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Work under every size limit still stops at the time limit (here set to 0.2 s)."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.2)
    message = fails_fast(clinic_dir, "{% for i in range(10000) %}{{ range(10000)|sort|"
                                     "reverse|list|length }}{% endfor %}", seconds=1.0)
    assert "took over 0.2 seconds" in message


def test_other_runtime_errors_are_one_line_without_values(clinic_dir: Path) -> None:
    """`1/0` or int('…') in a template: one line with the type, never the value's text."""
    message = fails_fast(clinic_dir, "## Hi\n\n{{ (clinic.name ~ 'x')|int(base=2) }} {{ 1/0 }}")
    assert message.endswith("template error (ZeroDivisionError).")
    assert "Riverside" not in message


def test_recursive_macro_is_one_line(clinic_dir: Path) -> None:
    """A macro that calls itself for ever is one line naming the template."""
    assert "calls itself" in fails_fast(
        clinic_dir, "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}")


def test_normal_template_features_still_work(clinic_dir: Path) -> None:
    """Loops with loop.length and else, ~, %, format, join and replace print as before."""
    write(clinic_dir / "templates" / "sections" / f"{SECTION}.md.j2",
          "## How massage helps\n\n"
          "{% for s in stretches %}{{ loop.index }}/{{ loop.length }} {{ s.title ~ '!' }} "
          "{% else %}none{% endfor %}\n\n"
          "{{ '%s and %d' % ('Pct', 5) }} {{ '{:>4}|'.format(7) }} "
          "{{ ['a', 'b']|join('+') }} {{ 'aXb'|replace('X', '-') }} "
          "{{ 'ab' * 3 }} {{ range(3)|list|length }} {{ 'c'.center(5) ~ '|' }}\n\n"
          "{{ '%s' % 5550100123 }} {{ '{}'.format(5550100123) }} {{ '%*d' % (4, 7) }} "
          "{{ no_such_value|default(5550100123) }} {{ 10**12 }}\n")
    text = all_text(build_pdf(clinic_dir, name="Jane Doe", stretches=("bridge", "lunge")))
    assert "1/2 Bridge! 2/2 Standing lunge stretch!" in text
    folded = " ".join(text.split())
    assert "Pct and 5 7| a+b a-b ababab 3 c |" in folded
    assert "5550100123 5550100123 7 5550100123 1000000000000" in folded


def test_email_templates_are_bounded_too(clinic_dir: Path) -> None:
    """The email body is rendered with the same limits."""
    path = write(clinic_dir / "templates" / "email" / "body.txt.j2",
                 "{% for i in range(100000) %}x{% endfor %}")
    search = template_search("en", clinic_dir)
    with pytest.raises(InputError) as caught:
        render_template(search, "email/body.txt.j2", {}, email_environment(search, False))
    assert str(caught.value).startswith(str(path))
