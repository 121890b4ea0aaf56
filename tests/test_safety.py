"""Conditions and contraindications: derived from tags, every condition × every stretch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import build_pdf, write
from handouts.build import load_request, plan_handout
from handouts.cli import main
from handouts.content import load_conditions, load_library
from handouts.errors import InputError
from handouts.models import Options
from handouts.safety import safety_table, table_markdown, verdict
from pdf_checks import all_text

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library(None)
CATALOGUE = load_conditions(None)
PAIRS = [(c, s) for c in CATALOGUE for s in LIBRARY]
NEW_HIP_FLEXOR = ("standing-hip-flexor", "side-lying-hip-flexor", "chair-hip-flexor")
FLOOR_CARDS = [s for s, st in LIBRARY.items() if "floor" in st.tags]
# Floor cards that can be done on a firm bed instead (their cautions offer the bed), and those
# that cannot (their cautions say how to get down to the floor safely).
BED_CARDS = [s for s in FLOOR_CARDS if "mat-or-bed" in LIBRARY[s].tags]
FLOOR_ONLY = [s for s in FLOOR_CARDS if s not in BED_CARDS]
NEW_HIPS = ("hip-replacement-anterior", "hip-replacement-posterior", "hip-replacement-lateral")
STANDING_CARDS = [s for s, st in LIBRARY.items() if "standing-balance" in st.tags]

# The issue's rows: each condition rules out at least these, and cautions at least these.
MUST_RULE_OUT = {
    "hip-replacement-posterior": ["bed-edge-hang", "butterfly", "seated-stretch",
                                  "side-lying-stretch", "leg-lowering", "kneeling-hip-flexor",
                                  "cat-cow"],
    "hip-replacement-anterior": ["lunge", "kneeling-hip-flexor", "supine-towel-release",
                                 "bed-edge-hang", "butterfly"],
    "hip-replacement-lateral": ["bed-edge-hang", "butterfly", "seated-stretch",
                                "side-lying-stretch", "leg-lowering", "side-lying-hip-flexor",
                                "kneeling-hip-flexor", "cat-cow"],
    "aortic-aneurysm": ["ball-release", "leg-lowering"],
    "hernia": ["ball-release", "leg-lowering"],
    "recent-abdominal-surgery": ["ball-release", "leg-lowering"],
    "pregnancy-2": ["ball-release", "supine-towel-release", "bed-edge-hang", "bridge",
                    "leg-lowering"],
    "pregnancy-3": ["ball-release", "supine-towel-release", "bed-edge-hang", "bridge",
                    "leg-lowering"],
    "blood-thinners": ["ball-release"],
    "osteoporosis": ["side-lying-stretch"],
}
def allowed(condition: str, stretches: list[str]) -> list[str]:
    """Those of ``stretches`` that ``condition`` does not rule out."""
    return [s for s in stretches if not verdict(LIBRARY[s], CATALOGUE[condition]).ruled_out]


MUST_CAUTION = [  # (condition, stretch, words the card must print)
    *[(c, s, words) for c in ("hip-replacement-posterior", "hip-replacement-lateral")
      for s in allowed(c, FLOOR_ONLY)
      for words in ("without bending your hip past a right angle",
                    "If not, do a chair or standing stretch")],
    *[(c, s, "on a firm bed, not the floor") for c in NEW_HIPS for s in allowed(c, BED_CARDS)],
    ("hip-replacement-anterior", "bridge", "straight line"),
    ("hip-replacement-anterior", "cat-cow", "step your new hip's foot forward"),
    ("hip-replacement-anterior", "cat-cow", "Never let that leg stretch back"),
    ("hip-replacement-anterior", "cat-cow", "Or do it sitting on a chair"),
    *[(c, "bridge", "Breathe out as you lift")
      for c in ("aortic-aneurysm", "hernia", "recent-abdominal-surgery")],
    *[(c, s, "Hold a chair") for c in ("pregnancy-2", "pregnancy-3") for s in STANDING_CARDS],
    *[(c, s, "Get down and up slowly") for c in ("pregnancy-2", "pregnancy-3")
      for s in allowed(c, FLOOR_ONLY)],
    *[(c, s, words) for c in ("pregnancy-2", "pregnancy-3", "poor-balance", "osteoporosis")
      for s in allowed(c, BED_CARDS)
      for words in ("on a firm bed, not the floor", "roll to your side")],
    *[(c, "cat-cow", "belly dip small") for c in ("pregnancy-2", "pregnancy-3")],
    *[(c, s, "front, starts to hurt") for c in ("pregnancy-2", "pregnancy-3")
      for s in ("butterfly", "lunge")],
    *[("poor-balance", s, "Hold a chair") for s in STANDING_CARDS],
    *[(c, s, "Get down and up slowly") for c in ("poor-balance", "osteoporosis")
      for s in allowed(c, FLOOR_ONLY)],
    ("poor-balance", "bed-edge-hang", "Lie well onto the bed"),
    *[("knee-pain", s, words) for s in ("kneeling-hip-flexor", "cat-cow")
      for words in ("folded towel", "a standing or chair hip flexor stretch")],
    ("knee-pain", "lunge", "front knee less"),
    ("spinal-stenosis", "cat-cow", "arch of your low back small"),
    ("spinal-stenosis", "lunge", "tailbone tucked"),
    ("spinal-stenosis", "ball-release", "not up on your forearms"),
    ("osteoporosis", "cat-cow", "Round your back only a little"),
]


def plan(condition: str, *stretches: str, allow: tuple[str, ...] = (), reason: str = ""):  # type: ignore[no-untyped-def]
    clinic, client, library = load_request(None, None, "Mia Lee", stretches)
    return plan_handout(clinic, client, library, Options(conditions=(condition,), allow=allow,
                                                        reason=reason))


@pytest.mark.parametrize("condition, stretch", PAIRS)
def test_every_pair_builds_or_stops_as_derived(condition: str, stretch: str) -> None:
    """Every condition × every stretch: a derived "rules out" stops the build (naming client,
    stretch and safe alternatives, never the condition: health information); otherwise it
    builds with the derived cautions."""
    found = verdict(LIBRARY[stretch], CATALOGUE[condition])
    if found.ruled_out:
        with pytest.raises(InputError) as info:
            plan(condition, stretch)
        message = str(info.value)
        assert "Mia Lee" in message and f"'{stretch}'" in message
        assert condition not in message and CATALOGUE[condition].label not in message
        assert "Suggested instead:" in message and "--allow" in message
        suggested = message.split("Suggested instead: ")[1].split(". To give")[0].split(", ")
        for other in suggested:
            if other != "none in the library":
                assert not verdict(LIBRARY[other], CATALOGUE[condition]).ruled_out
    else:
        card = plan(condition, stretch).stretches[0]
        assert card.stretch.id == stretch
        assert [text for _, text in card.cautions] == list(found.cautions)


def test_the_derivation_follows_the_tags() -> None:
    """A rule comes from a tag the stretch has and the condition rules out, nothing else."""
    for condition, stretch in PAIRS:
        found = verdict(LIBRARY[stretch], CATALOGUE[condition])
        shared = set(LIBRARY[stretch].tags) & set(CATALOGUE[condition].rules_out)
        assert found.ruled_out == bool(shared)


@pytest.mark.parametrize("condition, stretch",
                         [(c, s) for c, ss in MUST_RULE_OUT.items() for s in ss])
def test_issue_rows_rule_out(condition: str, stretch: str) -> None:
    """The rows the clinical review asked for come out of the derivation."""
    assert verdict(LIBRARY[stretch], CATALOGUE[condition]).ruled_out


@pytest.mark.parametrize("condition, stretch, words", MUST_CAUTION)
def test_issue_rows_caution(condition: str, stretch: str, words: str) -> None:
    """Each caution the clinical review asked for reaches the card for that client."""
    cautions = plan(condition, stretch).stretches[0].cautions
    assert any(words.lower() in text.lower() for _, text in cautions), cautions


@pytest.mark.parametrize("condition", ["hip-replacement-posterior", "hip-replacement-lateral"])
def test_a_new_hip_rules_out_kneeling_on_the_floor_and_keeps_its_caution_if_given(
        condition: str) -> None:
    """A new hip from the back or the side rules out the stretches done kneeling on the floor
    (getting down bends the hip past a right angle for most people); given anyway (the
    surgeon showed a safe way down), cat-cow still says not to sit back toward the heels."""
    for stretch in ("kneeling-hip-flexor", "cat-cow"):
        with pytest.raises(InputError, match=f"'{stretch}' is not safe"):
            plan(condition, stretch)
    given = plan(condition, "cat-cow", allow=("cat-cow",), reason="surgeon showed her how")
    assert any("toward your heels" in text for _, text in given.stretches[0].cautions)


def test_a_clinic_retagging_a_stretch_changes_its_rules(clinic_dir: Path) -> None:
    """Rules follow the tags: a clinic stretch tagged lying-on-back is ruled out in pregnancy."""
    source = (ROOT / "templates" / "stretches" / "chair-hip-flexor.toml").read_text()
    write(clinic_dir / "templates" / "stretches" / "chair-hip-flexor.toml",
          source.replace('tags = ["hip-extension"]', 'tags = ["hip-extension", "lying-on-back"]'))
    clinic_file = clinic_dir / "clinic.toml"
    clinic, client, library = load_request(clinic_file, None, "Mia Lee", ("chair-hip-flexor",))
    with pytest.raises(InputError, match="'chair-hip-flexor' is not safe with one of this"):
        plan_handout(clinic, client, library, Options(conditions=("pregnancy-2",)))


def test_a_typed_rule_is_refused(clinic_dir: Path) -> None:
    """A stretch file cannot type a ruled-out pair by hand: 'rules_out' is an error."""
    source = (ROOT / "templates" / "stretches" / "bridge.toml").read_text()
    write(clinic_dir / "templates" / "stretches" / "bridge.toml",
          source + '\n[conditions]\nrules_out = ["hernia"]\n')
    with pytest.raises(InputError, match="'rules_out' is no longer read"):
        load_library(clinic_dir)


@pytest.mark.parametrize("condition", [c for c in CATALOGUE if c != "hip-replacement-anterior"])
def test_every_condition_keeps_a_new_hip_flexor_stretch(condition: str) -> None:
    """For every condition but a front-approach hip, one of the new stretches builds."""
    built = []
    for stretch in NEW_HIP_FLEXOR:
        try:
            built.append(plan(condition, stretch).stretches[0].stretch.id)
        except InputError:
            pass
    assert built


def test_no_hip_flexor_stretch_is_a_warning_naming_ones_that_fit() -> None:
    """A handout without a hip-flexor stretch warns, naming hip-flexor stretches that fit."""
    result = plan("hip-replacement-posterior", "bridge")
    assert len(result.warnings) == 1
    named = re.findall(r"[a-z-]+-hip-flexor|lunge", result.warnings[0].split("these would:")[1])
    assert named and all(LIBRARY[s].hip_flexor for s in named)
    assert not any(verdict(LIBRARY[s], CATALOGUE["hip-replacement-posterior"]).ruled_out
                   for s in named)
    assert plan("hip-replacement-posterior", "lunge").warnings == ()


def test_front_approach_hip_says_plainly_that_none_is_safe() -> None:
    """With a front-approach hip replacement the warning says no hip-flexor stretch is safe."""
    result = plan("hip-replacement-anterior", "bridge")
    assert "no hip-flexor stretch is safe" in result.warnings[0]


def test_suggestions_list_hip_flexor_stretches_first() -> None:
    """The alternatives offered for a ruled-out stretch start with hip-flexor stretches."""
    with pytest.raises(InputError) as info:
        plan("pregnancy-2", "bridge")
    first = str(info.value).split("Suggested instead: ")[1].split(", ")[0]
    assert LIBRARY[first].hip_flexor


def test_readme_table_is_the_derived_one() -> None:
    """The README's condition table is exactly what the data derives (regenerate it with
    `build-handouts conditions --markdown`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- conditions-table -->") + len("<!-- conditions-table -->\n")
    end = readme.index("<!-- /conditions-table -->")
    assert readme[start:end] == table_markdown(CATALOGUE, LIBRARY)


