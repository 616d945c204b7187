"""What text the package takes in and what text it writes into files: decided here, once.

Two places, two rules:

- At the boundary, ``clean_input`` decides what the public comment form stores:
  NFC, line breaks unified, control characters and the bidi controls that make
  text read backwards removed, every other character kept as typed. ``is_blank``
  tells a text with nothing visible in it (zero-width spaces, soft hyphens, bidi
  marks…) from a real one.
- In every file, whatever the database holds (rows stored before the form cleaned
  its input, text typed by staff, a title from the page editor): ``for_xml`` keeps
  only what XML can hold, for DOCX and XLSX, and ``neutralise`` puts a quote before
  text a spreadsheet would run as a formula. ``for_csv`` and ``for_xlsx`` are the
  two together, so every file shows the same text; ``for_csv_row`` is the same for
  a whole row, at the speed a million-row export needs.

File names keep a stricter rule, ``clean_name``: one line, no invisible character.
Page addresses are ASCII: ``ascii_slug`` makes a slug from a Vietnamese title.

No Django or openpyxl import: the background tasks, the exports and the forms all
import this module.
"""

import re
import unicodedata

# --- At the boundary --------------------------------------------------------------------------

#: Line breaks of every kind a paste can bring (Windows, old Mac, Word's vertical tab
#: for a manual line break, form feed, NEL) become one newline.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85]")
#: Removed from what people type: control characters (tab and newline excepted), the
#: bidi embeddings, overrides and isolates that turn text around in staff screens and
#: files, and lone surrogates, which no database encoding can store.
_REMOVED_FROM_INPUT = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_TABS_AND_NEWLINES = re.compile("[\t\n]+")


def normalise_email(email):
    """An email address as stored and compared everywhere (comments, subscriptions,
    opt-outs, data-subject requests, rate limits): trimmed, lower case. Case-insensitive
    in practice, and one form per address makes lookups exact."""
    return str(email or "").strip().lower()


def clean_input(text, *, multiline=True):
    """What the comment form stores of what a person typed.

    Unicode NFC; CR, CRLF, vertical tab, form feed and NEL become a newline; other
    control characters (NUL included), bidi controls (U+202A-U+202E, U+2066-U+2069)
    and lone surrogates are removed; every other character is kept exactly. With
    ``multiline=False`` (names, phone, address: one-line inputs) tabs and newlines
    become a space, as a browser's text input would never send them. Leading and
    trailing whitespace is left to the caller (Django's ``CharField`` strips it).
    """
    text = _REMOVED_FROM_INPUT.sub("", _LINE_BREAKS.sub("\n", str(text or "")))
    if not multiline:
        text = _TABS_AND_NEWLINES.sub(" ", text)
    return unicodedata.normalize("NFC", text)


#: Letters and marks that draw nothing, used to make a name or a comment look empty
#: (Hangul fillers, the blank Braille pattern, the combining grapheme joiner,
#: variation selectors, Khmer inherent vowels, Mongolian variation selectors).
_INVISIBLE = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
#: Categories that draw nothing: spaces and separators, controls, format characters
#: (zero-width spaces and joiners, soft hyphen, word joiner, BOM, bidi marks), surrogates.
_INVISIBLE_CATEGORIES = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf", "Cs"))


def is_blank(text):
    """True when ``text`` has no character a reader would see."""
    category = unicodedata.category
    return all(
        char in _INVISIBLE or char.isspace() or category(char) in _INVISIBLE_CATEGORIES
        for char in text or ""
    )


def clean_name(text):
    """A name shown on one line (an attachment's file name): NFC, and no character of
    category C at all: no control, format (bidi, zero-width), private-use, surrogate or
    unassigned character, so "invoice\\u202efdp.exe" cannot pass for a PDF."""
    category = unicodedata.category
    kept = "".join(char for char in str(text or "") if not category(char).startswith("C"))
    return unicodedata.normalize("NFC", kept)


# --- In files ---------------------------------------------------------------------------------

