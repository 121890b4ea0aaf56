"""Conditions and contraindications: every row of the default table, --allow, and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import build_pdf
from handouts.build import load_request, plan_handout
from handouts.cli import main
from handouts.errors import InputError
from handouts.models import Options
from pdf_checks import all_text

RULES = {
    "pregnancy-1": ["ball-release"],
    "pregnancy-2": ["ball-release", "supine-towel-release", "bed-edge-hang", "bridge",
                    "leg-lowering"],
    "pregnancy-3": ["ball-release", "supine-towel-release", "bed-edge-hang", "bridge",
                    "leg-lowering"],
    "hip-replacement-anterior": ["lunge", "kneeling-hip-flexor", "supine-towel-release",
                                 "bed-edge-hang"],
    "hip-replacement-posterior": ["seated-stretch", "side-lying-stretch", "leg-lowering"],
    "aortic-aneurysm": ["ball-release"],
    "hernia": ["ball-release", "leg-lowering"],
    "recent-abdominal-surgery": ["ball-release", "leg-lowering"],
    "knee-pain": [],
    "poor-balance": [],
}
ALL = ["lunge", "kneeling-hip-flexor", "butterfly", "bed-edge-hang", "supine-towel-release",
       "side-lying-stretch", "seated-stretch", "ball-release", "bridge", "cat-cow",
       "leg-lowering"]
CAUTIONS = [  # (condition, stretch, words the card must print)
    *[("pregnancy-1", s, "Do not bounce") for s in ALL if s != "ball-release"],
    ("pregnancy-2", "lunge", "Hold a chair"), ("pregnancy-2", "kneeling-hip-flexor",
                                                "Hold a chair"),
    ("pregnancy-3", "lunge", "Hold a chair"), ("pregnancy-3", "kneeling-hip-flexor",
                                                "Hold a chair"),
    ("hip-replacement-anterior", "bridge", "straight line"),
    ("hip-replacement-posterior", "butterfly", "Do not lean forward"),
    ("hip-replacement-posterior", "cat-cow", "toward your heels"),
    ("aortic-aneurysm", "leg-lowering", "never hold your breath"),
    ("aortic-aneurysm", "bridge", "never hold your breath"),
    ("hernia", "bridge", "Breathe out as you lift"),
    ("recent-abdominal-surgery", "bridge", "surgeon says"),
    ("recent-abdominal-surgery", "cat-cow", "surgeon says"),
    ("knee-pain", "kneeling-hip-flexor", "towel under your knee"),
    ("knee-pain", "lunge", "folded towel under it"),
    ("knee-pain", "cat-cow", "towel under your knee"),
    ("poor-balance", "lunge", "Hold a chair or a wall"),
    ("poor-balance", "kneeling-hip-flexor", "Hold a chair or a wall"),
]


def plan(condition: str, *stretches: str, allow: tuple[str, ...] = (), reason: str = ""):  # type: ignore[no-untyped-def]
    clinic, client, library = load_request(None, None, "Mia Lee", stretches)
    return plan_handout(clinic, client, library, Options(conditions=(condition,), allow=allow,
                                                        reason=reason))


@pytest.mark.parametrize("condition, stretch", [(c, s) for c, ss in RULES.items() for s in ss])
def test_each_ruled_out_pair_stops_the_build(condition: str, stretch: str) -> None:
    """Each "rules out" cell of the table stops the build with client, stretch, condition and
    safe alternatives named."""
    with pytest.raises(InputError) as info:
        plan(condition, stretch)
    message = str(info.value)
    assert "Mia Lee" in message and f"'{stretch}'" in message and condition in message
    assert "Suggested instead:" in message and "--allow" in message
    suggested = message.split("Suggested instead: ")[1].split(".")[0].split(", ")
    for other in suggested:
        assert other not in RULES[condition]


@pytest.mark.parametrize("condition, stretch",
                         [(c, s) for c, ss in RULES.items() for s in ALL if s not in ss])
def test_everything_else_is_allowed(condition: str, stretch: str) -> None:
    """Stretches a condition does not rule out build normally."""
    assert plan(condition, stretch).stretches[0].stretch.id == stretch


@pytest.mark.parametrize("condition, stretch, words", CAUTIONS)
def test_each_caution_is_attached_to_its_card(condition: str, stretch: str, words: str) -> None:
    """Each "caution" cell of the table reaches the card for that client."""
    cautions = plan(condition, stretch).stretches[0].cautions
    assert any(words.lower() in text.lower() for _, text in cautions), cautions


def test_cautions_print_in_the_caution_box_at_body_size() -> None:
    """Condition cautions print on the card, after "Because of your ...", at body size."""
    from pdf_checks import font_sizes

    pdf = build_pdf(name="Mia Lee", stretches=("cat-cow",), conditions=("knee-pain",))
    assert "Because of your knee pain: Fold a towel under your knee" in all_text(pdf)
    sizes = [size for size, text in font_sizes(pdf) if "Fold a towel" in text]
    assert sizes and min(sizes) >= 13 - 0.01


def test_allow_with_reason_proceeds_and_is_recorded() -> None:
    """--allow STRETCH --reason TEXT lets the therapist proceed; the decision is kept."""
    result = plan("pregnancy-2", "bridge", allow=("bridge",), reason="Surgeon cleared it")
    assert result.allowed == (("bridge", "pregnancy-2", "Surgeon cleared it"),)


def test_every_chosen_stretch_ruled_out_says_so() -> None:
    """A client whose conditions rule out every chosen stretch gets a useful message."""
    with pytest.raises(InputError, match="every chosen stretch is ruled out.*Suggested instead"):
        plan("pregnancy-3", "bridge", "leg-lowering", "ball-release")


def test_unknown_condition_lists_the_known_ones() -> None:
    """An unknown condition id is an error naming the field and listing the known ids (never
    repeating the unknown value: it is health information)."""
    with pytest.raises(InputError, match="--condition has an id that is not a known "
                                         "condition; use one of: .*pregnancy-1") as info:
        plan("pregnant", "bridge")
    assert "pregnant" not in str(info.value)


def test_client_file_and_roster_conditions(tmp_path: Path) -> None:
    """conditions = [...] in a client file and a roster column are screened too."""
    path = tmp_path / "c.toml"
    path.write_text('name = "Mia Lee"\nconditions = ["hernia"]\nstretches = ["leg-lowering"]\n')
    clinic, client, library = load_request(None, path)
    with pytest.raises(InputError, match="not safe with hernia"):
        plan_handout(clinic, client, library)
    (tmp_path / "r.csv").write_text("name,stretches,conditions\nAna,bridge,knee-pain\n"
                                    "Bo,ball-release,aortic-aneurysm;knee-pain\n")
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "r.csv"), "--out-dir",
                                       str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1 and "line 3" in result.stderr and "aortic-aneurysm" in \
        result.stderr
    assert "1 of 2 handouts ready" in result.stdout


def test_allow_needs_a_reason(tmp_path: Path) -> None:
    """--allow without --reason is a usage error."""
    result = CliRunner().invoke(main, ["build", "--client", "Mia", "--stretch", "bridge",
                                       "--condition", "pregnancy-2", "--allow", "bridge",
                                       "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "--allow needs --reason" in result.output


def test_conditions_command_lists_ids() -> None:
    """`build-handouts conditions` lists each id with a plain description."""
    result = CliRunner().invoke(main, ["conditions"])
    assert result.exit_code == 0
    for cid in RULES:
        assert cid in result.stdout
    assert "rules out: ball-release, bed-edge-hang" in result.stdout


def test_safety_override_must_keep_both_lists(clinic_dir: Path) -> None:
    """A clinic may reword the safety section; an override that drops a list is an error."""
    sections = clinic_dir / "templates" / "sections"
    (sections / "safety.md.j2").write_text(
        "## Be careful\n\n### Stop if you feel\n\n- sharp pain\n\n### Call for help if\n\n"
        "- new weakness in a leg\n")
    assert "Be careful" in all_text(build_pdf(clinic_dir, name="A", stretches=("bridge",)))
    (sections / "safety.md.j2").write_text("## Be careful\n\nStretch gently.\n")
    with pytest.raises(InputError, match="safety section must keep its two lists"):
        build_pdf(clinic_dir, name="A", stretches=("bridge",))