def test_table_lists_every_condition_and_stretch_once() -> None:
    """Each condition has one row; a stretch is never both ruled out and cautioned."""
    rows = safety_table(CATALOGUE, LIBRARY)
    assert [r.condition.id for r in rows] == list(CATALOGUE)
    for row in rows:
        assert not set(row.rules_out) & {sid for sid, _ in row.cautions}


def test_cautions_print_in_the_caution_box_at_body_size() -> None:
    """Condition cautions print on the card, after "Because of your ...", at body size."""
    from pdf_checks import font_sizes

    pdf = build_pdf(name="Mia Lee", stretches=("cat-cow",), conditions=("knee-pain",))
    assert "Because of your knee pain: Put a thick folded towel" in all_text(pdf)
    sizes = [size for size, text in font_sizes(pdf) if "folded towel" in text]
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


def test_text_follows_the_conditions() -> None:
    """Belly work is never mentioned with a condition that rules it out; pregnancy adds its
    warning signs; a floor card adds the getting-down panel; each card says what it needs."""
    plain = all_text(build_pdf(name="Mia Lee", stretches=("lunge",)))
    assert "through your belly" in plain
    assert "midwife" not in plain and "Getting down to the floor" not in plain
    for condition in ("pregnancy-2", "hernia", "aortic-aneurysm", "recent-abdominal-surgery"):
        text = all_text(build_pdf(name="Mia Lee", stretches=("chair-hip-flexor",),
                                  conditions=(condition,)))
        assert "belly" not in text.split("How massage may help")[1].split("Your stretches")[0]
    pregnant = all_text(build_pdf(name="Mia Lee", stretches=("cat-cow",),
                                  conditions=("pregnancy-2",)))
    assert "call your midwife or doctor" in pregnant and "fluid leaking" in pregnant
    assert "Getting down to the floor and up again" in pregnant
    assert "You need: a mat, a folded towel or cushion." in pregnant


