"""Address headers (From, To, Cc) that every mail reader parses back to the names written.

Python's ``email`` package (3.11) folds a long address header by decoding and re-encoding
its display names, and can lose the quotes around a name with a comma: "Managing Director
for Russia, Eastern Partnership, ..." then reads as four addresses. Here each address is
written once, by the rules of RFC 5322 and RFC 2047, and lines are folded only at spaces,
between words, so that unfolding (removing the line breaks) gives back exactly the header
that was written:

- a name of plain words stays as it is: ``Kaja Kallas <hr@example.org>``;
- a name with a comma, a quote or another special character is a quoted string:
  ``"Office of the Chair, DROI" <droi@example.org>``;
- the words of a name that are not ASCII are encoded words (UTF-8, base64), a run of such
  words in one encoded word where it fits in 75 characters.
"""

from __future__ import annotations

import base64
import re

MAX_LINE = 78
"""Characters a header line should not exceed (RFC 5322); a longer word has a line of its
own (it may not exceed 998)."""
MAX_ENCODED = 75
"""Characters an encoded word may have (RFC 2047)."""

_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")


def mailbox(name: str, address: str) -> str:
    """``name <address>`` as a header writes it (the address alone without a name); a domain
    written in letters outside ASCII is given in its ASCII form (``xn--...``)."""
    local, _, domain = address.rpartition("@")
    if not domain.isascii():
        domain = domain.encode("idna").decode("ascii")
    spec = f"{local}@{domain}"
    words = name.split()
    if not words:
        return spec
    return f"{_phrase(words)} <{spec}>"


def _phrase(words: list[str]) -> str:
    text = " ".join(words)
    if "=?" in text:  # would read as an encoded word: encode it, to read as written
        return _encode(text)
    if text.isascii():
        if all(_ATOM.fullmatch(w) for w in words):
            return text
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # Words that cannot stand as they are, in runs: a run is encoded as a whole, so no two
    # encoded words stand side by side unless a run is too long for one.
    out: list[str] = []
    run: list[str] = []
    for word in words:
        if word.isascii() and _ATOM.fullmatch(word):
            if run:
                out.append(_encode(" ".join(run)))
                run = []
            out.append(word)
        else:
            run.append(word)
    if run:
        out.append(_encode(" ".join(run)))
    return " ".join(out)


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _encode(text: str) -> str:
    """``text`` as encoded words of at most 75 characters, split between words (the space
    goes inside the earlier word, as RFC 2047 drops the space between two encoded words)
    or, for one very long word, between letters."""
    pieces: list[str] = []
    current = ""
    for char in text:
        if current and len(_encoded_word(current + char)) > MAX_ENCODED:
            cut = current.rfind(" ")
            if cut > 0:  # between words: "Beynəlxalq " | "Tərəfdaşlıq"
                pieces.append(current[: cut + 1])
                current = current[cut + 1 :]
            else:
                pieces.append(current)
                current = ""
        current += char
    pieces.append(current)
    return " ".join(_encoded_word(piece) for piece in pieces if piece)


def address_list(mailboxes: list[str], name: str) -> str:
    """The value of header ``name`` listing ``mailboxes``, folded at spaces into lines of at
    most :data:`MAX_LINE` characters (a longer word alone on its line). Lines are separated
    by ``\\n`` followed by the space the fold was made at."""
    text = ", ".join(mailboxes)
    lines: list[str] = []
    line = ""
    width = len(name) + 2  # "Cc: "
    for k, word in enumerate(text.split(" ")):
        piece = word if k == 0 else " " + word
        if line and width + len(line) + len(piece) > MAX_LINE:
            lines.append(line)
            line, width = piece, 0
        else:
            line += piece
    lines.append(line)
    return "\n".join(lines)
