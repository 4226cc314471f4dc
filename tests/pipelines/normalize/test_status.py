"""Status from French wording and from structured status values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.normalize.status import detect_status, status_from_openagenda, status_from_schema_org


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        # Titles
        ("ANNULÉ - Forum de l'ESS de Rennes", "", "cancelled"),
        ("[Annulé] Atelier gouvernance partagée", "", "cancelled"),
        ("Conférence sur les SCIC - annulée", "", "cancelled"),
        ("Café ESS REPORTÉ", "", "postponed"),
        ("Report : visite de la ressourcerie", "", "postponed"),
        ("Atelier reporté à une date ultérieure", "", "postponed"),
        ("Forum des métiers de l'ESS (complet)", "", None),
        ("COMPLET - Visite d'une recyclerie", "", None),
        ("Reportage : l'ESS en Bretagne", "", None),
        ("Salon de l'économie circulaire", "", None),
        # Descriptions: a stated fact, or a banner at the start
        ("Forum", "Annulé : faute d'inscriptions suffisantes.", "cancelled"),
        ("Forum", "Événement annulé en raison des intempéries.", "cancelled"),
        ("Forum", "Malheureusement, la conférence est annulée.", "cancelled"),
        ("Forum", "L’atelier est malheureusement annulé.", "cancelled"),
        ("Forum", "Le forum n’aura pas lieu cette année.", "cancelled"),
        ("Forum", "La séance a été reportée au 12 décembre.", "postponed"),
        ("Forum", "Reporté - nouvelle date à venir.", "postponed"),
        # ... not a condition, nor another event, nor "complet"
        ("Forum", "La rencontre sera annulée en cas de pluie.", None),
        ("Forum", "L’édition 2020 avait été annulée, elle revient enfin.", None),
        ("Forum", "Inscriptions closes : l'atelier est complet.", None),
        ("Forum", "Nous vous rapportons un report de 3 jours.", None),
        ("Forum", "Annulation gratuite jusqu'à 48 h avant.", None),
        ("Forum", "ANNULATION : la salle n'est plus disponible.", "cancelled"),
    ],
)
def test_detect_status(title, description, expected):
    assert detect_status(title, description) == expected


def test_cancellation_beats_postponement():
    assert detect_status("Forum reporté", "Finalement, l'événement est annulé.") == "cancelled"


@given(st.text(), st.text())
def test_detect_status_never_raises(title, description):
    assert detect_status(title, description) in (None, "cancelled", "postponed")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://schema.org/EventCancelled", "cancelled"),
        ("http://schema.org/EventPostponed", "postponed"),
        ("EventCancelled", "cancelled"),
        ("https://schema.org/EventRescheduled", None),
        ("https://schema.org/EventScheduled", None),
        ("", None),
        (None, None),
    ],
)
def test_status_from_schema_org(value, expected):
    assert status_from_schema_org(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(6, "cancelled"), ("4", "postponed"), (5, None), (1, None), ("x", None)])
def test_status_from_openagenda(value, expected):
    assert status_from_openagenda(value) == expected