def test_client_file_and_roster_conditions(tmp_path: Path) -> None:
    """conditions = [...] in a client file and a roster column are screened too."""
    path = tmp_path / "c.toml"
    path.write_text('name = "Mia Lee"\nconditions = ["hernia"]\nstretches = ["leg-lowering"]\n')
    clinic, client, library = load_request(None, path)
    with pytest.raises(InputError, match="'leg-lowering' is not safe with one of this"):
        plan_handout(clinic, client, library)
    (tmp_path / "r.csv").write_text("name,stretches,conditions\nAna,bridge,knee-pain\n"
                                    "Bo,ball-release,aortic-aneurysm;knee-pain\n")
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "r.csv"), "--out-dir",
                                       str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1 and "line 3" in result.stderr and "'ball-release'" in \
        result.stderr
    assert "1 of 2 handouts ready" in result.stdout
    # The conditions are health information: the error line and the manifest name the
    # stretch, never the condition (its id or its label).
    manifest = next((tmp_path / "out").glob("*.csv")).read_text(encoding="utf-8")
    for told in (result.stderr, manifest):
        assert "'ball-release'" in told
        assert not any(word in told for word in ("aneurysm", "knee-pain", "knee pain"))


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
    for cid in CATALOGUE:
        assert cid in result.stdout
    assert "rules out: ball-release, bed-edge-hang, bridge" in result.stdout


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