#: What a file never holds: the characters XML 1.0 cannot (C0 controls other than tab,
#: newline and CR, lone surrogates, U+FFFE and U+FFFF), C1 controls, and bidi controls,
#: so a row stored before the form cleaned its input reads the right way round. A
#: spreadsheet or Word document refuses to open with the first kind in it; lxml and
#: openpyxl refuse to write it.
_NOT_IN_FILES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
#: XML reads a CR as a newline; writing one as such keeps every file's text the same.
_CARRIAGE_RETURNS = re.compile("\r\n?")
#: ``_NOT_IN_FILES`` and CR: the text a file cannot take as it is.
_UNSAFE_IN_FILES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
#: What a spreadsheet may take for the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: The most characters an XLSX cell holds (Excel's limit; openpyxl would write more).
XLSX_CELL_LIMIT = 32767


def for_xml(text):
    """Text DOCX and XLSX can hold: without the characters of ``_NOT_IN_FILES`` (dropped,
    Word's vertical tab included), with CR and CRLF written as a newline."""
    if _UNSAFE_IN_FILES.search(text) is None:
        return text
    return _NOT_IN_FILES.sub("", _CARRIAGE_RETURNS.sub("\n", text))


def neutralise(value):
    """Text a spreadsheet could read as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(values):
    """``neutralise`` on every cell of a row, in one call: a million rows have 25 million cells."""
    return [
        "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value
        for value in values
    ]


def for_csv(value):
    """A CSV cell: the same text as in the XLSX and DOCX files, never a formula.

    CSV itself could hold control characters, but Excel shows them as boxes and a
    lone surrogate cannot be encoded as UTF-8, which would cut the download short.
    """
    return neutralise(for_xml(value)) if isinstance(value, str) else value


def for_csv_row(values):
    """``for_csv`` on every cell of a row. Rows are almost always clean: one search over
    the row's text decides, and only a row with something to remove is cleaned cell by cell."""
    texts = [value for value in values if isinstance(value, str)]
    if _UNSAFE_IN_FILES.search("".join(texts)) is None:
        return neutralise_row(values)
    return [for_csv(value) for value in values]


def for_xlsx(value):
    """An XLSX cell's text: ``for_csv``, cut to the 32,767 characters a cell holds."""
    value = for_csv(value)
    if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
        return value[: XLSX_CELL_LIMIT - 1] + "…"
    return value


# --- In addresses ----------------------------------------------------------------------------

#: "đ" and "Đ" are letters of their own, not a "d" with a mark: Unicode does not decompose
#: them, so they are mapped before the marks are dropped.
_NOT_DECOMPOSED = str.maketrans({"đ": "d", "Đ": "d"})
_NOT_IN_SLUG = re.compile(r"[^a-z0-9_ \t\n\r\f\v-]")
_SLUG_SEPARATORS = re.compile(r"[- \t\n\r\f\v]+")
#: The length of Wagtail's slug field (and of its editor's slug).
SLUG_MAX_LENGTH = 255


def ascii_slug(text):
    """A page's slug from its title, in ASCII: Vietnamese without its marks.

    "Lấy ý kiến Điều lệ" → "lay-y-kien-dieu-le". "đ"/"Đ" become "d", the text is
    decomposed (NFKD) and what is not ASCII is dropped, then Django's ``slugify`` rule:
    lower case, only letters, digits, "_" and "-", runs of spaces and hyphens become
    one hyphen, none at either end. Cut to ``SLUG_MAX_LENGTH``. The page editor's
    ``ascii-slug.js`` is the same function, step by step, so the slug typed in the
    browser and the one made on saving are the same.
    """
    text = unicodedata.normalize("NFKD", str(text or "").translate(_NOT_DECOMPOSED))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = _SLUG_SEPARATORS.sub("-", _NOT_IN_SLUG.sub("", text)).strip("-_")
    return text[:SLUG_MAX_LENGTH].rstrip("-")
