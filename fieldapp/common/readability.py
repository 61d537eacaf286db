"""How readable a Dutch or English text is, and whether it is harder than plain language (B1).

Formulas
--------
Both formulas weigh average sentence length (words per sentence, WPS) and average word length
(syllables per word, SPW); a higher score means an easier text.

* English, Flesch reading ease (Flesch 1948, "A new readability yardstick", Journal of Applied
  Psychology 32(3)): ``206.835 - 1.015 * WPS - 84.6 * SPW``.
* Dutch, Flesch-Douma (W.H. Douma 1960, Landbouwhogeschool Wageningen, Flesch adapted to Dutch):
  ``206.835 - 0.93 * WPS - 77 * SPW``.

Other languages (Arabic, Turkish, Polish, Ukrainian, ...) have no formula here: `score` returns
None for them rather than a number from a formula made for another language.

The score is rounded to one decimal and is not clamped: very easy texts can score above 100 and
very hard ones below 0, as the formulas allow. The level and the B1 warning are decided on the
rounded score, so what is shown and what is warned about always agree.

Levels and the B1 threshold
---------------------------
Levels follow Flesch's table: >= 90 very_easy, >= 80 easy, >= 70 fairly_easy, >= 60 standard,
>= 50 fairly_difficult, >= 30 difficult, else very_difficult. Douma's scores are on the same scale
(his own table has the same bands from 60 up; below 60 he draws the lines at 45 and 30, we keep
Flesch's 50 and 30 for both languages).

A score below 60 counts as harder than B1, in both languages. Sources for this choice: Flesch's
table (1948) calls 60-70 "standard", and 60 is the usual "plain English" target for Flesch reading
ease; Douma's table (1960) calls 60-70 "normaal"; and in Dutch plain-language practice a
Flesch-Douma score of 60 or more is the common rule of thumb for "taalniveau B1". It is a rule of
thumb, not a definition: CEFR levels describe readers, not texts, and no formula maps exactly onto
them. The warning is a prompt to reread the text, not a verdict.

Words
-----
A word is a run of letters and digits (any script; accented Dutch letters such as é, ë, ï count
as letters), possibly joined by an apostrophe or hyphen inside the word ("zo'n", "auto's",
"e-mail", "COVID-19"), or by ``.`` ``,`` ``:`` between digits ("3.5", "1.000,50", "19.30").
Following Flesch's counting instructions ("How to Write Plain English", 1979), such a
combination is one word.

Numbers: a number (digits, possibly with ``.`` ``,`` ``:`` between them) is one word of one
syllable, so "7", "3.5", "2024" and "1.000,50" are each one syllable ("COVID-19" = 2 + 1). This is
Flesch's own rule ("count figures ... as one-syllable words"); counting syllables as spoken
("tweeduizend vierentwintig") would need a number speller per language for little gain, and
numbers are rare in running text.

Sentences
---------
A sentence ends at ``.``, ``!``, ``?`` or an ellipsis followed by white space (or the end of the
text), and at line breaks:

* An empty line (a paragraph break) always ends a sentence.
* Each line ends a sentence, so a heading or a bullet without a full stop is a sentence of its
  own, except when the next line starts with a lower-case letter: that is read as the same
  sentence wrapped onto the next line (pasted e-mail text, or "u" continuing a sentence).
* List markers at the start of a line ("-", "*", "•", "1.", "2)", "a)") are not words and start
  a new sentence.

A full stop does *not* end a sentence when

* it is inside a number ("3.5", "19.30"; there is no white space after it);
* the next word starts with a lower-case letter (sentences start with a capital, so the full stop
  belongs to an abbreviation, known or not: "ong. tien", "bijv. de buurt");
* it follows a known abbreviation of the language (`_NEVER_ENDS`: titles such as "dhr." and
  "Mr.", and words such as "bijv." and "nr." that are always followed by more of the sentence);
* it follows a dotted abbreviation of single letters ("d.w.z.", "o.a.", "e.g.", "i.e.") or a single
  letter (an initial: "J. de Vries").

Abbreviations in `_MAY_END` ("enz.", "etc.", months, "a.m.") end a sentence only when a
capitalised word follows. Semicolons and colons do not end a sentence: Flesch counted them, most
tools do not, and not counting them gives longer sentences and so warns sooner. At least one
sentence is counted when the text has words.

Syllables
---------
Syllables are counted by rules on the spelling, not with a dictionary or hyphenation patterns, so
they are approximate: expect about one word in ten to be off by one. That is fine for a score over
a whole text, where the errors partly cancel out; do not use `count_syllables` for hyphenation.

Common to both languages: the word is lower-cased, apostrophes are dropped ("auto's" -> "autos"),
each hyphenated part and each run of letters is counted separately with at least one syllable
("e-mail" = e + mail = 2), each number in a word is one syllable, and a vowel with a diaeresis
(ë ï ö ü ä) always starts a new syllable ("ruïne" = ru-ï-ne, "geïnteresseerd" = ge-ïn-te-res-seerd,
"naïve" = na-ïve). Other accents are ignored ("één" = een = 1).

Dutch: a syllable is a vowel nucleus. Vowels are a e i o u, "ij" (also written as the single letter
"ĳ"), and y (see below). A run of vowels is split into nuclei from left to right, taking the
longest match first:

* three letters: aai ooi oei eeu ieu, and eau (bureau, cadeau);
* two letters: aa ee oo uu ie oe eu ui ei ij ou au, and ai ay ey oy uy from loanwords (trainen,
  okay, hockey);
* any other vowel on its own, so runs that are not a digraph are two syllables: "situatie" =
  si-tu-a-tie, "materiaal" = ma-te-ri-aal, "bijeenkomst" = bij-een-komst.

"j" is a vowel letter only in "ij" ("kopje" = kop-je). "w" is always a consonant: "uw", "ruw",
"meeuw" and "nieuw" have one nucleus (u, u, eeu, ieu), "duwen" is du-wen, so "uw" needs no rule of
its own. "y" is a consonant at the start of a word before a vowel ("yoga") and between two vowels
("royaal" = ro-yaal), and a vowel elsewhere ("baby" = ba-by). Known errors: Latin "eu" and "ieu"
with two syllables ("museum", "religieus") count one short; English loanwords with a silent "e"
("cake", "service") count one too many.

English: a standard heuristic. Vowel groups of a e i o u y are counted, where "y" is a consonant
at the start of a word before a vowel ("yes") and between vowels ("player"), and "u" after "q" is a
consonant ("quite"). Then:

* a final "e" is silent ("cake" = 1, "whole" = 1), except a syllabic "le"/"re" after a consonant
  ("table" = 2, "people" = 2, "centre" = 2) and an accented "é" ("café" = 2);
* a final "-es" is silent after a consonant ("makes" = 1), except after s x z c g ch sh, where it is
  a syllable ("places" = 2, "boxes" = 2), and in a syllabic "-les"/"-res" ("tables" = 2);
* a final "-ed" is silent ("jumped" = 1, "called" = 1), except after t or d ("wanted" = 2,
  "needed" = 2) and in a syllabic "-led"/"-red" ("troubled" = 2, "hundred" = 2);
* a silent "e" before the suffixes -ly -ment -ful -ness -less after vowel + consonant is dropped
  ("lovely" = 2, "statement" = 2, "careful" = 2);
* a vowel before a final "-ing"/"-ings" is a syllable of its own ("being" = 2, "going" = 2);
* "ia" and "io" are two syllables ("media", "radio", "previous") except after c g s t x, ch and sh,
  where they are one ("special", "participation", "religion", "fashion"); "iu" is always two
  ("medium"), "ua" is two except after g ("usual" = 3, "language" = 2);
* at least one syllable per word.

Known errors: "ea", "eo" and "ie" with two syllables ("create", "video", "quiet") count one short;
compounds with an inner silent "e" ("sometimes") count one too many; words with two accepted
pronunciations get the longer one ("every" = ev-er-y = 3, often said ev-ry = 2).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

B1_THRESHOLD = 60.0
"""Scores below this are harder than plain language (CEFR B1); see the module documentation."""

# language: (formula name, weight of words per sentence, weight of syllables per word)
_FORMULAS: dict[str, tuple[str, float, float]] = {
    "en": ("flesch_reading_ease", 1.015, 84.6),
    "nl": ("flesch_douma", 0.93, 77.0),
}

_LEVELS: tuple[tuple[float, str], ...] = (
    (90.0, "very_easy"),
    (80.0, "easy"),
    (70.0, "fairly_easy"),
    (60.0, "standard"),
    (50.0, "fairly_difficult"),
    (30.0, "difficult"),
)


@dataclass(frozen=True)
class Readability:
    language: str
    formula: str
    score: float
    words: int
    sentences: int
    syllables: int
    level: str
    harder_than_b1: bool


def score(text: str, language: str) -> Readability | None:
    """The readability of a text, or None without a formula for the language or without words."""
    code = _language_code(language)
    if code not in _FORMULAS:
        return None
    sentences = [tokens for tokens in map(_TOKEN.findall, _sentences(text, code)) if tokens]
    words = [token for tokens in sentences for token in tokens]
    if not words:
        return None
    syllables = sum(count_syllables(word, code) for word in words)
    formula, per_sentence, per_word = _FORMULAS[code]
    raw = 206.835 - per_sentence * len(words) / len(sentences) - per_word * syllables / len(words)
    value = round(raw, 1)
    return Readability(
        language=code,
        formula=formula,
        score=value,
        words=len(words),
        sentences=len(sentences),
        syllables=syllables,
        level=level(value),
        harder_than_b1=value < B1_THRESHOLD,
    )


def level(value: float) -> str:
    """The level code of a score, from "very_easy" to "very_difficult"."""
    for lower_bound, name in _LEVELS:
        if value >= lower_bound:
            return name
    return "very_difficult"


def count_syllables(word: str, language: str) -> int:
    """Syllables in one word by the rules in the module documentation (0 without letters or digits).

    Raises ValueError for a language without syllable rules (other than "nl" and "en").
    """
    code = _language_code(language)
    if code not in _FORMULAS:
        raise ValueError(f"no syllable rules for language {language!r}")
    count_letters = _dutch_syllables if code == "nl" else _english_syllables
    word = unicodedata.normalize("NFC", word).lower().replace("ĳ", "ij")
    total = 0
    for part in _PART.findall(_APOSTROPHES.sub("", word)):
        total += 1 if part[0].isdigit() else max(1, count_letters(part))
    return total


def _language_code(language: str) -> str:
    """The primary language subtag: "nl", "NL", "nl-BE" and "nl_NL" all mean Dutch."""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


# ---------------------------------------------------------------------------------------------
# Words and sentences

# Letters and digits, joined by an apostrophe or hyphen, or by . , : between digits.
_TOKEN = re.compile(r"[^\W_]+(?:(?:['’\-]|(?<=\d)[.,:](?=\d))[^\W_]+)*")
# Within a word: runs of digits (one syllable each) and runs of letters.
_PART = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+")
_APOSTROPHES = re.compile(r"['’ʼ`]")

_LIST_MARKER = re.compile(r"\s*(?:[-*•‣◦–—·]|\d{1,3}[.)]|[A-Za-z]\))\s+")
# Sentence-ending punctuation, then any closing quotes or brackets, then white space or the end.
_END = re.compile(r"([.!?…]+)[\"'”’»)\]]*(?=\s|$)")
_OPENING = "\"'“‘„«(["
_FOLLOWING = re.compile(r"\s*[\"'“‘„«(\[]*(.?)")  # the first character of the next word
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # d.w.z  o.a  e.g  i.e

# Abbreviations (lower case, without the final full stop) after which a full stop never ends a
# sentence: titles before a name, and words that always have more of the sentence after them.
_NEVER_ENDS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        "dhr mevr mw mej dr drs ir ing mr prof ds st sr jr "
        "bijv bv vgl zgn resp evt incl excl nr tel blz pag ca afd".split()
    ),
    "en": frozenset("mr mrs ms dr prof st rev hon cf vs fig dept tel ca pp".split()),
}
# Abbreviations that often end a sentence: a full stop after them ends one when a capital follows.
_MAY_END: dict[str, frozenset[str]] = {
    "nl": frozenset(
        "enz etc e.d jl a.s ong max min feb mrt apr jun jul aug sep sept okt nov dec".split()
    ),
    "en": frozenset(
        "etc inc ltd co jr sr no approx a.m p.m "
        "jan feb mar apr jun jul aug sep sept oct nov dec".split()
    ),
}


def _sentences(text: str, language: str) -> list[str]:
    """The text cut into sentences (some may hold no words)."""
    return [piece for chunk in _chunks(text) for piece in _split_chunk(chunk, language)]


def _chunks(text: str) -> list[str]:
    """Lines joined into blocks that no sentence crosses (see "Sentences" above)."""
    chunks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            chunks.append(" ".join(current))
            current = []
            continue
        marker = _LIST_MARKER.match(line)
        content = line[marker.end() :].strip() if marker else line.strip()
        if current and not marker and content[:1].islower():
            current.append(content)
        else:
            chunks.append(" ".join(current))
            current = [content]
    chunks.append(" ".join(current))
    return [chunk for chunk in chunks if chunk]


def _split_chunk(chunk: str, language: str) -> list[str]:
    pieces = []
    start = 0
    for end in _END.finditer(chunk):
        if _ends_sentence(chunk, end, language):
            pieces.append(chunk[start : end.end()])
            start = end.end()
    pieces.append(chunk[start:])
    return pieces


def _ends_sentence(chunk: str, end: re.Match[str], language: str) -> bool:
    marks = end.group(1)
    if "!" in marks or "?" in marks:
        return True
    following = _FOLLOWING.match(chunk, end.end()).group(1)
    if not following:
        return True
    if following.islower():
        return False
    if marks != ".":  # an ellipsis before a capital or a digit
        return True
    start = end.start()
    while start > 0 and not chunk[start - 1].isspace():
        start -= 1
    before = chunk[start : end.start()].lstrip(_OPENING).lower()
    if before in _MAY_END[language]:
        return following.isupper()
    if before in _NEVER_ENDS[language] or _DOTTED.fullmatch(before):
        return False
    is_initial = len(before) == 1 and before.isalpha()
    return not is_initial


# ---------------------------------------------------------------------------------------------
# Syllables

_DIAERESIS = "\u0308"


def _letters(part: str) -> tuple[str, list[bool]]:
    """The letters without accents, and for each whether it had a diaeresis (ë ï ö ü ä)."""
    bases = []
    diaeresis = []
    for char in part:
        decomposed = unicodedata.normalize("NFD", char)
        bases.append(decomposed[0])
        diaeresis.append(_DIAERESIS in decomposed[1:])
    return "".join(bases), diaeresis


def _y_is_vowel(letters: str, i: int, vowels: str) -> bool:
    """y is a consonant at the start of a word before a vowel and between two vowels."""
    before = letters[i - 1] in vowels if i > 0 else None
    after = i + 1 < len(letters) and letters[i + 1] in vowels
    return not (after and (before is None or before))


_DUTCH_NUCLEI = (
    frozenset({"aai", "ooi", "oei", "eeu", "ieu", "eau"}),
    frozenset({"aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ou", "au"})
    | frozenset({"ai", "ay", "ey", "oy", "uy"}),
)


def _dutch_syllables(part: str) -> int:
    letters, diaeresis = _letters(part)
    # "ij" becomes the single vowel "ĳ", so "bijeen" is ĳ-ee and "ooi" cannot take its "i".
    merged = []
    starts = []
    i = 0
    while i < len(letters):
        if letters.startswith("ij", i):
            merged.append("ĳ")
            starts.append(diaeresis[i])
            i += 2
        else:
            merged.append(letters[i])
            starts.append(diaeresis[i])
            i += 1
    letters = "".join(merged)
    vowels = "aeiouĳ"
    is_vowel = [
        char in vowels or (char == "y" and _y_is_vowel(letters, i, vowels))
        for i, char in enumerate(letters)
    ]
    count = 0
    for run in _vowel_runs(letters, is_vowel, starts):
        i = 0
        while i < len(run):
            step = 1
            for size, nuclei in zip((3, 2), _DUTCH_NUCLEI, strict=True):
                if run[i : i + size] in nuclei:
                    step = size
                    break
            count += 1
            i += step
    return count


def _vowel_runs(letters: str, is_vowel: list[bool], starts: list[bool]) -> list[str]:
    """Runs of vowels; a vowel with a diaeresis starts a new run."""
    runs: list[str] = []
    previous = False
    for char, vowel, new in zip(letters, is_vowel, starts, strict=True):
        if vowel and previous and not new:
            runs[-1] += char
        elif vowel:
            runs.append(char)
        previous = vowel
    return runs


_ENGLISH_SUFFIXES = ("ments", "ment", "fully", "ful", "ness", "less", "ly")


def _english_syllables(part: str) -> int:
    final_accent = unicodedata.normalize("NFD", part[-1])[1:] != ""
    letters, diaeresis = _letters(part)
    n = len(letters)
    is_vowel = [
        char in "aeio" or (char == "u" and (i == 0 or letters[i - 1] != "q"))
        for i, char in enumerate(letters)
    ]
    plain = "".join("a" if vowel else "b" for vowel in is_vowel)
    for i, char in enumerate(letters):
        if char == "y":
            is_vowel[i] = _y_is_vowel(plain, i, "a")
    count = len(_vowel_runs(letters, is_vowel, diaeresis))

    def consonant(i: int) -> bool:
        return 0 <= i < n and not is_vowel[i]

    def syllabic(i: int) -> bool:
        """An l or r after another consonant, as in "table", "centre", "hundred"."""
        return letters[i] in "lr" and consonant(i - 1) and letters[i - 1] not in "lr"

    if count > 1 and letters.endswith("e") and consonant(n - 2) and not final_accent:
        if not syllabic(n - 2):
            count -= 1
    elif count > 1 and letters.endswith("es") and consonant(n - 3) and not syllabic(n - 3):
        sibilant = letters[n - 3] in "sxzcg" or letters[n - 4 : n - 2] in ("ch", "sh")
        if not sibilant:
            count -= 1
    elif count > 1 and letters.endswith("ed") and consonant(n - 3) and not syllabic(n - 3):
        if letters[n - 3] not in "td":
            count -= 1

    for suffix in _ENGLISH_SUFFIXES:
        e = n - len(suffix) - 1
        if letters.endswith("e" + suffix) and count > 1 and consonant(e - 1) and e >= 2:
            if is_vowel[e - 2]:
                count -= 1
            break

    for ending in ("ing", "ings"):
        i = n - len(ending)
        if letters.endswith(ending) and i >= 1 and is_vowel[i - 1] and not diaeresis[i]:
            count += 1

    for i in range(n - 1):
        if not (is_vowel[i] and is_vowel[i + 1]) or diaeresis[i + 1]:
            continue
        pair = letters[i : i + 2]
        before = letters[i - 1] if i > 0 else ""
        if i > 0 and is_vowel[i - 1]:
            continue  # part of a longer group, e.g. "eia", "aio"
        if pair == "iu":
            count += 1
        elif pair in ("ia", "io"):
            after_ch_sh = before == "h" and i >= 2 and letters[i - 2] in "cs"
            if before not in ("c", "g", "s", "t", "x") and not after_ch_sh:
                count += 1
        elif pair == "ua" and before != "g":
            count += 1
    return count
