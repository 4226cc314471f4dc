"""French administrative vocabulary as data: régions, départements, time zones."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    """INSEE région code, e.g. '76'."""
    name: str
    """Official name, e.g. 'Occitanie'."""
    timezone: str
    """IANA zone in which the région's events are announced."""


REGIONS: dict[str, Region] = {
    r.code: r
    for r in (
        Region("01", "Guadeloupe", "America/Guadeloupe"),
        Region("02", "Martinique", "America/Martinique"),
        Region("03", "Guyane", "America/Cayenne"),
        Region("04", "La Réunion", "Indian/Reunion"),
        Region("06", "Mayotte", "Indian/Mayotte"),
        Region("11", "Île-de-France", "Europe/Paris"),
        Region("24", "Centre-Val de Loire", "Europe/Paris"),
        Region("27", "Bourgogne-Franche-Comté", "Europe/Paris"),
        Region("28", "Normandie", "Europe/Paris"),
        Region("32", "Hauts-de-France", "Europe/Paris"),
        Region("44", "Grand Est", "Europe/Paris"),
        Region("52", "Pays de la Loire", "Europe/Paris"),
        Region("53", "Bretagne", "Europe/Paris"),
        Region("75", "Nouvelle-Aquitaine", "Europe/Paris"),
        Region("76", "Occitanie", "Europe/Paris"),
        Region("84", "Auvergne-Rhône-Alpes", "Europe/Paris"),
        Region("93", "Provence-Alpes-Côte d'Azur", "Europe/Paris"),
        Region("94", "Corse", "Europe/Paris"),
    )
}
REGIONS_BY_NAME: dict[str, Region] = {r.name: r for r in REGIONS.values()}

DEFAULT_TIMEZONE = "Europe/Paris"

