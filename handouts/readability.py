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
