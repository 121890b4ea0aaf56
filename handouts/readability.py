"""Reading grade offline: Flesch–Kincaid with a rule-based syllable count (no downloads).

Each sentence, list item and step is scored as its own sentence (bullets without full stops
would otherwise inflate the grade). The few anatomy words the handout defines count as simple
words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFINED_TERMS = {"psoas", "vertebrae", "pelvis", "flexor", "trimester", "aneurysm"}
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|;\s+|:\s+(?=[A-Z])")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables in an English word (rules good to about one syllable in ten words)."""
    w = word.lower().strip("'’")
    if w in DEFINED_TERMS or len(w) <= 3:
        return 1
    # Silent endings: "makes", "moved", "tape" (but not "stretches", "lifted", "gentle").
    if w.endswith("es") and not re.search(r"(?:[sxzcg]|ch|sh)es$", w):
        w = w[:-2]
    elif w.endswith("ed") and not re.search(r"[td]ed$", w):
        w = w[:-2]
    elif w.endswith("e") and not w.endswith(("le", "ee")):
        w = w[:-1]
    w = re.sub(r"^y", "", w)
    return max(1, len(_VOWELS.findall(w)))


def sentences(text: str) -> list[str]:
    """Split text into sentences (list items and steps are passed in one by one)."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    return [p for p in parts if _WORD.search(p)]


@dataclass(frozen=True)
class Score:
    """Reading measures of one piece of text."""

    grade: float
    sentences: int
    words: int
    mean_sentence: float
    longest_sentence: int


def score(units: list[str]) -> Score:
    """Flesch–Kincaid grade over text units (each unit split into its sentences)."""
    all_sentences = [s for unit in units for s in sentences(unit)]
    lengths = [len(_WORD.findall(s)) for s in all_sentences]
    words = [w for s in all_sentences for w in _WORD.findall(s)]
    if not words:
        return Score(0.0, 0, 0, 0.0, 0)
    syl = sum(syllables(w) for w in words)
    n_sent = len(all_sentences)
    grade = 0.39 * len(words) / n_sent + 11.8 * syl / len(words) - 15.59
    return Score(round(grade, 1), n_sent, len(words), round(len(words) / n_sent, 1),
                 max(lengths))


# --- Spanish: the INFLESZ scale ----------------------------------------------------------
# Szigriszt-Pazos perspicuity, read on the INFLESZ scale (Barrio-Cantalejo et al., 2008):
# P = 206.835 - 62.3 * syllables / words - words / sentences. 65 or more reads "bastante
# fácil" (quite easy), the level for patient materials.
INFLESZ_EASY = 65.0
INFLESZ_BANDS = ((80.0, "muy fácil"), (65.0, "bastante fácil"), (55.0, "normal"),
                 (40.0, "algo difícil"), (0.0, "muy difícil"))
_ES_WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
_ES_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|;\s+|:\s+(?=[A-ZÁÉÍÓÚÑ¿¡])")
_STRONG = set("aeoáéóíú")  # an accented i or u stands on its own (a hiatus: "día", "país")
_WEAK = set("iuü")


def _es_vowels(word: str) -> list[str]:
    """The word's letters with vowels kept and every consonant as "."; the silent u of
    "que, qui, gue, gui" dropped, a final "y" read as the vowel i ("hoy", "muy")."""
    w = word.lower()
    out: list[str] = []
    for index, char in enumerate(w):
        after = w[index + 1] if index + 1 < len(w) else ""
        before = w[index - 1] if index else ""
        if char == "u" and before in ("q", "g") and after in ("e", "i", "é", "í"):
            continue  # queso, guiso: the u is not said
        if char == "y" and index == len(w) - 1:
            out.append("i")  # hoy, muy, y
        elif char in _STRONG or char in _WEAK:
            out.append(char)
        else:
            out.append(".")
    return out


def spanish_syllables(word: str) -> int:
    """Syllables in a Spanish word: one per vowel nucleus, where a diphthong (an unaccented
    i or u beside another vowel: "cuidado", "aire") is one nucleus and two strong vowels or
    an accented í or ú next to a vowel (a hiatus: "le-er", "dí-a") are two."""
    count = 0
    previous = "."
    for char in _es_vowels(word):
        if char == ".":
            previous = "."
            continue
        if previous == ".":
            count += 1
        elif previous in _STRONG and char in _STRONG:
            count += 1  # hiatus: "poeta", "país", "reúne"
        elif previous == char:
            count += 1  # "chiita", "duunviro": the same weak vowel twice
        previous = char
    return max(1, count)


@dataclass(frozen=True)
class Inflesz:
    """The INFLESZ score of one piece of Spanish text."""

    score: float
    band: str
    sentences: int
    words: int
    syllables: int


def inflesz(units: list[str]) -> Inflesz:
    """Szigriszt-Pazos perspicuity over text units (each unit split into its sentences)."""
    all_sentences = [p.strip() for unit in units for p in _ES_SENTENCE_END.split(unit)
                     if p and _ES_WORD.search(p)]
    words = [w for s in all_sentences for w in _ES_WORD.findall(s)]
    if not words:
        return Inflesz(0.0, "", 0, 0, 0)
    syl = sum(spanish_syllables(w) for w in words)
    value = 206.835 - 62.3 * syl / len(words) - len(words) / len(all_sentences)
    band = next(name for floor, name in INFLESZ_BANDS if value >= floor) if value >= 0 \
        else INFLESZ_BANDS[-1][1]
    return Inflesz(round(value, 1), band, len(all_sentences), len(words), syl)