# Words for writing dates in French (the readers' side; the parser's vocabulary is further down).
MONTH_NAMES: tuple[str, ...] = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                                "septembre", "octobre", "novembre", "décembre")
MONTH_ABBREVIATIONS: tuple[str, ...] = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                                        "sept.", "oct.", "nov.", "déc.")
WEEKDAY_NAMES: tuple[str, ...] = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Département code -> (name, région code).
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "01": ("Ain", "84"), "02": ("Aisne", "32"), "03": ("Allier", "84"),
    "04": ("Alpes-de-Haute-Provence", "93"), "05": ("Hautes-Alpes", "93"),
    "06": ("Alpes-Maritimes", "93"), "07": ("Ardèche", "84"), "08": ("Ardennes", "44"),
    "09": ("Ariège", "76"), "10": ("Aube", "44"), "11": ("Aude", "76"), "12": ("Aveyron", "76"),
    "13": ("Bouches-du-Rhône", "93"), "14": ("Calvados", "28"), "15": ("Cantal", "84"),
    "16": ("Charente", "75"), "17": ("Charente-Maritime", "75"), "18": ("Cher", "24"),
    "19": ("Corrèze", "75"), "2A": ("Corse-du-Sud", "94"), "2B": ("Haute-Corse", "94"),
    "21": ("Côte-d'Or", "27"), "22": ("Côtes-d'Armor", "53"), "23": ("Creuse", "75"),
    "24": ("Dordogne", "75"), "25": ("Doubs", "27"), "26": ("Drôme", "84"), "27": ("Eure", "28"),
    "28": ("Eure-et-Loir", "24"), "29": ("Finistère", "53"), "30": ("Gard", "76"),
    "31": ("Haute-Garonne", "76"), "32": ("Gers", "76"), "33": ("Gironde", "75"),
    "34": ("Hérault", "76"), "35": ("Ille-et-Vilaine", "53"), "36": ("Indre", "24"),
    "37": ("Indre-et-Loire", "24"), "38": ("Isère", "84"), "39": ("Jura", "27"),
    "40": ("Landes", "75"), "41": ("Loir-et-Cher", "24"), "42": ("Loire", "84"),
    "43": ("Haute-Loire", "84"), "44": ("Loire-Atlantique", "52"), "45": ("Loiret", "24"),
    "46": ("Lot", "76"), "47": ("Lot-et-Garonne", "75"), "48": ("Lozère", "76"),
    "49": ("Maine-et-Loire", "52"), "50": ("Manche", "28"), "51": ("Marne", "44"),
    "52": ("Haute-Marne", "44"), "53": ("Mayenne", "52"), "54": ("Meurthe-et-Moselle", "44"),
    "55": ("Meuse", "44"), "56": ("Morbihan", "53"), "57": ("Moselle", "44"),
    "58": ("Nièvre", "27"), "59": ("Nord", "32"), "60": ("Oise", "32"), "61": ("Orne", "28"),
    "62": ("Pas-de-Calais", "32"), "63": ("Puy-de-Dôme", "84"),
    "64": ("Pyrénées-Atlantiques", "75"), "65": ("Hautes-Pyrénées", "76"),
    "66": ("Pyrénées-Orientales", "76"), "67": ("Bas-Rhin", "44"), "68": ("Haut-Rhin", "44"),
    "69": ("Rhône", "84"), "70": ("Haute-Saône", "27"), "71": ("Saône-et-Loire", "27"),
    "72": ("Sarthe", "52"), "73": ("Savoie", "84"), "74": ("Haute-Savoie", "84"),
    "75": ("Paris", "11"), "76": ("Seine-Maritime", "28"), "77": ("Seine-et-Marne", "11"),
    "78": ("Yvelines", "11"), "79": ("Deux-Sèvres", "75"), "80": ("Somme", "32"),
    "81": ("Tarn", "76"), "82": ("Tarn-et-Garonne", "76"), "83": ("Var", "93"),
    "84": ("Vaucluse", "93"), "85": ("Vendée", "52"), "86": ("Vienne", "75"),
    "87": ("Haute-Vienne", "75"), "88": ("Vosges", "44"), "89": ("Yonne", "27"),
    "90": ("Territoire de Belfort", "27"), "91": ("Essonne", "11"),
    "92": ("Hauts-de-Seine", "11"), "93": ("Seine-Saint-Denis", "11"),
    "94": ("Val-de-Marne", "11"), "95": ("Val-d'Oise", "11"),
    "971": ("Guadeloupe", "01"), "972": ("Martinique", "02"), "973": ("Guyane", "03"),
    "974": ("La Réunion", "04"), "976": ("Mayotte", "06"),
}


def _fold_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


_REGION_CODES_BY_FOLDED_NAME = {_fold_name(r.name): r.code for r in REGIONS.values()}


def region_code_for(value: str | None) -> str | None:
    """INSEE région code from a code ('76') or a name written any way ('occitanie',
    'Provence-Alpes-Cote d Azur'); None when it names no région."""
    if not value:
        return None
    if value in REGIONS:
        return value
    return _REGION_CODES_BY_FOLDED_NAME.get(_fold_name(value))


def region_timezone(region_code: str | None) -> str:
    """IANA zone for a région code ('04' -> 'Indian/Reunion'); Paris when unknown."""
    region = REGIONS.get(region_code or "")
    return region.timezone if region else DEFAULT_TIMEZONE


# ---------------------------------------------------------------------------
# Dates vocabulary (read by pipelines/normalize/dates.py).
# Spellings are listed as pages write them; the parser folds case and accents itself,
# so "Décembre", "DECEMBRE" and "decembre" all match the one entry "décembre".
# ---------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "février": 2, "févr": 2, "fév": 2, "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7, "juill": 7,
    "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "décembre": 12, "déc": 12, "decembre": 12, "dec": 12,
}
"""Month names and the abbreviations seen on agenda pages ("4 nov. 2021", "janv.", "fév")."""

WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
}
"""Weekday -> `date.weekday()`. Abbreviations only count when a day number follows them."""

EVERY_WORDS: tuple[str, ...] = ("tous les", "toutes les", "chaque", "les")
"""Before a weekday and a month, words that make a weekly series of that month ("tous les jeudis
du mois d'août", "chaque samedi de juin"): the series runs from the first such day to the last."""

FUTURE_AUXILIARIES: tuple[str, ...] = (
    "sera", "seront", "aura", "auront", "fera", "feront", "pourra", "pourront", "viendra", "viendront",
    "se tiendra", "se tiendront",
)
"""Future forms of être, avoir and irregular verbs: with them "le vendredi à 21h" is one coming Friday."""

HABIT_WORDS: tuple[str, ...] = ("chaque", "tous les", "toutes les", "hebdomadaire", "habituellement")
"""Words of a habit: with them "le vendredi à 21h" is every Friday, whatever the tense."""

FIRST_DAY_WORDS: tuple[str, ...] = ("1er", "1ère", "1re", "premier")
"""Ways of writing the first day of a month ("1er décembre")."""

_UNITS = ("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
_TEENS = ("dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf")


def _day_words() -> dict[str, int]:
    words = {w: n for n, w in enumerate(_UNITS[1:], 2)} | {w: n for n, w in enumerate(_TEENS, 10)}
    words |= {"vingt": 20, "trente": 30, "vingt et un": 21, "vingt-et-un": 21, "trente et un": 31, "trente-et-un": 31}
    words |= {f"vingt-{w}": 20 + n for n, w in enumerate(_UNITS[1:], 2)}
    # Minutes and deeds also write the tens apart from the unit ("le dix sept septembre").
    return words | {w.replace("-", " "): n for w, n in words.items() if "-" in w}


TENS_WORDS: dict[str, int] = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
"""Tens in words, for years written out ("l'an deux mille vingt-trois")."""

DAY_WORDS: dict[str, int] = _day_words()
"""Days 2 to 31 written in words, as minutes and formal notices date them ("le vingt-deux mars");
they count only right before a month name."""

TIME_WORDS: dict[str, tuple[int, int]] = {"midi": (12, 0), "minuit": (0, 0)}
"""Times written as words ("de midi à 14h")."""

RANGE_WORDS: tuple[str, ...] = ("au", "à", "-", "jusqu'au", "jusqu'à", ">", "→", "/")
"""Between the two ends of a range ("du 15 au 19", "15-19", "9h à 12h30", ISO "start/end")."""

LIST_WORDS: tuple[str, ...] = (",", "et", "&", ";", "ainsi que", "puis", "ou")
"""Between the days of a list ("les 4, 5 et 6 juin")."""

OPEN_START_WORDS: tuple[str, ...] = (
    "jusqu'au", "jusqu'à", "se poursuivra", "se poursuit", "se poursuivront", "continuera", "se prolongera",
)
"""Before a date that only ends an event ("jusqu'au 30 novembre", "la fête se poursuivra le samedi 10")."""

OPEN_END_WORDS: tuple[str, ...] = (
    "à partir du", "à partir de", "à compter du", "dès le", "dès ce", "depuis le", "depuis ce", "depuis",
)
"""Before a date or time that only starts an event ("à partir du 1er décembre", "à partir de 18h")."""

DURATION_WORDS: tuple[str, ...] = ("durée", "pendant", "durant")
"""Before a figure that is a length of time, not a clock time ("Durée 22:00", "durée : 2h")."""

PAST_TENSE_MARKERS: tuple[str, ...] = (
    "s'est tenu", "s'est tenue", "se sont tenus", "se sont tenues", "s'est déroulé", "s'est déroulée",
    "se sont déroulés", "se sont déroulées", "a réuni", "ont réuni", "a eu lieu", "ont eu lieu",
    "avait lieu", "a rassemblé", "ont rassemblé", "a accueilli", "ont participé", "a été organisé",
    "a été organisée", "s'est clôturé", "s'est clôturée", "s'est achevé", "s'est achevée", "était organisé",
    "était organisée", "retour sur", "s'est terminé", "s'est terminée", "s'agissait", "se tenait",
    "se tenaient", "se déroulait", "se déroulaient", "nous étions", "nous avions", "ils étaient",
    "elles étaient", "il y avait", "c'était", "c'étaient",
)
"""Past-tense phrases: a year-less date in the same sentence lies before the reference."""

PAST_AUXILIARIES: tuple[str, ...] = ("a", "ont", "avait", "avaient", "a été", "ont été", "était", "étaient")
"""Before a past participle, they make a passé composé or a plus-que-parfait ("a organisé ce samedi")."""

PAST_PARTICIPLES: tuple[str, ...] = (
    "accueilli", "accueillie", "connu", "contraint", "eu", "fait", "mis", "ouvert", "pris", "réuni",
    "réunie", "séduit", "tenu", "tenue", "vu", "permis", "offert", "fini",
)
"""Irregular past participles; every participle in "-é", "-ée", "-és", "-ées" is one as well."""

PAST_TENSE_WORDS: tuple[str, ...] = ("fut", "fût", "furent", "hier", "avant-hier")
"""Single words that put a sentence in the past ("Ce fut le cas ce jeudi")."""

RELATIVE_WEEKDAY_AFTER: dict[str, str] = {"dernier": "past", "dernière": "past", "prochain": "next"}
"""After a weekday alone: "samedi dernier" is the one before the reference, "samedi prochain" the one after."""

RELATIVE_WEEKDAY_BLOCKERS: tuple[str, ...] = (
    "du", "au", "les", "le", "tous les", "chaque", "de", "avant", "jusqu'à", "jusqu'au", "d'ici", "et",
    "ou", "à", "sauf", "hors", "entre",
)
"""Before a weekday, words that make it a habit, opening hours or a deadline rather than one day
("du mardi au samedi", "le samedi", "chaque jeudi", "avant vendredi"): no date is read there."""

RELATIVE_DAYS: dict[str, int] = {"hier": -1, "avant-hier": -2}
"""Days before the reference, resolved without dateparser."""

PUBLICATION_MARKERS: tuple[str, ...] = (
    "publié le", "publiée le", "publication", "posté le", "mis en ligne le", "date de publication",
    "publié :", "publiée :", "posté :", "rédigé par", "rédigé le", "écrit par", "posté par", "publié par",
)
"""Before a page's publication date: a better reference than the crawl date."""

WEAK_DATE_MARKERS: tuple[str, ...] = (
    "mis à jour", "mise à jour", "modifié le", "modifiée le", "dernière modification", "actualisé le",
)
"""Before an edit date: weak evidence, since pages are edited long after the event."""

RELATIVE_DAY_WORDS: tuple[str, ...] = ("aujourd'hui", "après-demain", "demain", "ce soir", "cet après-midi")
"""Relative expressions left to dateparser (with the reference as its RELATIVE_BASE)."""

LEGAL_REFERENCE_MARKERS: tuple[str, ...] = (
    "loi du", "loi n°", "décret du", "décret n°", "arrêté du", "ordonnance du", "circulaire du",
    "directive du", "créée le", "créé le", "fondée le", "fondé le", "née le", "né le",
)
"""Before a date that dates a law or a founding, not the page ("la loi du 31 juillet 2014")."""

DEADLINE_MARKERS: tuple[str, ...] = (
    "date limite", "avant le", "au plus tard le", "clôture des inscriptions", "inscriptions jusqu'au",
    "inscription jusqu'au", "inscriptions ouvertes jusqu'au", "candidatures jusqu'au",
    "candidature jusqu'au", "inscriptions avant le", "inscription avant le", "réponse avant le",
)
"""Before a registration deadline, which is a date but not the event's: `parse_dates` passes it over."""

LEGAL_TEXT_WORDS: tuple[str, ...] = ("loi", "décret", "arrêté", "ordonnance", "circulaire", "directive")
"""Legal texts cited with a number before their date ("décret n° 2015-858 du 13 juillet 2015")."""

PAST_AFTER_WORDS: tuple[str, ...] = ("dernier", "dernière")
"""Right after a year-less date, the most recent past one is meant ("le 14 novembre dernier")."""

SINCE_WORDS: tuple[str, ...] = ("depuis le", "depuis ce", "depuis")
"""Before a day that started something already going on ("Depuis lundi 18 mai, les élus sont en
poste"): a date of the event only when an end follows ("depuis le 5 et jusqu'au 26 novembre")."""

BEGUN_WORDS: tuple[str, ...] = (
    "débuté", "débutée", "débutés", "débutées", "commencé", "commencée", "commencés", "commencées",
    "démarré", "démarrée", "démarrés", "démarrées",
)
"""Before a day that started an event still going on ("le salon, débuté ce vendredi, continue ce
samedi"): the event's first day, in the past when it is a weekday alone."""

ORIGINAL_DATE_MARKERS: tuple[str, ...] = (
    "initialement prévu", "initialement prévue", "initialement programmé", "initialement programmée",
    "prévu initialement", "prévue initialement", "prévu", "prévue", "programmé", "programmée",
    "d'abord prévu", "d'abord prévue", "au lieu du", "au lieu de", "devait avoir lieu", "devaient avoir lieu",
    "devait se tenir", "devaient se tenir", "devait se dérouler", "devaient se dérouler",
)
"""Before the first date of an event that was moved ("prévue le 13 juin, reportée au 17 octobre")."""

POSTPONEMENT_WORDS: tuple[str, ...] = (
    "reporté", "reportée", "reportés", "reportées", "report", "repoussé", "repoussée", "décalé",
    "décalée", "déplacé", "déplacée", "reprogrammé", "reprogrammée", "reporta", "reporter", "décaler",
    "finalement",
)
"""A text holding one of these speaks of a moved event; the date right after it is the new one
("… devait avoir lieu samedi 10 janvier. Il se tiendra finalement dimanche 11 janvier"), and
"du 13 juillet au 17 juillet" right after one is a move, not a span."""

WEEKEND_WORDS: tuple[str, ...] = ("ce week-end", "ce weekend", "ce week end", "le week-end prochain", "ce w-e")
"""The coming Saturday and Sunday (the current ones on a Saturday or a Sunday)."""

NAMED_DAYS: dict[str, tuple[int, int | None, int]] = {
    "fête de la musique": (6, None, 21),
    "saint-sylvestre": (12, None, 31),
    "saint sylvestre": (12, None, 31),
    "journées européennes du patrimoine": (9, 5, 3),
    "journées du patrimoine": (9, 5, 3),
}
"""National days every French reader can date: (month, None, day) for a fixed day (the Fête de la
musique is on 21 June); (month, weekday, n) for the n-th such weekday of the month and the day
after it (the Journées européennes du patrimoine are the third Saturday of September and its
Sunday). A text naming one and no day of its own is dated by it."""

FUTURE_TENSE_MARKERS: tuple[str, ...] = (
    "aura lieu", "auront lieu", "se tiendra", "se tiendront", "se déroulera", "se dérouleront", "revient",
    "reviendra", "rendez-vous", "inscrivez-vous", "inscription", "venez", "participez", "prochain",
    "prochaine", "sera", "seront", "organisera", "vous invite", "à venir", "est prévu", "est prévue",
    "sont prévus", "sont prévues", "est programmé", "est programmée",
)
"""Future-tense phrases: they outweigh a past tense in the same sentence ("… qui a réuni 300
personnes l'an dernier, revient le 14 novembre")."""