# --- the clinical review's findings (floor, bed, new hips, safety boxes) -------------------

def test_floor_and_bed_tags_follow_the_words() -> None:
    """A stretch that needs a mat is tagged floor; one done "on a mat or a firm bed" is tagged
    mat-or-bed too; every condition that cautions the floor also words the bed (and the other
    way round), so no floor card goes uncautioned."""
    for sid, stretch in LIBRARY.items():
        words = " ".join(stretch.needs).lower()
        if re.search(r"\bmat\b", words):
            assert "floor" in stretch.tags, sid
        if re.search(r"\bmat\b", words) and re.search(r"\bbed\b", words):
            assert "mat-or-bed" in stretch.tags, sid
        if "mat-or-bed" in stretch.tags:
            assert "floor" in stretch.tags, sid
    assert set(BED_CARDS) == {"bridge", "leg-lowering", "supine-towel-release",
                              "side-lying-hip-flexor", "side-lying-stretch"}
    for cid, condition in CATALOGUE.items():
        tags = {tag for tag, _ in condition.cautions}
        assert ("floor" in tags) == ("mat-or-bed" in tags), cid


@pytest.mark.parametrize("condition", [c for c, cond in CATALOGUE.items()
                                       if any(t == "mat-or-bed" for t, _ in cond.cautions)])
def test_a_bed_card_gets_the_bed_wording_in_place_of_the_floor_one(condition: str) -> None:
    """On a card that can be done on a firm bed, a condition's bed wording is printed and its
    floor wording is not (two ways of doing one stretch would confuse); a floor-only card keeps
    the floor wording."""
    words = dict(CATALOGUE[condition].cautions)
    for sid in allowed(condition, FLOOR_CARDS):
        printed = [text for _, text in plan(condition, sid).stretches[0].cautions]
        on_bed = sid in BED_CARDS
        assert (words["mat-or-bed"] in printed) == on_bed, sid
        assert (words["floor"] in printed) != on_bed, sid


@pytest.mark.parametrize("condition", NEW_HIPS)
def test_every_new_hip_cautions_the_floor_and_names_a_safe_way(condition: str) -> None:
    """Each hip replacement cautions getting down to the floor, and the wording names what to
    do instead (a chair or standing stretch, a bed, or which leg goes forward)."""
    words = dict(CATALOGUE[condition].cautions)
    assert CATALOGUE[condition].new_hip
    assert "bed" in words["mat-or-bed"]
    assert re.search(r"chair or standing|new hip's foot forward", words["floor"])


