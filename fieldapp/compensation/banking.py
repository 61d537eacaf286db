"""Bank files: IBANs, names in the SEPA character set, pain.001 credit transfers and amounts.

Pure functions on plain data: no database, no request. Every amount is an integer number of
cents; no float is used anywhere, and Decimal only where text is read or shown.
"""

# Decisions, in one place:
#
# - IBAN: spaces (any whitespace) and dashes are removed and letters upper-cased, then schwifty
#   checks the country's length and structure and the ISO 13616 mod-97 check digits. Only IBANs
#   of countries in the SEPA scheme are accepted, as schwifty's registry says (`in_sepa_zone`);
#   an IBAN-shaped number of a country without IBANs (US, ...) is "iban_country" too, other
#   garbage "iban_invalid". National (BBAN) check digits are not verified: mod-97 already
#   catches the typing errors, and schwifty cannot verify them for every country.
# - BIC: optional. A given BIC must be valid (schwifty, SWIFT-compliant, and the pattern of the
#   pain.001.001.03 XSD); when it is None the bank file carries the IBAN only, which SEPA banks
#   accept. `bic_for` looks the BIC up in schwifty's bank registry (Dutch banks are there).
# - Names and texts: the Latin SEPA character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space).
#   Text is NFKC-normalised, Arabic (and the Persian letters) go through a small table of our
#   own, everything else through text-unidecode (Zoë → Zoe, Łukasz → Lukasz, Олена → Olena,
#   王 → Wang); "&" becomes "+", other characters outside the set are dropped, runs of spaces
#   collapse and the result is cut to its maximum length. Arabic script writes no short vowels,
#   so "سميرة الإدريسي" becomes "Smira Al-Idrisi", not "Samira"; a name that leaves no letter or
#   digit is refused ("name_empty"). The account holder's own Latin spelling, as the bank has
#   it, is always better than a transliteration: the form should ask for that.
# - Identifiers (message id, end-to-end ids): 1 to 35 characters of the SEPA set without
#   spaces, not starting or ending with "/" and without "//" (EPC rules); end-to-end ids are
#   unique within a file.
# - Amounts: an `int` of cents (not bool, not float, not Decimal: "amount_not_cents"), more than
#   0 and at most MAX_AMOUNT_CENTS (1,000,000 euro) in a payment. sepaxml takes the same: an int
#   of cents, which it writes as euros with its own string arithmetic (1250 → "12.50").
# - The XML: sepaxml's SepaTransfer, pain.001.001.03, EUR, service level SEPA, charges SLEV,
#   with the caller's message id. It is exported without sepaxml's own validation (which loads
#   the XSD again for every file, 0.3 s) and then validated by `validate_pain001` against the
#   same XSD that sepaxml ships (sepaxml/schemas/pain.001.001.03.xsd), loaded once.
# - CSV rows mirror the bank file (transliterated names, compact IBANs), so a line of the bank
#   statement matches a row; every text cell is neutralised against spreadsheet formulas.
# - Text amounts: "12,50", "12.50", "€ 12,5", "1.234,56", "1,234.56", "12,-" are read exactly;
#   nothing is ever rounded. Three decimals are refused, also "1.234", which is ambiguous.

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import ParseError

import xmlschema
from babel.numbers import format_currency
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from schwifty import BIC, IBAN
from schwifty import exceptions as schwifty_errors
from sepaxml import SepaTransfer
from text_unidecode import unidecode

