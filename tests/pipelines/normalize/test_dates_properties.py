"""Hypothesis properties: every supported French style parses back; start <= end; nothing raises."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize.dates import find_dates, mention_bounds, parse_dates

MONTH_SPELLINGS = {
    1: ["janvier", "janv.", "janv", "Janvier"],
    2: ["février", "fevrier", "févr.", "fév.", "fev"],
    3: ["mars", "Mars"],
    4: ["avril", "avr."],
    5: ["mai"],
    6: ["juin"],
    7: ["juillet", "juil."],
    8: ["août", "aout"],
    9: ["septembre", "sept.", "sep."],
    10: ["octobre", "oct."],
    11: ["novembre", "nov.", "Novembre"],
    12: ["décembre", "decembre", "déc.", "dec."],
}
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
WEEKDAYS_SHORT = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
references = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
LIMITED = settings(max_examples=200, deadline=None)


@st.composite
def french_date(draw: st.DrawFn, d: date) -> str:
    """`d` written in one of the styles agenda pages use, always with its year."""
    style = draw(st.sampled_from(["text", "text", "slash", "slash2", "dot", "dash", "iso"]))
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "slash2":
        return f"{d.day}/{d.month:02d}/{d.year % 100:02d}"
    if style == "dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "iso":
        return d.isoformat()
    month = draw(st.sampled_from(MONTH_SPELLINGS[d.month]))
    day = (
        draw(st.sampled_from(["1er", "1", "01"]))
        if d.day == 1
        else draw(st.sampled_from([str(d.day), f"{d.day:02d}"]))
    )
    weekday = draw(
        st.sampled_from(
            [
                "",
                WEEKDAYS[d.weekday()] + " ",
                WEEKDAYS_SHORT[d.weekday()] + " ",
                WEEKDAYS[d.weekday()].capitalize() + " ",
            ]
        )
    )
    text = f"{weekday}{day} {month} {d.year}"
    return draw(st.sampled_from([text, text.upper(), f"le {text}", f"Le {text}"]))


@st.composite
def dated_text(draw: st.DrawFn) -> tuple[str, date]:
    d = draw(dates)
    return draw(french_date(d)), d


@LIMITED
@given(dated_text(), references)
def test_formatted_date_parses_back(case: tuple[str, date], reference: date) -> None:
    text, d = case
    m = parse_dates(text, reference=reference)
    assert m is not None, text
    assert (m.start_date, m.end_date) == (d, d), text
    assert "weekday_mismatch" not in m.flags
    assert m.all_day


@LIMITED
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 10, 31)),
    st.integers(min_value=0, max_value=60),
    references,
    st.data(),
)
def test_formatted_range_parses_back(start: date, length: int, reference: date, data: st.DataObject) -> None:
    end = start + timedelta(days=length)
    first = data.draw(french_date(start))
    last = data.draw(french_date(end))
    text = data.draw(st.sampled_from([f"du {first} au {last}", f"Du {first} au {last}", f"{first} - {last}"]))
    m = parse_dates(text, reference=reference)
    assert m is not None, text
    assert (m.start_date, m.end_date) == (start, end), text


@LIMITED
@given(dated_text(), st.integers(0, 23), st.sampled_from([0, 15, 30, 45]), st.integers(1, 4), st.data())
def test_formatted_times_parse_back(
    case: tuple[str, date], hour: int, minute: int, hours: int, data: st.DataObject
) -> None:
    text, d = case
    end_hour = (hour + hours) % 24
    t0 = data.draw(
        st.sampled_from(
            [
                f"{hour}h{minute:02d}",
                f"{hour:02d}:{minute:02d}",
                f"{hour} h {minute:02d}",
                f"{hour}H{minute:02d}",
            ]
        )
    )
    t1 = f"{end_hour}h"
    variant = data.draw(st.integers(0, 3))
    phrase = [f"{text} à {t0}", f"{text} de {t0} à {t1}", f"{text} | {t0} - {t1}", f"{text}, {t0}-{t1}"][
        variant
    ]
    m = parse_dates(phrase, reference=d)
    assert m is not None, phrase
    assert m.start_date == d and m.start_time == time(hour, minute), phrase
    if variant == 0:
        assert m.end_time is None
    else:
        assert m.end_time == time(end_hour, 0), phrase
        assert m.end_date == (d if time(end_hour) > time(hour, minute) else d + timedelta(days=1)), phrase


@LIMITED
@given(
    st.integers(1, 31),
    st.integers(1, 12),
    references,
    st.sampled_from(["le {d} {m}", "{wd} {d} {m}", "du {d} au {d2} {m}", "les {d} et {d2} {m}"]),
)
def test_year_less_dates_land_near_the_reference(
    day: int, month: int, reference: date, template: str
) -> None:
    try:
        date(2024, month, day)
    except ValueError:
        return
    if day >= 28 and "{d2}" in template:
        return
    wd = WEEKDAYS[(day + month) % 7]
    text = template.format(d=day, d2=day + 1, m=MONTH_SPELLINGS[month][0], wd=wd)
    m = parse_dates(text, reference=reference)
    if m is None:
        return  # "du 28 au 28" style ranges and impossible days
    assert m.start_date <= m.end_date
    assert abs((m.start_date - reference).days) <= 366 * 4 + 1
    if "weekday_mismatch" not in m.flags and "{wd}" not in template and month != 2:
        assert m.end_date >= reference
        assert (m.start_date - reference).days <= 366


FRENCHISH = st.lists(
    st.sampled_from(
        list("0123456789 /.-:,hHàéèûÉ'\n")
        + [
            "du ",
            "au ",
            "le ",
            "les ",
            "et ",
            "de ",
            " à ",
            "novembre",
            "sept.",
            "1er",
            "mardi ",
            "2023",
            "midi",
            "demain",
            "jusqu'au ",
            "Durée ",
            "T",
            "Z",
            "+01:00",
        ]
    ),
    max_size=30,
).map("".join)


@LIMITED
@given(st.one_of(st.text(max_size=80), FRENCHISH), references)
def test_nothing_raises_and_mentions_are_well_formed(text: str, reference: date) -> None:
    for m in find_dates(text, reference=reference):
        assert m.start_date <= m.end_date
        assert m.text == text[m.span[0] : m.span[1]]
        assert 0 <= m.span[0] < m.span[1] <= len(text)
        assert m.all_day is (m.start_time is None)
        if m.end_time is not None and m.start_date == m.end_date:
            assert m.start_time is not None and m.end_time > m.start_time
        start, end = mention_bounds(m, "Europe/Paris")
        assert end is None or start <= end  # type: ignore[operator]