def test_front_approach_hip_gets_floor_and_kneeling_cautions_and_a_safe_way_up() -> None:
    """A front-approach hip with cat-cow and bridge: cat-cow says which knee goes down and
    which foot steps forward, and names the chair version; the floor panel never tells this
    client to put "one foot forward" (that may leave the new hip stretched back)."""
    text = all_text(build_pdf(name="Mia Lee", stretches=("cat-cow", "bridge"),
                              conditions=("hip-replacement-anterior",)))
    for words in ("Kneel on your other knee first", "step your new hip's foot forward",
                  "Never let that leg stretch back", "Or do it sitting on a chair",
                  "Do it on a firm bed, not the floor"):
        assert words in text, words
    assert "Getting down to the floor and up again" in text
    assert "as your card says" in text and "one foot forward" not in text
    plain = all_text(build_pdf(name="Mia Lee", stretches=("cat-cow", "bridge")))
    assert "put one foot forward" in plain and "roll to your side" in plain
    assert "as your card says" not in plain


@pytest.mark.parametrize("layout", ["guide", "sheet"])
def test_the_surgeons_and_midwifes_instructions_come_first(layout: str) -> None:
    """A new hip's safety box says the surgeon's own instructions come first and that the
    limits are for while the surgeon's precautions apply; a pregnancy's says the midwife's or
    doctor's come first; neither is printed for a client without that condition."""
    surgeon = ("Follow your surgeon's own instructions first",
               "while your surgeon's precautions apply")
    midwife = "Follow your midwife's or doctor's own instructions first"
    for condition in NEW_HIPS:
        text = all_text(build_pdf(name="Mia Lee", stretches=("bridge",),
                                  conditions=(condition,), layout=layout))
        assert all(words in text for words in surgeon), condition
        assert midwife not in text
    text = all_text(build_pdf(name="Mia Lee", stretches=("chair-hip-flexor",),
                              conditions=("pregnancy-2",), layout=layout))
    assert midwife in text and surgeon[0] not in text
    text = all_text(build_pdf(name="Mia Lee", stretches=("chair-hip-flexor",), layout=layout))
    assert midwife not in text and surgeon[0] not in text


@pytest.mark.parametrize("leave_out", [False, True])
def test_see_a_doctor_soon_names_worsening_pain_without_repeating(leave_out: bool,
                                                                   tmp_path: Path) -> None:
    """"See a doctor soon" lists pain that gets worse; "not better in 2 to 4 weeks"
    is printed once (in the key points, or under the stretches' heading without them)."""
    client = write(tmp_path / "c.toml", 'name = "Mia Lee"\nstretches = ["lunge"]\n'
                   + ('leave_out = ["key-points"]\n' if leave_out else ""))
    text = all_text(build_pdf(client=client, layout="sheet"))
    assert "pain that wakes you or gets worse" in text
    assert text.count("2 to 4 weeks") == 1


def test_a_pregnant_client_reads_chest_pain_once_under_call_911() -> None:
    """Chest pain sends everyone, pregnant or not, to the emergency number: it is printed once,
    in that list, and not again among the reasons to call the midwife."""
    text = all_text(build_pdf(name="Mia Lee", stretches=("chair-hip-flexor",),
                              conditions=("pregnancy-3",)))
    assert text.count("chest pain") == 1
    assert "chest pain, or sudden trouble breathing" in text


def test_ball_release_asks_about_an_aneurysm_for_every_client() -> None:
    """The ball-release card tells every client (not only one with the condition ticked) to
    ask a doctor first if they have or may have an aneurysm."""
    text = all_text(build_pdf(name="Mia Lee", stretches=("ball-release",)))
    assert "Have, or may have, an aneurysm (a weak artery)? Ask your doctor first." in text


def test_side_approach_hip_is_the_back_approach_plus_no_side_lift() -> None:
    """hip-replacement-lateral rules out what the back approach does plus lifting the leg out
    to the side, cautions at least what it cautions, and prints the new-hip box."""
    lateral, posterior = CATALOGUE["hip-replacement-lateral"], CATALOGUE[
        "hip-replacement-posterior"]
    assert set(lateral.rules_out) == set(posterior.rules_out) | {"leg-out-to-side"}
    assert {t for t, _ in posterior.cautions} <= {t for t, _ in lateral.cautions}
    assert lateral.new_hip and lateral.label == posterior.label
    side_lift = [s for s, st in LIBRARY.items() if "leg-out-to-side" in st.tags]
    assert side_lift == ["side-lying-hip-flexor"]
    assert verdict(LIBRARY["side-lying-hip-flexor"], lateral).ruled_out
    assert not verdict(LIBRARY["side-lying-hip-flexor"], posterior).ruled_out
    text = all_text(build_pdf(name="Mia Lee", stretches=("chair-hip-flexor", "bridge"),
                              conditions=("hip-replacement-lateral",)))
    assert "You have a new hip" in text and "on a firm bed, not the floor" in text
