"""Text helpers for Vietnamese: search must find "Đình Bảng" when an operator types "dinh bang"."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "D"})  # đ is a letter of its own, not d + a mark


def fold_diacritics(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (tones, hats, horns, đ)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).casefold()


def matches_search(query: str, *fields: str) -> bool:
    """True when every word of ``query`` occurs in some field, ignoring case and diacritics."""
    words = fold_diacritics(query).split()
    haystack = " ".join(fold_diacritics(f) for f in fields)
    return all(word in haystack for word in words)


def format_km(km: float) -> str:
    """Vietnamese kilometre-post notation: 122.3 -> 'Km122+300'."""
    whole = int(km)
    metres = round((km - whole) * 1000)
    if metres == 1000:
        whole, metres = whole + 1, 0
    return f"Km{whole}+{metres:03d}" if metres else f"Km{whole}"
