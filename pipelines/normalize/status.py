"""Event status from structured values (schema.org, OpenAgenda) and from French wording ("ANNULÉ")."""

from __future__ import annotations

import re
import unicodedata

CANCELLED = "cancelled"
POSTPONED = "postponed"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return decomposed.encode("ascii", "ignore").decode("ascii")


# Every pattern below contains one of these stems: most texts are rejected without folding.
_STEMS = ("annul", "report", "ajourn", "cancel", "postpon", "pas lieu", "avoir lieu")


# Matched on accent-folded, case-folded text. "complet" (sold out) is not a status change.
_CANCEL_WORD = r"(?:annule(?:e|s|es)?|annulation|cancel(?:l)?ed)"
_POSTPONE_WORD = r"(?:reporte(?:e|s|es)?|ajourne(?:e|s|es)?|postponed)"
_TITLE_CANCEL = re.compile(rf"\b{_CANCEL_WORD}\b|\bn'aura pas lieu\b")
_TITLE_POSTPONE = re.compile(rf"\b{_POSTPONE_WORD}\b|^\W*report\b|\breport(?: de l'evenement)?\s*[:!]")
# In a description the word must state a fact about this event ("est annulé", "a été
# reporté", or a banner at the very start), not a condition ("sera annulé en cas de pluie")
# nor another event ("l'édition 2020, annulée, ...") - hence the stricter context.
_FACT = r"(?:est|sont|a ete|ont ete|malheureusement|evenement|atelier|rencontre|conference|seance|manifestation)"
_ADVERB = r"(?:(?:malheureusement|finalement|donc|exceptionnellement|definitivement)\W+)?"
_DESC_CANCEL = re.compile(rf"\b{_FACT}\W+{_ADVERB}{_CANCEL_WORD}\b|\bn'aura pas lieu\b|\bne pourra pas avoir lieu\b")
_DESC_POSTPONE = re.compile(rf"\b{_FACT}\W+{_ADVERB}{_POSTPONE_WORD}\b")
_CONDITIONAL = re.compile(r"\b(?:sera|seront|serait|pourra|pourrait|peut|risque|cas|si)\W+(?:\w+\W+)?$")
# The first words of a description act as a banner ("ANNULÉ - ...", "Événement reporté : ...").
# "Annulation" opens refund terms too ("Annulation gratuite jusqu'à 48 h avant"): as a
# banner it needs punctuation after it.
_BANNER_CANCEL = re.compile(
    r"^\W*(?:\w+\W+)?(?:(?:annule(?:e|s|es)?|cancel(?:l)?ed)\b|annulation\s*[:!\-\u2013\u2014])"
)
_BANNER_POSTPONE = re.compile(rf"^\W*(?:\w+\W+)?(?:{_POSTPONE_WORD}|report)\b")


def _stated(pattern: re.Pattern[str], text: str) -> bool:
    for match in pattern.finditer(text):
        if not _CONDITIONAL.search(text[max(0, match.start() - 30) : match.start()]):
            return True
    return False


def detect_status(title: str | None, description_text: str | None = None) -> str | None:
    """'cancelled' or 'postponed' when the title or description says so in French (or English), else None.

    `description_text` is plain text (not HTML). Cancellation beats postponement when both appear.
    """
    title, description_text = title or "", description_text or ""
    if not any(stem in text for text in (title.casefold(), description_text.casefold()) for stem in _STEMS):
        return None
    folded_title = _fold(title)
    folded_desc = _fold(description_text)
    if (
        _TITLE_CANCEL.search(folded_title)
        or _BANNER_CANCEL.search(folded_desc)
        or _stated(_DESC_CANCEL, folded_desc)
    ):
        return CANCELLED
    if (
        _TITLE_POSTPONE.search(folded_title)
        or _BANNER_POSTPONE.search(folded_desc)
        or _stated(_DESC_POSTPONE, folded_desc)
    ):
        return POSTPONED
    return None


# A status word standing as a marker at either end of a title ("ANNULÉ – Réunion publique",
# "[Reporté] Atelier", "Atelier (annulé)"): the feeds and pages label the status themselves.
_MARK = r"(?:annul[ée]e?s?|report[ée]e?s?|ajourn[ée]e?s?|cancell?ed|postponed)"
_LEADING_MARK = re.compile(
    rf"^\s*(?:[\[(«]\s*{_MARK}\s*[\])»]\s*[-\u2013\u2014:|·!/]*|(?:[ée]v[ée]nement\s+)?{_MARK}\s*[-\u2013\u2014:|·!/])\s*",
    re.IGNORECASE,
)
# A capitalised word alone needs no punctuation: "ANNULÉ Réunion publique".
_SHOUTED_MARK = re.compile(r"^\s*(?:ANNUL[ÉE]E?S?|REPORT[ÉE]E?S?|AJOURN[ÉE]E?S?|CANCELL?ED|POSTPONED)\s+(?=\S)")
_TRAILING_MARK = re.compile(rf"\s*(?:[-\u2013\u2014:|·/]\s*|[\[(]\s*){_MARK}\s*[\])]?\s*[!.]?\s*$", re.IGNORECASE)


def strip_status_mark(title: str) -> str:
    """`title` without a status word marking it at its start or end; the title itself when
    nothing else would be left."""
    lead = _LEADING_MARK.sub("", title, count=1)
    if lead == title:
        lead = _SHOUTED_MARK.sub("", title, count=1)
    stripped = _TRAILING_MARK.sub("", lead, count=1).strip()
    return stripped if any(ch.isalnum() for ch in stripped) else title


_SCHEMA_STATUS = {
    "eventcancelled": CANCELLED,
    "eventpostponed": POSTPONED,
    # EventRescheduled comes with the new date: the event is on, at that date.
    "eventrescheduled": None,
    "eventscheduled": None,
    "eventmovedonline": None,
}


def status_from_schema_org(value: str | None) -> str | None:
    """Map a schema.org `eventStatus` ('https://schema.org/EventCancelled', 'EventPostponed', ...) to ours."""
    if not value:
        return None
    key = value.rstrip("/").rsplit("/", 1)[-1].strip().casefold()
    return _SCHEMA_STATUS.get(key)


# OpenAgenda event `status`: 1 scheduled, 2 rescheduled, 3 moved online, 4 postponed, 5 full, 6 cancelled.
_OPENAGENDA_STATUS = {4: POSTPONED, 6: CANCELLED}


def status_from_openagenda(value: int | str | None) -> str | None:
    """Map an OpenAgenda `status` code to ours; 'complet' (5) and the others are not status changes."""
    try:
        return _OPENAGENDA_STATUS.get(int(value)) if value is not None else None
    except (TypeError, ValueError):
        return None
