"""A comment's similarity signature: MinHash over word shingles, and its LSH band keys.

Pure Python, constant time per comment:

* the text is folded as for the exact-duplicate hash (``models.comments.normalise_text``,
  case folded), split into words (letters and digits, Vietnamese diacritics kept), and
  only its first ``MAX_WORDS`` words are read;
* each word shingle (``SHINGLE`` consecutive words) is hashed once (CRC-32, spread to 64
  bits by a Fibonacci multiplication: stable across processes and Python versions,
  unlike ``hash()``, so stored signatures stay comparable);
* one-permutation MinHash (Li, Owen and Zhang 2012): the hash's low bits choose one of
  ``BINS`` bins, each bin keeps its smallest value; empty bins borrow from the next
  non-empty bin to the right (rotation densification, Shrivastava and Li 2014). The share
  of equal bins of two signatures estimates the Jaccard similarity of their shingle sets.
  One hash per shingle instead of one per shingle and permutation: about 60 times less
  work than classic MinHash with 64 permutations, which is what makes it fast enough
  without numpy;
* the signature's bins are cut into ``BANDS`` bands of ``ROWS`` bins; a band's key (with
  the consultation, so two consultations never meet) is what the database indexes: two
  comments are compared only when at least one band key is equal.

Regrouping computes this for every comment, so the per-shingle and per-band work runs in
C (``map`` over ``zlib.crc32``, ``struct``) and only the 64 bins are handled in Python;
``tests/test_campaigns.py`` pins the output, which must never change (stored signatures
and band keys are compared with new ones).
"""

import re
import struct
import zlib
from functools import lru_cache
from operator import eq, or_

from ..models.comments import normalise_text

#: Words of a text that are read: longer texts are judged on their beginning, so a
#: signature costs the same for any comment (a campaign letter is shorter than this).
MAX_WORDS = 400
#: Words per shingle (pairs; the code is written for 2). Measured on the generated campaign data (docs/campaigns.md):
#: pairs of words keep a letter with a few words swapped close to its template, while
#: distinct comments on the same subject, sharing its vocabulary, stay far apart.
SHINGLE = 2
#: Fewer shingles than this: no signature (too short to tell a campaign from a
#: common phrase such as "Tôi đồng ý"; identical short texts are grouped by text hash).
MIN_SHINGLES = 8
#: Bins of the signature, and how they are cut into bands for the lookup.
BINS = 64
BANDS = 16
ROWS = BINS // BANDS

_MASK = (1 << 64) - 1
_EMPTY = 1 << 32  # above any 32-bit value
_GOLDEN = 0x9E3779B97F4A7C15
_BIN_BITS = BINS.bit_length() - 1
_WORD = re.compile(r"\w+")
_PACK = struct.Struct(f"<{BINS}I")
#: A packed signature cut into its bands, in C.
_BANDS_OF = struct.Struct(f"{ROWS * 4}s" * BANDS)
#: Band keys as unsigned 64-bit values, read back as signed ones (two's complement).
_UNSIGNED_KEYS = struct.Struct(f"<{BANDS}Q")
_SIGNED_KEYS = struct.Struct(f"<{BANDS}q")
#: The distance from an empty bin to the bin it borrows from, spread (``_densify``).
_OFFSETS = [(d * 0x9E3779B9) & 0xFFFFFFFF for d in range(BINS + 1)]


def words(text):
    """The words of ``text`` that the signature reads (folded, at most ``MAX_WORDS``):
    the runs of ``\\w`` characters, as ``_WORD.findall`` finds them.

    Read a whitespace-separated token at a time: a token of letters and digits only
    (``str.isalnum``, the same characters as ``\\w`` but ``_``) is one word, as is, and
    only a token with punctuation in it goes through the regular expression. No word
    spans whitespace, so the result is the same; it takes 15 µs instead of 19 µs on the
    bench's comments, 42 µs instead of 49 µs on the test corpus (a test compares both
    on random text from the whole of Unicode)."""
    # A word is rarely longer than 20 characters: reading this much of the text is
    # enough for MAX_WORDS words and keeps the cost bounded whatever the text's length.
    head = (text or "")[: MAX_WORDS * 20]
    found = []
    findall = _WORD.findall
    for token in normalise_text(head).casefold().split():
        if token.isalnum():
            found.append(token)
        else:
            found += findall(token)
    return found[:MAX_WORDS]


def shingle_hashes(text):
    """The set of 64-bit hashes of the text's word pairs: the CRC-32 of the pair, spread
    over 64 bits by a Fibonacci multiplication (an odd constant: no two pairs' CRCs
    collide that did not already; the high bits, which choose the bin and its value,
    depend on every bit of the CRC)."""
    golden, mask = _GOLDEN, _MASK
    return {(crc * golden) & mask for crc in _shingle_crcs(words(text))}


def _shingle_crcs(found):
    """The distinct CRC-32s of the word pairs of ``found``, computed in C. The spread
    (an odd multiplier, modulo 2**64) is one-to-one, so distinct CRCs are distinct
    hashes."""
    return set(map(zlib.crc32, map(str.encode, map(" ".join, zip(found, found[1:], strict=False)))))


def minhash(text):
    """The text's signature as a tuple of ``BINS`` 32-bit values, or None if too short."""
    crcs = _shingle_crcs(words(text))
    if len(crcs) < MIN_SHINGLES:
        return None
    bins = [_EMPTY] * BINS
    golden, mask = _GOLDEN, _MASK
    shift = 64 - _BIN_BITS
    for crc in crcs:
        h = (crc * golden) & mask
        b = h >> shift  # the top bits choose the bin,
        v = (h >> (shift - 32)) & 0xFFFFFFFF  # the next 32 are its value
        if v < bins[b]:
            bins[b] = v
    if _EMPTY in bins:
        _densify(bins)
    return tuple(bins)


def _densify(bins):
    """Fill empty bins (in place) from the next non-empty bin to the right (circular),
    offset by the distance so that two texts agree on a filled bin only when they would
    agree on the bin it came from. One pass from the right, starting from the first
    non-empty bin seen round the circle (O(BINS))."""
    n = len(bins)
    first = next(i for i, v in enumerate(bins) if v != _EMPTY)
    value, position = bins[first], first + n
    offsets, empty = _OFFSETS, _EMPTY
    for j in range(n - 1, -1, -1):
        v = bins[j]
        if v != empty:
            value, position = v, j
        else:
            bins[j] = (value + offsets[position - j]) & 0xFFFFFFFF
    return bins


def to_bytes(signature):
    return _PACK.pack(*signature)


def from_bytes(data):
    return _PACK.unpack(bytes(data))


def similarity(a, b):
    """Estimated Jaccard similarity of two signatures (0 to 1)."""
    return sum(map(eq, a, b)) / BINS


def band_keys(consultation_id, signature):
    """The ``BANDS`` lookup keys of a signature, signed 64-bit integers (a
    BigIntegerField): the consultation and the band's number in the high bits, the
    CRC-32 of the band's values in the low 32."""
    crcs = map(zlib.crc32, _BANDS_OF.unpack(_PACK.pack(*signature)))
    return list(
        _SIGNED_KEYS.unpack(_UNSIGNED_KEYS.pack(*map(or_, _key_high(consultation_id), crcs)))
    )


@lru_cache(maxsize=1024)
def _key_high(consultation_id):
    """The high bits of a consultation's ``BANDS`` keys (modulo 2**64)."""
    return tuple(((consultation_id * BANDS + band) << 32) & _MASK for band in range(BANDS))