SCHEMA = "pain.001.001.03"
NAMESPACE = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"
CURRENCY = "EUR"
MAX_AMOUNT_CENTS = 100_000_000  # 1,000,000 euro: more is a typing error in this app
NAME_MAX = 70
TEXT_MAX = 140
ID_MAX = 35
CSV_HEADER = ["end_to_end_id", "name", "iban", "bic", "amount_eur", "description"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_SEPA_SPECIALS = "/-?:().,'+"
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_SEPA_ID = re.compile(r"[A-Za-z0-9/\-?:().,'+]{1,35}")
_LETTER_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_IBAN_REMOVE = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
# The BICIdentifier pattern of pain.001.001.03.
_XSD_BIC = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")


class BankingError(ValueError):
    """Bank data that cannot go into a bank file; `code` says why, `detail` says more.

    `index` is the position of the payment in the list, when one payment is the cause.
    """

    def __init__(self, code: str, detail: str = "", *, index: int | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.index = index


# ---------------------------------------------------------------- IBAN and BIC


def normalise_iban(text: str) -> str:
    """The compact electronic IBAN ("NL91ABNA0417164300"), checked, of a SEPA country."""
    if not isinstance(text, str):
        raise BankingError("iban_invalid", "an IBAN is text")
    compact = _IBAN_REMOVE.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not compact:
        raise BankingError("iban_invalid", "no IBAN given")
    try:
        iban = IBAN(compact)
    except schwifty_errors.InvalidChecksumDigits:
        raise BankingError("iban_checksum", "the check digits do not match") from None
    except schwifty_errors.InvalidCountryCode:
        if _IBAN_SHAPE.fullmatch(compact):
            raise BankingError(
                "iban_country", f"{compact[:2]} has no IBANs in the SEPA area"
            ) from None
        raise BankingError("iban_invalid", "not an IBAN") from None
    except schwifty_errors.InvalidLength:
        raise BankingError("iban_invalid", f"wrong length for {compact[:2]}") from None
    except schwifty_errors.SchwiftyException as error:
        raise BankingError("iban_invalid", str(error)) from None
    if not iban.in_sepa_zone:
        raise BankingError("iban_country", f"{iban.country_code} is not in the SEPA area")
    return str(iban)


def format_iban(iban: str) -> str:
    """The printed IBAN in groups of four ("NL91 ABNA 0417 1643 00"), for display."""
    compact = normalise_iban(iban)
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def bic_for(iban: str) -> str | None:
    """The BIC of the IBAN's bank from schwifty's registry (Dutch banks are there), or None.

    The IBAN is checked first (BankingError when it is not valid).
    """
    bic = IBAN(normalise_iban(iban)).bic
    return str(bic) if bic is not None else None


def normalise_bic(text: str) -> str:
    """A BIC, upper-cased without spaces, checked by schwifty and the pain.001 XSD pattern."""
    compact = re.sub(r"\s+", "", text).upper() if isinstance(text, str) else ""
    try:
        bic = BIC(compact, enforce_swift_compliance=True)
    except schwifty_errors.SchwiftyException as error:
        raise BankingError("bic_invalid", str(error) or "not a BIC") from None
    if not _XSD_BIC.fullmatch(str(bic)):
        raise BankingError("bic_invalid", f"{compact} is not a BIC a bank file can hold")
    return str(bic)


# ---------------------------------------------------------------- SEPA character set

# Arabic script writes consonants and long vowels; a small table reads names better than
# text-unidecode does ("سميرة" → "smyr@"). و and ي are consonants (w, y) at the start of a
# word or after a vowel, vowels (u, i) after a consonant; vowel signs are used when present.
_AR_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ى": "a", "ة": "a", "ء": "",
    "ؤ": "u", "ئ": "i", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
    "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k",
    "ڤ": "v", "ۀ": "a", "ە": "a",
}  # fmt: skip
_AR_GLIDES = {"و": ("w", "u"), "ي": ("y", "i"), "ی": ("y", "i")}
_AR_MARKS = {
    "\u064b": "an", "\u064c": "un", "\u064d": "in", "\u064e": "a", "\u064f": "u",
    "\u0650": "i", "\u0652": "", "\u0670": "a", "\u0640": "",
}  # fmt: skip
_AR_SHADDA = "\u0651"
_AR_WORD = re.compile("[" + "".join([*_AR_LETTERS, *_AR_GLIDES, *_AR_MARKS, _AR_SHADDA]) + "]+")
_VOWELS = frozenset("aeiou")


def _arabic_word(word: str) -> str:
    if word == "الله":
        return "Allah"
    article = word.startswith("ال") and len(word) > 2
    if article:
        word = word[2:]
    parts: list[str] = []  # the Latin of each Arabic character
    consonant = ""  # the Latin of the last consonant, which a shadda doubles
    for index, char in enumerate(word):
        text = "".join(parts)
        previous, following = word[index - 1 : index] if index else "", word[index + 1 : index + 2]
        if char in _AR_GLIDES:
            glide, vowel = _AR_GLIDES[char]
            if _AR_MARKS.get(previous) == vowel:  # a long vowel: kasra + ya, damma + waw
                latin, consonant = "", glide
            else:
                after_vowel = text[-1:] in _VOWELS and previous != "ع"
                latin = glide if not text or after_vowel else vowel
                consonant = glide if latin == glide else ""
        elif char == "ع":  # ain: "a" when no vowel sign says which vowel follows
            latin, consonant = ("" if following in _AR_MARKS else "a"), ""
        elif char == _AR_SHADDA:
            # NFKC puts a short vowel before the shadda: double the consonant before both.
            if consonant:
                parts.insert(len(parts) - 1 if parts[-1] in _AR_MARKS.values() else len(parts),
                             consonant)  # fmt: skip
            continue
        elif char in _AR_MARKS:
            latin = _AR_MARKS[char]
        else:
            latin = _AR_LETTERS[char]
            consonant = "" if latin in ("", "a", "i", "u") else latin
        parts.append(latin)
    out = "".join(parts)
    out = out[:1].upper() + out[1:]
    return f"Al-{out}" if article else out


def _transliterate(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _AR_WORD.sub(lambda match: _arabic_word(match.group()), text)
    text = unidecode(text).replace("&", "+")
    text = _NOT_SEPA.sub("", re.sub(r"\s+", " ", text))
    return re.sub(" {2,}", " ", text).strip()


def _sepa(text: str, max_length: int, code: str) -> str:
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    result = _transliterate(text if isinstance(text, str) else "")
    if not _LETTER_OR_DIGIT.search(result):
        raise BankingError(code, "no letter or digit is left in the SEPA character set")
    return result[:max_length].rstrip()


def sepa_name(text: str, max_length: int = NAME_MAX) -> str:
    """A person's name in the SEPA character set: "Zoë Çelik-Öztürk" → "Zoe Celik-Ozturk".

    Cut to `max_length` (70, the SEPA limit for names); "name_empty" when nothing is left.
    """
    return _sepa(text, max_length, "name_empty")


def sepa_text(text: str, max_length: int = TEXT_MAX) -> str:
    """The remittance information (unstructured, at most 140) in the SEPA character set.

    "text_empty" when nothing is left.
    """
    return _sepa(text, max_length, "text_empty")


def _check_id(value: str, code: str) -> str:
    if (
        not isinstance(value, str)
        or not _SEPA_ID.fullmatch(value)
        or value.startswith("/")
        or value.endswith("/")
        or "//" in value
    ):
        raise BankingError(
            code,
            f"{value!r}: 1 to {ID_MAX} characters of A-Z a-z 0-9 {_SEPA_SPECIALS}, "
            "not starting or ending with '/', without '//'",
        )
    return value


# ---------------------------------------------------------------- payments


@dataclass(frozen=True)
class Payment:
    """One credit transfer to a payee; `amount_cents` is an int of cents."""

    end_to_end_id: str
    name: str
    iban: str
    bic: str | None
    amount_cents: int
    description: str


@dataclass(frozen=True)
class Debtor:
    """The account the money comes from (the organisation's)."""

    name: str
    iban: str
    bic: str | None


def check_amount(cents: object) -> int:
    """An amount for a payment: an int of cents, more than 0, at most MAX_AMOUNT_CENTS."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise BankingError("amount_not_cents", f"{cents!r} is not a whole number of cents")
    if cents <= 0:
        raise BankingError("amount_not_positive", f"{cents} cents")
    if cents > MAX_AMOUNT_CENTS:
        raise BankingError("amount_too_large", f"{cents} cents is more than 1,000,000 euro")
    return cents


def _checked_payments(payments: list[Payment]) -> list[Payment]:
    """The payments as they go into a bank file: checked, IBANs compact, texts transliterated."""
    if not payments:
        raise BankingError("no_payments", "a bank file needs at least one payment")
    checked = []
    seen: set[str] = set()
    for index, payment in enumerate(payments):
        try:
            end_to_end_id = _check_id(payment.end_to_end_id, "end_to_end_id_invalid")
            if end_to_end_id in seen:
                raise BankingError("end_to_end_id_duplicate", end_to_end_id)
            seen.add(end_to_end_id)
            checked.append(
                Payment(
                    end_to_end_id=end_to_end_id,
                    name=sepa_name(payment.name),
                    iban=normalise_iban(payment.iban),
                    bic=normalise_bic(payment.bic) if payment.bic is not None else None,
                    amount_cents=check_amount(payment.amount_cents),
                    description=sepa_text(payment.description),
                )
            )
        except BankingError as error:
            raise BankingError(
                error.code,
                f"payment {index + 1} ({payment.end_to_end_id}): {error.detail}",
                index=index,
            ) from None
    return checked


def _checked_debtor(debtor: Debtor) -> Debtor:
    try:
        return Debtor(
            name=sepa_name(debtor.name),
            iban=normalise_iban(debtor.iban),
            bic=normalise_bic(debtor.bic) if debtor.bic is not None else None,
        )
    except BankingError as error:
        raise BankingError("debtor_invalid", f"{error.code}: {error.detail}") from None


# ---------------------------------------------------------------- pain.001


class _Transfer(SepaTransfer):
    """sepaxml's credit transfer with our message id instead of its random one."""

    def __init__(self, config: dict[str, object], message_id: str) -> None:
        self._message_id = message_id
        super().__init__(config, schema=SCHEMA, clean=True)

    def _create_header(self) -> None:
        self.msg_id = self._message_id
        super()._create_header()


def credit_transfer_xml(
    debtor: Debtor,
    payments: list[Payment],
    *,
    message_id: str,
    execution_date: date,
    batch_booking: bool = True,
) -> bytes:
    """A pain.001.001.03 SEPA credit transfer file, validated against its XSD.

    Every payment is checked before any XML is made (BankingError with the payment's `index`).
    With `batch_booking` the bank books the file as one debit; otherwise one per payment.
    """
    _check_id(message_id, "message_id_invalid")
    if not isinstance(execution_date, date) or isinstance(execution_date, datetime):
        raise BankingError("execution_date_invalid", f"{execution_date!r} is not a date")
    source = _checked_debtor(debtor)
    checked = _checked_payments(payments)

    config: dict[str, object] = {
        "name": source.name,
        "IBAN": source.iban,
        "currency": CURRENCY,
        "batch": bool(batch_booking),
    }
    if source.bic is not None:
        config["BIC"] = source.bic
    transfer = _Transfer(config, message_id)
    for payment in checked:
        item: dict[str, object] = {
            "name": payment.name,
            "IBAN": payment.iban,
            "amount": payment.amount_cents,  # sepaxml: an int of cents
            "execution_date": execution_date,
            "description": payment.description,
            "endtoend_id": payment.end_to_end_id,
        }
        if payment.bic is not None:
            item["BIC"] = payment.bic
        transfer.add_payment(item)
    xml = transfer.export(validate=False)
    validate_pain001(xml)
    return xml


@functools.cache
def _pain001_schema() -> xmlschema.XMLSchema:
    xsd = importlib.resources.files("sepaxml") / "schemas" / f"{SCHEMA}.xsd"
    with importlib.resources.as_file(xsd) as path:
        return xmlschema.XMLSchema(str(path))


def validate_pain001(xml: bytes) -> None:
    """Check the bytes against the pain.001.001.03 XSD that sepaxml ships.

    BankingError("schema", detail) when the XML is not well-formed, declares a DTD or entities,
    or does not follow the schema.
    """
    try:
        root = fromstring(xml, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, TypeError) as error:
        raise BankingError("schema", f"not well-formed XML: {error}") from None
    error = next(iter(_pain001_schema().iter_errors(root)), None)
    if error is not None:
        raise BankingError("schema", f"{error.path}: {error.reason}")


# ---------------------------------------------------------------- CSV


def _neutralise(value: str) -> str:
    """A spreadsheet must not run a text cell as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def euros(cents: int) -> str:
    """Cents as euros with two decimals and a point: 1250 → "12.50"; never negative."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise BankingError("amount_not_cents", f"{cents!r} is not a whole number of cents")
    if cents < 0:
        raise BankingError("amount_not_positive", f"{cents} cents")
    return f"{cents // 100}.{cents % 100:02d}"


def batch_csv_rows(payments: list[Payment]) -> list[list[str]]:
    """The header and one row per payment, as they go into the bank file, formula-safe."""
    rows = [list(CSV_HEADER)]
    for payment in _checked_payments(payments):
        cells = [
            payment.end_to_end_id,
            payment.name,
            payment.iban,
            payment.bic or "",
            euros(payment.amount_cents),
            payment.description,
        ]
        rows.append([_neutralise(cell) for cell in cells])
    return rows


# ---------------------------------------------------------------- amounts as text

_DASHES = "-\u2013\u2014\u2212"
_AMOUNT = re.compile(
    rf"""
    (?P<sign>[{_DASHES}]?)\s*
    (?:(?:€|eur|euro)\s*)?
    (?P<sign2>[{_DASHES}]?)\s*
    (?P<number>[0-9.,]+?)
    (?P<whole>[.,](?:--?|\u2013|\u2014))?
    (?:\s*(?:€|eur|euro))?
    (?P<sign3>[{_DASHES}]?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Arabic-Indic and Persian digits, and the Arabic decimal and thousands separators.
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,"
)  # fmt: skip


def _ungroup(part: str, separator: str) -> str:
    """'1.234.567' → '1234567'; the groups after the first must have three digits."""
    if separator not in part:
        return part
    if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(separator)}[0-9]{{3}})+", part):
        raise BankingError("amount_invalid", f"{part!r}: thousands are grouped by three")
    return part.replace(separator, "")


def _split_amount(number: str, whole: str | None) -> tuple[str, str]:
    """Whole euros and the decimals, as digits."""
    if whole:
        decimal_mark = whole[0]
        other = "," if decimal_mark == "." else "."
        if decimal_mark in number:
            raise BankingError("amount_invalid", f"{number + whole!r}")
        return _ungroup(number, other), ""
    separators = {char for char in number if char in ".,"}
    if len(separators) == 2:
        decimal_mark = number[max(number.rfind("."), number.rfind(","))]
        other = "," if decimal_mark == "." else "."
        if number.count(decimal_mark) != 1:
            raise BankingError("amount_invalid", f"{number!r}")
        whole_part, decimals = number.split(decimal_mark)
        return _ungroup(whole_part, other), decimals
    if len(separators) == 1:
        (separator,) = separators
        if number.count(separator) == 1:
            whole_part, decimals = number.split(separator)
            return whole_part, decimals
        return _ungroup(number, separator), ""
    return number, ""


def cents_from_text(text: str) -> int:
    """Euros as a person types them, in exact cents: "12,50", "€ 12,5", "1.234,56" → cents.

    Accepted: a decimal comma or point with one or two decimals, thousands grouped by three
    with the other mark ("1.234,56", "1,234.56"), "€"/"EUR" before or after, "12,-" for whole
    euros, Arabic-Indic digits. 0 is accepted (a payment refuses it later).

    Rounding: none. Anything that is not whole cents is refused, never rounded: three or more
    decimals ("12,505", and "1.234", which could be either 1234 or 1.234) are
    "amount_not_cents". Also refused: "" ("amount_empty"), a negative amount ("amount_negative"),
    what is not a number ("amount_invalid") and more than 1,000,000 euro ("amount_too_large").
    """
    if not isinstance(text, str):
        raise BankingError("amount_invalid", "an amount is text")
    value = unicodedata.normalize("NFKC", text).translate(_DIGITS).strip()
    if not value:
        raise BankingError("amount_empty", "no amount given")
    match = _AMOUNT.fullmatch(value) if len(value) <= 40 else None
    if match is None:
        raise BankingError("amount_invalid", f"{text!r} is not an amount in euros")
    if match["sign"] or match["sign2"] or match["sign3"]:
        raise BankingError("amount_negative", f"{text!r} is negative")
    whole_part, decimals = _split_amount(match["number"], match["whole"])
    if not whole_part and not decimals:
        raise BankingError("amount_invalid", f"{text!r} is not an amount in euros")
    if len(decimals) > 2:
        raise BankingError(
            "amount_not_cents", f"{text!r} has {len(decimals)} decimals; at most 2 (cents)"
        )
    cents = Decimal(f"{whole_part or '0'}.{decimals or '0'}").scaleb(2)  # exact: 2 decimals
    if cents > MAX_AMOUNT_CENTS:
        raise BankingError("amount_too_large", f"{text!r} is more than 1,000,000 euro")
    return int(cents)


def format_cents(cents: int, locale: str = "nl") -> str:
    """Cents for display in euros: "€\u00a012,50" (nl, with a no-break space), "€12.50" (en)."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise BankingError("amount_not_cents", f"{cents!r} is not a whole number of cents")
    return format_currency(Decimal(cents).scaleb(-2), CURRENCY, locale=locale)
