"""Table of French agenda wordings and the date span, times and flags each must give."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from pipelines.normalize.dates import DateMention, find_dates, main_mention, parse_reference

# Each block: "@ reference YYYY-MM-DD" sets the reference for the lines below it ("@ reference YYYY"
# when only the page's year is known, "YYYY-MM" its month); every other line is
# "text => expected", expected being "YYYY-MM-DD[..YYYY-MM-DD][ HH:MM[-HH:MM]][ !flag ...]" or "-" (no date).
# Unless a block says otherwise the reference is Monday 2 October 2023: year-less autumn dates stay in
# 2023, spring dates go to 2024.
TABLE = r"""
## day + month name, with or without weekday and year
@ reference 2023-10-02
Mardi 14 novembre 2023 => 2023-11-14
mardi 14 novembre 2023 => 2023-11-14
MARDI 14 NOVEMBRE 2023 => 2023-11-14
Le mardi 14 novembre 2023 => 2023-11-14
Le 14 novembre 2023 => 2023-11-14
14 novembre 2023 => 2023-11-14
Date : 18 novembre 2023 => 2023-11-18
Date de l'événement : jeudi 16 novembre 2023 => 2023-11-16
Jeudi 16 novembre => 2023-11-16 !year_guessed
jeudi 16 novembre => 2023-11-16
Le 15 novembre => 2023-11-15
le 4 novembre en visio => 2023-11-04
Le 23 novembre, Candillargues => 2023-11-23
Le 15 Novembre, Montpellier => 2023-11-15
Rendez-vous le 7 décembre à la Maison des associations => 2023-12-07
4 DÉCEMBRE 2023 => 2023-12-04
4 DECEMBRE 2023 => 2023-12-04
4 decembre => 2023-12-04
le 12 decembre => 2023-12-12
Vendredi 1er décembre 2023 => 2023-12-01
vendredi 1er décembre => 2023-12-01
Le 1er décembre => 2023-12-01
1er decembre 2023 => 2023-12-01
le 1ᵉʳ décembre => 2023-12-01
le premier décembre => 2023-12-01
Samedi 02 décembre 2023 => 2023-12-02
03 novembre 2023 => 2023-11-03
Le 9 octobre => 2023-10-09
Lundi 9 octobre 2023 => 2023-10-09
le 31 octobre => 2023-10-31
le mercredi 31 janvier => 2024-01-31
jeudi 8 février 2024 => 2024-02-08
le 8 février => 2024-02-08
Mardi 12 mars 2024 => 2024-03-12
le 12 mars => 2024-03-12
Jeudi 4 avril 2024 => 2024-04-04
le 4 avril => 2024-04-04
mercredi 15 mai 2024 => 2024-05-15
le 1er mai => 2024-05-01
samedi 8 juin 2024 => 2024-06-08
le 8 juin => 2024-06-08
le 4 juillet 2024 => 2024-07-04
Jeudi 4 juillet => 2024-07-04
jeudi 29 août 2024 => 2024-08-29
le 29 aout => 2024-08-29
vendredi 13 septembre 2024 => 2024-09-13
le 13 septembre => 2024-09-13
Dimanche 19 novembre 2023 => 2023-11-19
dimanche 19 novembre => 2023-11-19
Inscriptions ouvertes pour la journée du 21 novembre => 2023-11-21
Atelier prévu le 28 novembre prochain => 2023-11-28
Conférence-débat mardi 21 novembre 2023, Toulouse => 2023-11-21
Forum emploi ESS — 30 novembre 2023 — Lille => 2023-11-30
Le 2 décembre, Montpellier => 2023-12-02

## abbreviations and missing accents
@ reference 2023-10-02
4 nov. 2023 => 2023-11-04
4 nov 2023 => 2023-11-04
le 4 nov. => 2023-11-04
jeu. 16 nov. 2023 => 2023-11-16
Jeu 16 nov => 2023-11-16
mar. 14 nov. => 2023-11-14
sam. 25 nov. 2023 => 2023-11-25
ven 24 nov 2023 => 2023-11-24
12 janv. 2024 => 2024-01-12
le 12 janv => 2024-01-12
12 JANV. 2024 => 2024-01-12
5 fév 2024 => 2024-02-05
le 5 fév. => 2024-02-05
5 févr. 2024 => 2024-02-05
5 fevr 2024 => 2024-02-05
5 fevrier 2024 => 2024-02-05
le 5 FEVRIER => 2024-02-05
9 avr. 2024 => 2024-04-09
18 juil. 2024 => 2024-07-18
le 18 juillet => 2024-07-18
26 aout 2024 => 2024-08-26
1 sept. 2024 => 2024-09-01
1er sept. => 2024-09-01
1 sept 2024 => 2024-09-01
20 sep. 2024 => 2024-09-20
17 oct. 2023 => 2023-10-17
le 17 oct => 2023-10-17
7 déc. 2023 => 2023-12-07
7 dec. 2023 => 2023-12-07
7 DÉC => 2023-12-07
le 7 déc => 2023-12-07
16 novembre 2023 => 2023-11-16
16 Novembre 2023 => 2023-11-16

## ranges within a month
@ reference 2023-10-02
du 15 au 19 novembre => 2023-11-15..2023-11-19
Du 15 au 19 novembre en ligne => 2023-11-15..2023-11-19
Du 13 au 17 novembre 2023 => 2023-11-13..2023-11-17
du lundi 6 au vendredi 10 novembre => 2023-11-06..2023-11-10
Du lundi 13 au vendredi 17 novembre 2023 => 2023-11-13..2023-11-17
du 6 au 10 novembre 2023 inclus => 2023-11-06..2023-11-10
15-19 novembre => 2023-11-15..2023-11-19
15 - 19 novembre 2023 => 2023-11-15..2023-11-19
15–19 novembre 2023 => 2023-11-15..2023-11-19
13 > 17 novembre 2023 => 2023-11-13..2023-11-17
Du 01 novembre 2023 au 30 novembre 2023 => 2023-11-01..2023-11-30
Du 01 novembre 2021\nau 30 novembre 2021 => 2021-11-01..2021-11-30
du 1er au 30 novembre => 2023-11-01..2023-11-30
Du 1er au 3 décembre 2023 => 2023-12-01..2023-12-03
du 20 au 22 mars 2024 => 2024-03-20..2024-03-22
du 4 au 6 juin => 2024-06-04..2024-06-06
Du 16 au 17 novembre 2023 => 2023-11-16..2023-11-17
du 16 novembre au 17 novembre => 2023-11-16..2023-11-17
Du 6 au 10/11/2023 => 2023-11-06..2023-11-10
du 6/11 au 10/11 => 2023-11-06..2023-11-10
Du 06/11/2023 au 10/11/2023 => 2023-11-06..2023-11-10
du 06.11.2023 au 10.11.2023 => 2023-11-06..2023-11-10
31/10/2023-03/11/2023 => 2023-10-31..2023-11-03
15-11-2023 - 17-11-2023 => 2023-11-15..2023-11-17
Semaine du 13 au 17 novembre : ateliers ouverts => 2023-11-13..2023-11-17
du mardi 14 au jeudi 16 novembre 2023 => 2023-11-14..2023-11-16
14 au 16 nov. 2023 => 2023-11-14..2023-11-16

## ranges across months and years
@ reference 2023-10-02
du 30 novembre au 2 décembre => 2023-11-30..2023-12-02
Du 30 novembre au 2 décembre, Montpellier => 2023-11-30..2023-12-02
du 30 au 2 décembre => 2023-11-30..2023-12-02
Du 27 octobre au 4 novembre 2023 => 2023-10-27..2023-11-04
du jeudi 30 novembre au samedi 2 décembre 2023 => 2023-11-30..2023-12-02
du 28 décembre 2025 au 3 janvier 2026 => 2025-12-28..2026-01-03
Du 28 décembre au 3 janvier => 2023-12-28..2024-01-03
du 28 décembre au 3 janvier 2024 => 2023-12-28..2024-01-03
du 29/12/2023 au 02/01/2024 => 2023-12-29..2024-01-02
du 15 octobre 2023 au 15 mars 2024 => 2023-10-15..2024-03-15
du 25 nov. au 3 déc. => 2023-11-25..2023-12-03
Du 29 février au 2 mars 2024 => 2024-02-29..2024-03-02
du 31 janvier au 2 février => 2024-01-31..2024-02-02

## open ranges
@ reference 2023-10-02
jusqu'au 30 novembre => 2023-10-02..2023-11-30 !open_start
Exposition visible jusqu’au 15 décembre 2023 => 2023-10-02..2023-12-15 !open_start
à partir du 1er décembre => 2023-12-01 !open_end
À partir du 4 novembre 2023 => 2023-11-04 !open_end
dès le 6 novembre => 2023-11-06 !open_end
Le 4 novembre à partir de 18h => 2023-11-04 18:00
jeudi 16 novembre dès 9h => 2023-11-16 09:00

## lists of days
@ reference 2023-10-02
les 22 et 23 novembre => 2023-11-22..2023-11-23
Les 22 et 23 novembre 2023 => 2023-11-22..2023-11-23
les 4, 5 et 6 juin => 2024-06-04..2024-06-06
les 16, 17 et 18 novembre => 2023-11-16..2023-11-18
Les 16, 17 et 18 novembre 2023 à Nantes => 2023-11-16..2023-11-18
1er et 2 décembre => 2023-12-01..2023-12-02
les 1er et 2 décembre 2023 => 2023-12-01..2023-12-02
samedi 10 et dimanche 11 octobre => 2023-10-10..2023-10-11 !weekday_mismatch
@ reference 2020-09-01
samedi 10 et dimanche 11 octobre => 2020-10-10..2020-10-11
@ reference 2023-10-02
samedi 14 et dimanche 15 octobre => 2023-10-14..2023-10-15
Lundi 20, mardi 21 et mercredi 22 novembre => 2023-11-20..2023-11-22
les 30 novembre et 1er décembre => 2023-11-30..2023-12-01
le 30 novembre et le 1er décembre 2023 => 2023-11-30..2023-12-01
les 14 et 15/11 => 2023-11-14..2023-11-15
Les 14 & 15 novembre => 2023-11-14..2023-11-15
les 7, 14 et 21 novembre => 2023-11-07..2023-11-21
jeudi 9 et vendredi 10 novembre 2023 => 2023-11-09..2023-11-10

## numeric dates
@ reference 2023-10-02
15/11/2023 => 2023-11-15
15/11/23 => 2023-11-15
le 15/11/2023 => 2023-11-15
Le 15/11 => 2023-11-15
le 9/11 => 2023-11-09
Samedi 25/11 => 2023-11-25
samedi 25/11 de 10h à 18h => 2023-11-25 10:00-18:00
15.11.2023 => 2023-11-15
15.11.23 => 2023-11-15
le 14.11 à 18h => 2023-11-14 18:00
Mardi 14.11 => 2023-11-14
Tarif : 12.10 € => -
15-11-2023 => 2023-11-15
05/01/2024 => 2024-01-05
01/12/2023 => 2023-12-01
Mer. 08/11/2023 => 2023-11-08
mercredi 08/11/2023 => 2023-11-08
Date limite : 30/10/2023 => 2023-10-30
Publié le 12/10/2023 => 2023-10-12
@ reference 2021-10-01
15.11.21 => 2021-11-15
le 15/11/21 à 14h => 2021-11-15 14:00

## ISO dates and datetimes
@ reference 2023-10-02
2023-11-15 => 2023-11-15
2023-11-15T09:30 => 2023-11-15 09:30
2023-11-15T09:30:00 => 2023-11-15 09:30
2023-11-15T09:30:00+01:00 => 2023-11-15 09:30
2023-11-15T08:30:00Z => 2023-11-15 09:30
2023-11-15T08:30:00.000Z => 2023-11-15 09:30
2023-06-15T07:30:00Z => 2023-06-15 09:30
2023-11-15 18:00 => 2023-11-15 18:00
2023-11-15T18:00:00+0100 => 2023-11-15 18:00
2023-11-15T09:30:00+01:00 / 2023-11-15T12:00:00+01:00 => 2023-11-15 09:30-12:00
2023-11-15T09:00:00+01:00 - 2023-11-17T17:00:00+01:00 => 2023-11-15..2023-11-17 09:00-17:00
2023-03-26T01:30:00Z => 2023-03-26 03:30
2023-10-29T00:30:00Z => 2023-10-29 02:30
2023-10-29T01:30:00Z => 2023-10-29 02:30

## times
@ reference 2023-10-02
Le 14 novembre à 9h => 2023-11-14 09:00
le 14 novembre à 9h30 => 2023-11-14 09:30
le 14 novembre à 9 h 30 => 2023-11-14 09:30
le 14 novembre à 09:30 => 2023-11-14 09:30
le 14 novembre à 14H => 2023-11-14 14:00
le 14 novembre, 14H30 => 2023-11-14 14:30
le 14 novembre 2023 ,9h30-12h => 2023-11-14 09:30-12:00
le 14 novembre à 14 heures => 2023-11-14 14:00
le 14 novembre à 18h00 => 2023-11-14 18:00
Le jeudi 23 novembre de 14h à 17h => 2023-11-23 14:00-17:00
Jeudi 16 novembre 2023 à 18h30 => 2023-11-16 18:30
Mardi 14 novembre 2023 | 9h30 - 12h => 2023-11-14 09:30-12:00
Mardi 14 novembre 2023 | 9h30-12h => 2023-11-14 09:30-12:00
14/11/2023 - 09:30 => 2023-11-14 09:30
14/11/2023 09:30 => 2023-11-14 09:30
14/11/2023 de 09:30 à 12:00 => 2023-11-14 09:30-12:00
mercredi 8 novembre 2023 - 18:00 - 20:00 => 2023-11-08 18:00-20:00
mercredi 8 novembre 2023, 18:00 – 20:00 => 2023-11-08 18:00-20:00
Le 4 novembre de 9h à 12h30 en visio => 2023-11-04 09:00-12:30
le 4 novembre, 9h-17h => 2023-11-04 09:00-17:00
le 4 novembre de 10 à 12h => 2023-11-04 10:00-12:00
le 4 novembre de 10h à 12h => 2023-11-04 10:00-12:00
le 4 novembre de 10 h à 12 h => 2023-11-04 10:00-12:00
le 4 novembre, 10h00 à 12h00 => 2023-11-04 10:00-12:00
le 4 novembre entre 14h et 16h => 2023-11-04 14:00-16:00
le 4 novembre à midi => 2023-11-04 12:00
le 4 novembre de midi à 14h => 2023-11-04 12:00-14:00
le 4 novembre de 12h à 14h => 2023-11-04 12:00-14:00
le 4 novembre de 9h à 12h et de 14h à 17h => 2023-11-04 09:00-12:00
le 4 novembre, à partir de 14 h et jusqu'à 18 h 30 => 2023-11-04 14:00-18:30
le 4 novembre, galerie ouverte de 10h à 12h 30 et de 14h à 18h => 2023-11-04 10:00-12:30
le 4 novembre, 9h30/12h => 2023-11-04 09:30-12:00
Vendredi 17 novembre 2023 de 18h à minuit => 2023-11-17..2023-11-18 18:00-00:00 !overnight
samedi 18 novembre de 22h à 2h => 2023-11-18..2023-11-19 22:00-02:00 !overnight
Le 4 novembre 2023\nHoraires : 14h00 – 17h00 => 2023-11-04 14:00-17:00
Date : 18 novembre 2023\nHoraires : 14h00 – 17h00 => 2023-11-18 14:00-17:00
Jeudi 16 novembre 2023\n18h – 20h => 2023-11-16 18:00-20:00
16 novembre 2023 @ 18h30 => 2023-11-16 18:30
16 novembre 2023 @ 9h00 - 17h00 => 2023-11-16 09:00-17:00
18h30 - Jeudi 16 novembre 2023 => 2023-11-16 18:30
de 9h à 17h, le 4 novembre => 2023-11-04 09:00-17:00
À 18h30, le jeudi 16 novembre => 2023-11-16 18:30
Le mardi 14 novembre 2023 de 9h30 à 12h30 (accueil café à 9h) => 2023-11-14 09:30-12:30
Le 14 novembre 2023 à 18h30. Durée : 2h => 2023-11-14 18:30
le 14 novembre 2023 à 20h, durée 1:30 => 2023-11-14 20:00

## times attached to the right day
@ reference 2023-10-02
Du 15 novembre 2023 à 9h au 17 novembre 2023 à 17h => 2023-11-15..2023-11-17 09:00-17:00
du 15 novembre à 9h au 17 novembre à 17h => 2023-11-15..2023-11-17 09:00-17:00
14 novembre 2023 @ 9h00 - 15 novembre 2023 @ 17h00 => 2023-11-14..2023-11-15 09:00-17:00
30 novembre 2023 à 14h00 – 30 novembre 2023 à 17h00 => 2023-11-30 14:00-17:00
15/11/2023 09:00 - 17/11/2023 17:00 => 2023-11-15..2023-11-17 09:00-17:00
du lundi 6 au vendredi 10 novembre, de 9h à 17h => 2023-11-06..2023-11-10 09:00-17:00
les 22 et 23 novembre de 9h à 17h => 2023-11-22..2023-11-23 09:00-17:00
Le 14 novembre à 9h et le 16 novembre à 14h => 2023-11-14..2023-11-16 09:00
le 14 novembre de 9h à 12h et le 15 novembre de 14h à 17h => 2023-11-14..2023-11-15 09:00-12:00
Mardi 14 novembre 2023 de 9h30 à 12h – Mercredi 15 novembre 2023 de 14h à 17h => 2023-11-14..2023-11-15 09:30-17:00
Le 14 novembre de 9h à 12h - 15 participants maximum => 2023-11-14 09:00-12:00
Le 12 novembre 2023 de 9h à 12h, puis le 19 novembre de 9h à 12h => 2023-11-12..2023-11-19 09:00-12:00
Atelier le 14 novembre à 9h, réunion le 16 novembre à 14h => 2023-11-14 09:00

## labels, widgets and traps around times
@ reference 2023-10-02
Date : 23/11/2023\nHeure de début : 14h00\nHeure de fin : 17h00 => 2023-11-23 14:00-17:00
Début : 14h - Fin : 17h, le 4 novembre => 2023-11-04 14:00-17:00
le 4 novembre 2023, de 14 à 16 heures => 2023-11-04 14:00-16:00
Le 14 novembre 2023 de 9 heures à 12 heures => 2023-11-14 09:00-12:00
le 14 novembre après-midi => 2023-11-14
Région Midi-Pyrénées, le 14 novembre => 2023-11-14
12 décembre 2023 - 2h de formation => 2023-12-12
Le 4 novembre en visio. Inscription avant 12h le 2 novembre. => 2023-11-04
Le 14 novembre 2023 à 9h30 jusqu'à 12h => 2023-11-14 09:30-12:00
le 16 novembre 2023 de 9h à 12h30 puis de 14h à 17h => 2023-11-16 09:00-12:30
Mardi 14 novembre 2023 9:30 AM - 2:00 PM => 2023-11-14 09:30-14:00
14 novembre 2023 @ 9 h 30 min - 12 h 00 min => 2023-11-14 09:30-12:00
Du jeudi 9 novembre 14h au vendredi 10 novembre 12h => 2023-11-09..2023-11-10 14:00-12:00
Webinaire | 21.11.2023 | 11h-12h => 2023-11-21 11:00-12:00
Mercredi\n22\nnovembre\n2023 => 2023-11-22
14 novembre 2023 à 18 h 30 => 2023-11-14 18:30
Exposition du 6 au 30 novembre, du mardi au samedi de 10h à 18h => 2023-11-06..2023-11-30 10:00-18:00

## month only
@ reference 2023-10-02
Novembre 2023 => 2023-11-01..2023-11-30 !month_only
novembre 2023 => 2023-11-01..2023-11-30 !month_only
En décembre 2023 => 2023-12-01..2023-12-31 !month_only
février 2024 => 2024-02-01..2024-02-29 !month_only
Mois de l'ESS - novembre 2023 => 2023-11-01..2023-11-30 !month_only
NOVEMBRE 2023 | 14 novembre : forum => 2023-11-14

## year choice: nearest on or after the reference
@ reference 2023-11-20
le 25 novembre => 2023-11-25
le 15 novembre => 2024-11-15
le 20 novembre => 2023-11-20
du 18 au 22 novembre => 2023-11-18..2023-11-22
le 10 janvier => 2024-01-10
le 31 décembre => 2023-12-31
@ reference 2023-12-20
le 10 janvier => 2024-01-10
le 5 décembre => 2024-12-05
du 28 décembre au 3 janvier => 2023-12-28..2024-01-03
@ reference 2024-02-01
le 29 février => 2024-02-29
@ reference 2024-03-10
le 29 février => 2028-02-29

## weekday picks the year
@ reference 2023-11-20
jeudi 16 novembre => 2023-11-16
jeudi 16 novembre à 18h30 => 2023-11-16 18:30
samedi 18 novembre => 2023-11-18
mardi 14 novembre => 2023-11-14
samedi 16 novembre => 2024-11-16
@ reference 2021-10-15
jeudi 4 novembre => 2021-11-04
@ reference 2022-01-05
jeudi 4 novembre => 2021-11-04
vendredi 5 novembre => 2021-11-05
@ reference 2023-10-02
jeudi 15 novembre => 2023-11-15 !weekday_mismatch
Mardi 15 novembre 2023 => 2023-11-15 !weekday_mismatch
lundi 6 novembre 2023 => 2023-11-06

## past tense points backwards
@ reference 2023-10-02
La conférence s'est tenue le 14 septembre à Lyon. => 2023-09-14 !past_tense
Le forum s'est déroulé le 5 octobre. => 2022-10-05 !past_tense
La rencontre du 14 juin a réuni 80 personnes. => 2023-06-14 !past_tense
Le 21 septembre, le collectif a réuni ses membres. => 2023-09-21 !past_tense
Retour sur la journée du 3 juillet => 2023-07-03 !past_tense
Le 14 septembre dernier, les coopératives étaient réunies à Lyon. => 2023-09-14 !past_tense
le 14 novembre dernier => 2022-11-14 !past_tense
Le forum, qui a réuni 300 personnes l'an dernier, revient le 14 novembre. => 2023-11-14
Après une première édition qui s'est tenue à Lille il y a deux ans, le salon aura lieu les 6 et 7 juin. => 2024-06-06..2024-06-07
L'assemblée générale a eu lieu le 22 juin à Rennes. => 2023-06-22 !past_tense
L'assemblée générale aura lieu le 22 juin à Rennes. => 2024-06-22
La journée s'est tenue le 14 septembre 2022. => 2022-09-14

## overseas time zones and daylight saving (wall-clock times stay as written)
@ reference 2023-10-02
le 14 novembre de 9h à 12h => 2023-11-14 09:00-12:00
le 26 mars de 9h à 12h => 2024-03-26 09:00-12:00

## relative dates (dateparser fallback)
@ reference 2023-11-15
demain => 2023-11-16 !dateparser
demain à 18h => 2023-11-16 18:00 !dateparser
aujourd'hui à 14h => 2023-11-15 14:00 !dateparser
après-demain => 2023-11-17 !dateparser
samedi prochain => 2023-11-18 !dateparser
ce samedi de 10h à 12h => 2023-11-18 10:00-12:00 !dateparser

## weekday alone, read against the reference day (Wednesday 15 November 2023)
@ reference 2023-11-15
Vendredi à 20h30, concert à la salle des fêtes. => 2023-11-17 20:30 !relative
Rendez-vous dimanche au jardin partagé pour les plantations. => 2023-11-19 !relative
La braderie a été organisée ce samedi malgré la pluie. => 2023-11-11 !relative !past_tense
Mardi dernier, l'atelier a réuni quinze personnes. => 2023-11-14 !past_tense
Mercredi dernier, les bénévoles étaient au marché. => 2023-11-08 !past_tense
Le marché de Noël se tiendra vendredi, samedi et dimanche sur la place. => 2023-11-17..2023-11-19 !relative
Ouvert du mardi au samedi, de 10h à 18h, à la boutique solidaire. => -
Les permanences ont lieu le samedi matin à la mairie du village. => -
Inscriptions à renvoyer avant vendredi au secrétariat de l'association. => -
Les séances ont lieu tous les jeudis à la maison de quartier. => -
Les ateliers ont lieu aujourd'hui et demain à la maison de quartier. => 2023-11-15..2023-11-16 !dateparser
Ce lundi a été inaugurée la quinzaine. Toute la semaine et jusqu'à dimanche, les écoles sont accueillies. => 2023-11-13..2023-11-19 !relative !past_tense
Visite guidée de la forge samedi et dimanche à 15h. => 2023-11-18..2023-11-19 15:00 !relative
Portes ouvertes samedi 14h-18h et dimanche 10h-12h à la chapelle. => 2023-11-18..2023-11-19 14:00-18:00 !relative
@ reference 2020-11-15
Cycle de conférences\n\ndimanche 15 novembre 2020, par la rédaction\n\nLes conférences ont lieu le vendredi de 15h à 17h à la médiathèque.\n- Vendredi 8 janvier : l'histoire du quartier => 2021-01-08 15:00-17:00
@ reference 2019-06-21
Le 21/06/2019 | Par la rédaction\nLa ville reporte les animations prévues aujourd'hui et demain. => 2019-06-21..2019-06-22 !dateparser
@ reference 2023-11-18
La fête du quartier commence ce samedi soir sur la place. => 2023-11-18 !relative
Belle soirée hier à la médiathèque pour la projection-débat. => 2023-11-17 !relative
Les stands ouvriront demain dimanche dès 9h sur le port. => 2023-11-19 09:00 !dateparser

## the page's publication date is not the event's
@ reference 2022-03-10
Publié le 10 mars 2022\nLe forum des associations aura lieu le 2 avril. => 2022-04-02
jeudi 10 mars 2022\nRéunion publique le mardi 22 mars à 18h à la mairie. => 2022-03-22 18:00
10/03/2022 par la rédaction\nLa collecte de jouets s'est tenue le 5 mars. => 2022-03-05 !past_tense
Posté le 10/03/2022 à 16:45 - concert le 2 avril à 20h => 2022-04-02 20:00
10/03/22 : la ressourcerie ouvre ses portes le 26 mars => 2022-03-26
Samedi 12 mars 2022\nAtelier vélo\nDimanche 13 mars 2022\nRandonnée => 2022-03-12
jeudi 10 mars 2022\nVisite de la ferme à 14h => 2022-03-10 14:00
Par la rédaction - Publié le 10 mars 2022 à 17:11\nLes stands ouvriront demain à partir de 8h30. => 2022-03-11 08:30 !dateparser

## the hours of the day, wherever the text gives them
@ reference 2023-10-02
Entre 10 heures et 18 heures, ce samedi 14 octobre, le forum accueille le public. => 2023-10-14 10:00-18:00
Dès l'ouverture, à 18 heures, ce vendredi 13 octobre, la buvette sera prête. => 2023-10-13 18:00
La randonnée aura lieu dimanche 15 octobre. Les bénévoles tiendront le stand des inscriptions et la buvette toute la journée.\nRendez-vous à partir de 9 heures au foyer municipal. => 2023-10-15 09:00
Le salon revient le 18 novembre. Toutes les animations du 18 novembre se tiendront au gymnase de 9h30 à 22h30. => 2023-11-18 09:30-22:30
Publié le 02/10/2023 - 07:27\nMis à jour le 02/10/2023 - 08:36\nLe troc revient ce dimanche 8 octobre 2023. => 2023-10-08

## spans written in two places, moved events
@ reference 2023-10-02
Depuis le 5 novembre et jusqu'au 26 novembre, la médiathèque projette des films. => 2023-11-05..2023-11-26
Dès le 17 octobre, et jusqu'au 2 novembre, une installation occupe le hall. => 2023-10-17..2023-11-02
Depuis ce lundi 2 octobre, le marché bat son plein sous la halle. La vente se poursuit jusqu'au 7 octobre. => 2023-10-02..2023-10-07
Depuis lundi 25 septembre, le nouveau bureau est en place. Samedi 7 octobre, il présentera son programme. => 2023-10-07
Début : 2023-10-14 12:00:00\nFin : 2023-10-15 => 2023-10-14..2023-10-15 12:00
01/11/2023\n08/11/2023\nEn ligne => 2023-11-01..2023-11-08
Mercredi 15 novembre\nLe salon ouvre ses portes du 15 au 18 novembre. => 2023-11-15..2023-11-18
Prévue le 13 juin, l'assemblée a été reportée au 17 octobre. => 2023-10-17 !postponed
La fête, initialement prévue le 14 juillet, est reportée au 19 septembre. => 2024-09-19 !postponed
La fête de la musique est prévue le 21 juin sur la place. => 2024-06-21
@ reference 2023-11-15
Les portes ouvertes ont lieu ce week-end à la ressourcerie. => 2023-11-18..2023-11-19 !relative
Le café des enfants ouvre ce mercredi, vendredi et ce week-end. => 2023-11-15..2023-11-19 !relative

## days without their month, parts of one event, a paragraph's tense
@ reference 2010-05-21
Cette année, le salon se déroule sur deux jours, dimanche 23 et lundi 24, sur le site de l'expo. => 2010-05-23..2010-05-24
@ reference 2024-02-01
Du 2 et 3 mars et ensuite du 9 au 10 mars 2024, la commune organise son salon. => 2024-03-02..2024-03-10
@ reference 2017-07-03
Certes, on a connu mieux en matière de météo. Mais avec les averses, samedi, on peut avancer que cela aurait pu être pire. => 2017-07-01 !relative !past_tense
Le vide-grenier revient. Samedi dès 7h, les exposants s'installent sur la place. => 2017-07-08 07:00 !relative

## a year alone on its line heads the dates below it; a programme of days is one span
@ reference 2019
Année 2018\n5 décembre : débat sur le féminisme avec l'autrice => 2018-12-05
2024\n12 avril - Tours (37)\n8 juin - Blois (41) => 2024-04-12
@ reference 2017-09-20
- 27 septembre : atelier jeux\n- 4 octobre : sortie au parc\n- 11 octobre : art textile => 2017-09-27..2017-10-11
- 27 septembre : atelier jeux\n- 4 octobre : sortie au parc => 2017-09-27

## lengths of time are not hours; a span's hours stay together
@ reference 2024-10-01
Samedi 12 octobre 2024, départ 9h30. Durée maximale 2h. => 2024-10-12 09:30
Le 4 et 5 juillet, séances d'1h30 à la plage => 2025-07-04..2025-07-05
Stage le 4 juillet d'11h à 12h => 2025-07-04 11:00-12:00
@ reference 2025-10-16
Depuis ce lundi 13 octobre, le marché bat son plein. Il se tient jusqu'au 18 octobre, de 6h à 15h. => 2025-10-13..2025-10-18 06:00-15:00

## a past report beside an announcement: the announced date
@ reference 2018-06-27
La saison a été dévoilée le 14 juin. L'ouverture sera donnée le 20 septembre. => 2018-09-20
La saison a été dévoilée le 14 juin. => 2018-06-14 !past_tense

## reference known to its year or month only
@ reference 2021
le 30 novembre dernier => 2021-11-30 !past_tense
Le 10 décembre 2021 se tiendra le congrès => 2021-12-10
le 3 février => 2021-02-03 !year_guessed
Le 14 janvier s'est tenue l'assemblée => 2021-01-14
samedi 13 mars => 2021-03-13
du 28 décembre au 3 janvier => 2021-12-28..2022-01-03
demain à 18h => -
le 5 mai 2019 => 2019-05-05
@ reference 2017
Cette année encore, la foule a répondu présent ce jeudi 8 décembre. => 2016-12-08
@ reference 2024-02
le 12 février => 2024-02-12
le 28 janvier => 2025-01-28
le 28 janvier dernier => 2024-01-28 !past_tense

## not a date
@ reference 2023-10-02
Durée 22:00 => -
Durée : 2h => -
du mardi au samedi => -
Du lundi au vendredi en ligne => -
du mardi au samedi de 10h à 18h => -
Ouvert du lundi au vendredi, 9h-12h / 14h-17h => -
Horaires : 14h00 – 17h00 => -
18h – 20h => -
10h00 à 12h00 => -
Tél. 01 23 45 67 89 => -
Tél : 05.61.22.33.44 => -
06 12 34 56 78 => -
+33 5 61 00 00 00 => -
Plan régional 2021-2025 => -
PNAD 2021-2025 => -
Édition 4 (2019-2020) => -
En 2020, 238 structures ont candidaté => -
Créée en 2015 => -
un salon de 2 200 m2 => -
dotation de 1000€ => -
24h/24 et 7j/7 => -
une 1/2 journée de formation => -
3/4 des participants => -
Ouvert 24/7 => -
le 12 => -
Samedi => -
Tous les mardis => -
version 2.11.3 => -
score 3:1 => -
31 novembre 2023 => -
30 février => -
Rencontre conviviale => -
 => -
8 ateliers thématiques => -
12 rue de la République, 34000 Montpellier => -
janv. 12 => -
les sept jours de la semaine => -

## long texts: the first date wins
@ reference 2023-10-02
Forum des achats responsables\nLe 23 novembre, Candillargues\nInscription avant le 15 novembre => 2023-11-23
Atelier créer son entreprise coopérative\nJeudi 16 novembre 2023\n9h30 - 12h30\nLieu : Maison de l'ESS => 2023-11-16 09:30-12:30
Webinaire « Financer son projet » : mardi 21 novembre de 11h à 12h, en ligne. => 2023-11-21 11:00-12:00
Ciné-débat le 24 novembre 2023 à 20h au cinéma Le Royal, suivi d'un échange. => 2023-11-24 20:00
Café-rencontre des entrepreneurs de l'ESS • Vendredi 10 novembre • 8h30-10h => 2023-11-10 08:30-10:00
Portes ouvertes : samedi 18 novembre, de 10h à 17h. Entrée libre. => 2023-11-18 10:00-17:00
Le salon se tiendra les 6 et 7 décembre 2023 au parc des expositions. => 2023-12-06..2023-12-07
Date et heure : 07/12/2023 - 14:00 à 16:30 => 2023-12-07 14:00-16:30
Quand ? Le mercredi 29 novembre 2023, de 14h à 17h30 => 2023-11-29 14:00-17:30
Journée d'étude le 5 décembre 2023 de 9h15 à 16h45 => 2023-12-05 09:15-16:45
Remise des trophées : le 30 novembre 2023 à 18h30, à l'Hôtel de Région => 2023-11-30 18:30
Formation « Gouvernance partagée » les 27 et 28 novembre 2023 (9h-17h) => 2023-11-27..2023-11-28 09:00-17:00
Inscription obligatoire avant le 10 novembre. Atelier le 14 novembre. => 2023-11-14
Inscriptions jusqu'au 10 novembre. Atelier le 14 novembre à 9h. => 2023-11-14 09:00
Date limite d'inscription : 10/11/2023\nDate de l'atelier : 14/11/2023 de 9h à 12h => 2023-11-14 09:00-12:00
Sur inscription, le 14 novembre à 9h => 2023-11-14 09:00
Candidatures jusqu'au 30 novembre 2023 => 2023-10-02..2023-11-30 !deadline
Depuis la loi du 31 juillet 2014, l'ESS a un cadre. Rencontre le 14 novembre 2023 à 18h. => 2023-11-14 18:00
Décret n° 2015-858 du 13 juillet 2015 => 2015-07-13 !legal_reference
Mardi 7 novembre 2023 | 14h00 - 17h00 | Lyon 7e => 2023-11-07 14:00-17:00
Du 6 au 30 novembre, exposition « L'ESS en images » à la médiathèque => 2023-11-06..2023-11-30

## days and years written in words (minutes, formal notices)
@ reference 2023-10-02
Réunion publique le vingt-deux novembre à la mairie => 2023-11-22
Le trente et un décembre, réveillon solidaire => 2023-12-31
Assemblée le dix huit novembre => 2023-11-18
Atelier le premier décembre => 2023-12-01
Deux ateliers, trois intervenants, quatre heures de débat => -
@ reference 2021-03-15
L'an deux mille vingt et un, le neuf mars, le bureau s'est réuni en séance => 2021-03-09
L'an deux mille dix-neuf, le douze février, le conseil d'administration s'est tenu => 2019-02-12

## the page's own day said again in its title, before other days
@ reference 2023-10-03
Programme du 3 octobre\n\nmardi 3 octobre 2023\npar la rédaction\n\nStage de poterie jeudi 12 octobre => 2023-10-12
Lettre du 3 octobre\n\nmardi 3 octobre 2023 par Paul\n\nvendredi et samedi, marché de producteurs => 2023-10-06..2023-10-07
Le 3 octobre\nmardi 3 octobre 2023 par Paul\nConférence le 3 octobre à 18h => 2023-10-03 18:00

## a weekday every week of a named month: first to last such day
@ reference 2023-10-02
Projection en plein air tous les vendredis du mois de novembre => 2023-11-03..2023-11-24
Marché nocturne chaque samedi de décembre => 2023-12-02..2023-12-30
Balades contées les mercredis d'avril => 2024-04-03..2024-04-24
Visites guidées tous les dimanches de juillet et d'août 2024 => 2024-07-07..2024-08-25
Permanence tous les lundis de 14h à 17h => -
@ reference 2019
Concerts gratuits tous les jeudis du mois de juin => 2019-06-06..2019-06-27

## a day alone on the first line dates the page when its day is unknown
@ reference 2022
Mardi 14 juin\n\nActualités\n\nLa braderie se tiendra les 3 et 4 septembre. => 2022-09-03..2022-09-04
lundi 9 mai 2022\nAccueil > Sorties\nRandonnée gourmande ce dimanche 15 mai. => 2022-05-15
Mardi 14 juin\nConcert de la chorale à l'église, entrée libre. => 2022-06-14
Samedi 2 juillet à 15h\nKermesse de l'école, repli au gymnase le 3 juillet. => 2022-07-02 15:00
14 juin\n\nFête de l'été, puis bal le 25 juin. => 2022-06-14
Samedi 2 juillet\nKermesse de l'école. Inscriptions avant le 20 juin. => 2022-07-02

## "le" + weekday + its hour in a sentence in the future: one coming day
@ reference 2023-10-04
Les associations seront présentes, avec le samedi à 15 heures un goûter partagé. => 2023-10-07 15:00
La fanfare animera la place le vendredi à 20h30. => 2023-10-06 20:30
La chorale répète le mardi à 20h à la salle paroissiale. => -
Les séances seront proposées chaque semaine, le jeudi à 18h. => -
La chorale se retrouve le mardi à 20h à l'Opéra. => -
Le club de lecture se tiendra le jeudi à 18h30 à la bibliothèque. => 2023-10-05 18:30

## "ce week-end" when only the page's year is known: the weekend of the Friday-Sunday it writes
@ reference 2021
La fête du village revient ce week-end. Ouverture ce vendredi 10 septembre avec un bal. => 2021-09-10..2021-09-12
Ce week-end, vide-greniers géant : rendez-vous samedi 11 septembre dès 7h. => 2021-09-11..2021-09-12 07:00
Le carnaval défilera ce week-end dans les rues. => -

## a date in an opening "Après …," clause names what came before
@ reference 2023-10-02
Après le succès de la journée portes ouvertes du 14 octobre, le jardin accueille une bourse aux plantes le 28 octobre. => 2023-10-28
Après la clôture du festival samedi 21 octobre, l'équipe prépare la soirée du 18 novembre. => 2023-11-18
Après la conférence du 12 octobre, un apéritif sera servi. => 2023-10-12
Le 12 octobre, après la conférence, rendez-vous au foyer le 13 octobre. => 2023-10-12

## a day said as the text's own ("ce samedi 5 août") over a date it refers to; else the first day
@ reference 2023-10-02
Dans l'esprit des grèves du 12 octobre, le collectif tient son marché solidaire ce samedi 21 octobre. => 2023-10-21 !this_day
Trois semaines après le 30 septembre, la ressourcerie rouvre en ce samedi 21 octobre à 10h. => 2023-10-21 10:00
Le 20 octobre la commune fête ses bénévoles. Samedi 21 octobre, troc de graines de 9h à 12h au jardin. => 2023-10-20
Le 12 novembre, assemblée générale à la mairie. Lundi 13 novembre, permanence au local. => 2023-11-12
Concert le 18 novembre à 20h30. Répétition ouverte au public jeudi 16 novembre. => 2023-11-18 20:30
Du 16 au 27 octobre, le festival investit la ville ; une balade contée aura lieu le samedi 21 octobre. => 2023-10-16..2023-10-27
La semaine des aînés se tient du 9 au 15 octobre ; les inscriptions sont ouvertes dès ce mercredi 4 octobre. => 2023-10-09..2023-10-15
Le 14 octobre 2023 de 10h à 20h, place du marché\n\nLe 21 octobre de 18h à 2h, au théâtre => 2023-10-14 10:00-20:00

## sessions: each day alone on its line with its hours, the lines between naming only the place
@ reference 2023-10-02
Le 14 octobre 2023 de 10h à 18h\nHalle aux grains – 31000\n\nLe 4 novembre de 14h à 23h\nSalle des fêtes => 2023-10-14..2023-11-04 10:00-18:00
Le 20 octobre de 21h à 2h\nCave coopérative\nLe 21 octobre de 10h à 17h\nPlace de la mairie => 2023-10-20..2023-10-21 21:00-02:00
Samedi 14 octobre\nAtelier couture\nDimanche 15 octobre\nBalade botanique => 2023-10-14
Le 14 octobre de 10h à 12h : atelier couture\nLe 15 octobre de 9h à 11h : balade botanique => 2023-10-14 10:00-12:00

## "ce week-end" refined by the days the text names within it (reference: Friday 13 October 2023)
@ reference 2023-10-13
Intempéries : les animations prévues ce week-end sont reportées. Le marché prévu aujourd'hui et demain n'aura pas lieu. => 2023-10-13..2023-10-14
Ce week-end, portes ouvertes de l'atelier ; rendez-vous dimanche à 10h. => 2023-10-15 10:00
Ce week-end, fête du quartier. Samedi prochain, braderie. => 2023-10-14..2023-10-15

## national days a reader dates without being told
@ reference 2023-10-02
Le kiosque accueillera la chorale pour la Fête de la musique. => 2024-06-21
Visites du moulin pendant les Journées européennes du patrimoine. => 2024-09-21..2024-09-22
Pendant les Journées du patrimoine, le moulin a été visité par 800 personnes. => 2023-09-16..2023-09-17 !past_tense
Pour la Fête de la musique, scène ouverte le 20 juin à 19h. => 2024-06-20 19:00
@ reference 2023
Les Journées européennes du patrimoine se dérouleront ce week-end dans tout le département. => 2023-09-16..2023-09-17
@ reference 2019-06
Fête de la musique : concerts sur la place. => 2019-06-21

## an event going on since an earlier day, or through the whole weekend (reference: Saturday 14 October 2023)
@ reference 2023-10-14
Ce samedi 14 octobre et pendant tout le week-end, la foire aux livres, débutée ce vendredi, continue sous la halle. => 2023-10-13..2023-10-15
La braderie, commencée jeudi, se poursuit ce samedi 14 octobre sur le parking. => 2023-10-12..2023-10-14
Le salon débute ce mercredi et accueille les écoles jeudi. => 2023-10-18
Vendredi 20 octobre et tout le week-end, portes ouvertes des ateliers d'artistes. => 2023-10-20..2023-10-22
Le salon, commencé le 10 octobre, se poursuit jusqu'au 22 octobre. => 2023-10-10..2023-10-22

## moves: the old day, then the new one
@ reference 2023-10-02
À cause du vent, la mairie a décidé de décaler la fête des lanternes du 14 octobre au samedi 21 octobre. => 2023-10-21 !postponed
La marche devait avoir lieu samedi 14 octobre. Elle se tiendra finalement dimanche 22 octobre. => 2023-10-22 !postponed
Le bal devait se tenir le 14 octobre ; il est reporté au 4 novembre. => 2023-11-04
La bourse aux jouets, reportée, aura lieu du 20 au 22 octobre. => 2023-10-20..2023-10-22
Finalement, la conférence aura lieu le 19 octobre à 18h. => 2023-10-19 18:00

## the page's own day, wherever it stands, is not the event's (reference: the page's day)
@ reference 2023-10-13
Quimper : la braderie solidaire revient demain\n\nPublié : 13 octobre 2023 à 7h05 par Anne Le Goff => 2023-10-14
- Le Télégramme - Le 13/10/23\nLa chorale chantera le dimanche 5 novembre, de 15 h à 17 h, à la chapelle. => 2023-11-05 15:00-17:00
Ouverture de la recyclerie à Morlaix\n\nPublié le 13 octobre 2023\n\nSamedi 21 octobre 2023 – centre-ville => 2023-10-21

## a session already held, in its own clause, gives way to the one to come
@ reference 2023-10-02
Le jardin ouvre ses portes deux fois : une visite s'est tenue le 30 septembre 2023 de 14 h à 17 h et une seconde est prévue samedi 14 octobre 2023 de 10 h à 12 h. => 2023-10-14 10:00-12:00
L'assemblée générale a eu lieu le 12 septembre 2023 ; le prochain conseil se réunira le 9 novembre 2023. => 2023-11-09
Le 12 septembre 2023, l'assemblée générale a élu son bureau. => 2023-09-12

## a span said in two pieces: a first day and its end, its length, or the first and last of a series
@ reference 2023-10-02
Ce vendredi 6 octobre, la foire bio a ouvert ses portes au parc. Jusqu'au dimanche 8 octobre, producteurs et artisans y sont présents. => 2023-10-06..2023-10-08
Le festival du conte démarre le jeudi 19 octobre pour quatre jours. => 2023-10-19..2023-10-22
La semaine du goût débute ce lundi 9 octobre. Pendant sept jours, les cantines proposent des menus du terroir. => 2023-10-09..2023-10-15
Les permanences ont lieu tous les mardis de 17h à 19h. La première aura lieu le mardi 10 octobre 2023 et la dernière le mardi 19 décembre 2023. => 2023-10-10..2023-12-19 17:00-19:00
Le marché de producteurs se tiendra tous les samedis des mois de novembre et décembre. => 2023-11-04..2023-12-30
Rendez-vous le 14 octobre ; inscriptions jusqu'au 10 octobre. => 2023-10-14
Le 14 octobre, l'association fête ses 20 ans. Le stage dure 3 jours. => 2023-10-14

## a brief's opening date dates the brief only when it could: one day, not after the page's
@ reference 2023-10-02
14 et 15 octobre : fête de la pomme au verger\n\nSAMEDI 14 :\n\npressage et dégustation => 2023-10-14..2023-10-15
28/09/23 : la fête de la pomme aura lieu le 14 octobre. => 2023-10-14

## sessions listed in one sentence, each with its place
@ reference 2023-10-02
Prochaines gratiferias : samedi 14 octobre à la maison de quartier, samedi 18 novembre au foyer rural et samedi 16 décembre à la médiathèque. => 2023-10-14..2023-12-16
La tournée passe le 12 octobre à la salle des fêtes et le 19 octobre au théâtre. => 2023-10-12..2023-10-19
La première réunion se tiendra le 12 octobre à la mairie, et la seconde le 19 octobre au foyer. => 2023-10-12

## a headline without a verb takes the tense of the text under it (reference: Friday 13 October 2023)
@ reference 2023-10-13
Grand nettoyage de la plage ce mercredi à Saint-Pierre\n\nIl s'agissait pour une centaine d'élèves de ramasser les déchets laissés par la marée. => 2023-10-11 !past_tense
Grand nettoyage de la plage ce mercredi à Saint-Pierre\n\nLes élèves ramasseront les déchets laissés par la marée. => 2023-10-18

## a season written with its year gives that year to its year-less dates after it
@ reference 2022
Le comité prépare une nouvelle bourse aux livres pour l'automne 2023. Elle aura lieu du 13 au 15 octobre. => 2023-10-13..2023-10-15
Au printemps 2023, le jardin a fermé. La fête des récoltes aura lieu le 15 octobre. => 2022-10-15

## a list's later days bring their own sessions' hours, not an end
@ reference 2023-10-02
Trois représentations : le 14 octobre à 16 heures et 20h30, et le 15 octobre à 15 heures. => 2023-10-14..2023-10-15 16:00
Du 14 octobre à 9h au 15 octobre à 17h => 2023-10-14..2023-10-15 09:00-17:00

## more of a reader's spans, stamps and hours (reference: Sunday 15 October 2023)
@ reference 2023-10-15
Troisième bourse aux vélos\n\nMise à jour : 2 octobre 2023\n\nSamedi 21 octobre 2023 aura lieu la bourse aux vélos. => 2023-10-21
Course solidaire à Vannes\n\n13/10/2023 | La course se tiendra le 22 octobre sur le port. => 2023-10-22
Démarré le 2 juin, le jardin éphémère restera ouvert jusqu'au 31 octobre. => 2023-06-02..2023-10-31
Deux collectes le lundi 16 octobre, de 8 h à 12 h, à la mairie, et le lendemain, de 14 h à 18 h, au gymnase. => 2023-10-16..2023-10-17 08:00-12:00
Réveillon solidaire la nuit de la Saint-Sylvestre à la salle des fêtes. => 2023-12-31
Depuis le 10 octobre, les chalets accueillent les visiteurs et resteront ouverts jusqu'au 24 décembre à 18h. => 2023-10-10..2023-12-24
Entre 9 et 16 heures, ce dimanche, 500 personnes sont passées par la gratiferia. => 2023-10-15 09:00-16:00
Atelier vélo ce mercredi de 14 à 17 heures au local. => 2023-10-18 14:00-17:00

## the frame of an event is not its date; a range does not outrank the first day written
@ reference 2023-10-02
À l'occasion de la Semaine du goût le 9 octobre 2023, la cantine ouvrira ses portes le samedi 14 octobre 2023 de 10h à 12h. => 2023-10-14 10:00-12:00
Agenda associatif du 9 au 21 octobre 2023\nMardi 10 octobre, 18h30 : réunion publique sur le compostage. => 2023-10-10 18:30
- Samedi 21 octobre 2023 de 19h à 22h\n- Lieu : médiathèque\nCette soirée a lieu dans le cadre du Mois du jeu (du 1er au 31 octobre). => 2023-10-21 19:00-22:00
Le 20/10/2023\nBalade contée au bourg. Les Journées de l'arbre se tiennent du 19 au 22 octobre. => 2023-10-20
Fête de la Bretagne : 17 > 26 / 05 / 2024 => 2024-05-17..2024-05-26

## hours as layouts and habits write them
@ reference 2023-10-02
Vendredi 20 octobre21hSalle des fêtes => 2023-10-20 21:00
Du samedi 14 octobre 2023 au dimanche 29 octobre 2023Du mercredi au vendredi : 13 h-18hSamedi et dimanche : 14h-18h => 2023-10-14..2023-10-29 13:00-18:00
Portes ouvertes samedi 21 octobre 14h18h. => 2023-10-21 14:00-18:00
Rendez-vous vendredi 20 octobre, à partir de 18.45 sur la place. => 2023-10-20 18:45
Tarif le 20 octobre : 12.50 € l'entrée. => 2023-10-20
24H pour l'emploi : mardi 24 octobre au gymnase. => 2023-10-24
Samedi 21 octobre de 20h à 24h, bal folk. => 2023-10-21..2023-10-22 20:00-00:00
Les conférences ont lieu les jeudis après-midi de 14 h 30 à 16 h.\nJeudi 19 octobre : l'eau en ville. => 2023-10-19 14:30-16:00
samedi 21 octobre 2023 à 16h\n\nDébat citoyen, de 16h à 17h, suivi d'un verre. => 2023-10-21 16:00-17:00

## the imparfait of a report (reference: Thursday 19 October 2023)
@ reference 2023-10-19
CONCOURS DE BELOTE : en ce lundi nous étions 60 à battre le carton ! => 2023-10-16 !past_tense

## an agenda's title and its own day in parentheses; another day's hours stay its own
@ reference 2023-10-08
Agenda militant du 9 au 21 octobre (8 octobre 2023)\nMardi 10 octobre, 18h30 : réunion publique. => 2023-10-10 18:30
Retrouvez dans notre agenda le concert du 14 octobre et la fête du 21 octobre. => 2023-10-14
Vendredi 13 octobre à 18h : apéro. Samedi 14 octobre de 18h à 23h : concert. => 2023-10-13 18:00

## a habit's hours go to the days on its weekday only
@ reference 2023-10-02
Exposition « Graines de quartier » : du 4 octobre au 30 novembre, visites guidées les vendredis à 10h. => 2023-10-04..2023-11-30
À partir du 6 octobre, le marché de producteurs se tiendra tous les vendredis, place de la Mairie, de 16 h à 19 h. => 2023-10-06 16:00-19:00

## the page's header day, timestamps and the years long past (reference: Saturday 14 October 2023)
@ reference 2023-10-14
samedi 14 octobre 2023\n\nLa fête de l'école\n\nCe vendredi, c'était la fête de l'école. Dès 14 heures, les familles sont arrivées. => 2023-10-13 !past_tense
[14/10/2023 10:12:45] LYON (AFP) Un forum de l'emploi en ligne se tiendra du 23 au 27 octobre. => 2023-10-23..2023-10-27
14.10.2023\n\nLa soirée du 30 septembre, au profit des sinistrés, fut une belle réussite. => 2023-09-30 !past_tense
Fondée le 12 mars 1998, l'association fêtera ses 25 ans le 28 octobre. => 2023-10-28
Cérémonie commémorative du 105e anniversaire de l'Armistice du 11 novembre 1918 au monument aux morts. => 2023-11-11 !anniversary
@ reference 2023
Ce week-end, c'était la fête des associations, le week-end du 16-17 septembre. => 2023-09-16..2023-09-17 !past_tense

## a programme's day headings with their first hours on the next line; an approximate frame
@ reference 2023-10-02
PROGRAMME\nSamedi 14 octobre\n10 h : table ronde\n14 h : visite\nDimanche 15 octobre\n10 h 30 : conférence => 2023-10-14..2023-10-15 10:00
Le point d'orgue aura lieu autour du 22 novembre 2023. À Vannes, rendez-vous le samedi 25 novembre à 11h. => 2023-11-25 11:00

## bylines, a day's hours before its slots, and a weekday's habit said with "du"
@ reference 2023-10-02
Rédigé par Anne Martin, le 2 oct. 2023, à 16 h 50 min\nCette semaine, du 2 au 8 octobre, se tient la Semaine de l'épargne solidaire. => 2023-10-02..2023-10-08
Édition 2023\n\nDimanche 15 octobre\n\nFête des plantes au parc du château\n\nde 10 h à 18 h\n\nAtelier greffe de 15 h à 17 h. => 2023-10-15 10:00-18:00
Ces conférences du mardi se dérouleront au cinéma à 15 heures.\nMardi 17 octobre 2023 : l'eau en ville. => 2023-10-17 15:00

## two days of one month written with a slash
@ reference 2023-10-02
Tournoi de pétanque\n\n21/22 octobre 2023\n\nParc des sports => 2023-10-21..2023-10-22
Les 14/15 octobre, grande braderie. => 2023-10-14..2023-10-15
Le 14/10 à 18h, réunion du bureau. => 2023-10-14 18:00

## a relative day between a header and an hour takes the hour; a ceremony's year long past
@ reference 2023-10-17
17 octobre 2023\nPour ses 20 ans, la maison ouvre ses portes demain, mercredi à partir de 18 heures. => 2023-10-18 18:00
Mardi 24 octobre 2023 – consignes\nLa distribution aura lieu le mardi dans l'après-midi, entre 16h00 et 17h30. => 2023-10-24 16:00-17:30
78e CÉRÉMONIE DU 11 NOVEMBRE 1918\nRassemblement devant le monument aux morts. => 2023-11-11 !anniversary
Du 21 au 31 octobre, le festival vous attend ; rendez-vous dès 18  heures. => 2023-10-21..2023-10-31 18:00
@ reference 2023
Marché de Noël (13–14 décembre 2023)\nIl se tiendra les 13 et 14 décembre, de 10 h à 17 h. => 2023-12-13..2023-12-14 10:00-17:00

## an event that goes on to a later day
@ reference 2023-10-02
La braderie commence le samedi 14 octobre. Elle se poursuivra le dimanche 15 octobre. => 2023-10-14..2023-10-15
Le festival ouvre le 12 octobre et se prolongera jusqu'au 22 octobre. => 2023-10-12..2023-10-22

## "ou" lists days too; a list's first day keeps its own end
@ reference 2023-10-02
L'exposition est ouverte le samedi 14 octobre à 10 h et jusqu'à 22h, ou le dimanche 15 octobre de 10 h à 20 h. => 2023-10-14..2023-10-15 10:00-22:00
Rendez-vous le 21 ou le 22 octobre selon la météo. => 2023-10-21..2023-10-22
Rencontre régionale, 29 septembre 2023\n\n2 oct. 2023\n\nRetour en images sur notre rencontre. => 2023-09-29

## a word typed twice between two hours
@ reference 2023-10-02
Samedi 21 octobre, vide-grenier de 7h à à 18h sur le parking. => 2023-10-21 07:00-18:00
Jeudi 19 octobre de 14h à à 16h30 => 2023-10-19 14:00-16:30
"""

_EXPECT = re.compile(
    r"^(?P<s>\d{4}-\d\d-\d\d)(?:\.\.(?P<e>\d{4}-\d\d-\d\d))?"
    r"(?: (?P<t0>\d\d:\d\d)(?:-(?P<t1>\d\d:\d\d))?)?(?P<flags>(?: ![a-z_]+)*)$"
)


def _cases() -> list[tuple[str, str, date | str, str]]:
    cases = []
    group, reference = "", date(2023, 10, 2)
    for line in TABLE.strip().splitlines():
        if line.startswith("## "):
            group = line[3:]
        elif line.startswith("@ reference "):
            value = line.split()[-1]
            reference = date.fromisoformat(value) if len(value) == 10 else value
        elif " => " in line or line.startswith("=> "):
            text, expected = line.rsplit("=> ", 1)
            cases.append((group, text.rstrip(" ").replace("\\n", "\n"), reference, expected.strip()))
    return cases


# References known to the day (what bench/dates.py compares with dateparser), and the others.
CASES = [case for case in _cases() if isinstance(case[2], date)]
PRECISION_CASES = [case for case in _cases() if not isinstance(case[2], date)]


def check(text: str, reference: date | str, expected: str) -> DateMention | None:
    """Assert that `text` parses to `expected` (table syntax); returns the mention. `reference` is a
    day, or a string of `parse_reference` (a year or a month alone)."""
    day, precision = parse_reference(reference) if isinstance(reference, str) else (reference, "day")
    got = main_mention(find_dates(text, reference=day, precision=precision))
    if expected == "-":
        assert got is None, f"{text!r} gave {got}"
        return None
    m = _EXPECT.match(expected)
    assert m is not None, f"bad table line {expected!r}"
    assert got is not None, f"{text!r} gave no date"
    start = date.fromisoformat(m["s"])
    end = date.fromisoformat(m["e"]) if m["e"] else start
    t0 = time.fromisoformat(m["t0"]) if m["t0"] else None
    t1 = time.fromisoformat(m["t1"]) if m["t1"] else None
    assert (got.start_date, got.end_date) == (start, end), f"{text!r}: {got}"
    assert (got.start_time, got.end_time) == (t0, t1), f"{text!r}: {got}"
    assert got.all_day is (t0 is None)
    for flag in m["flags"].split():
        assert flag[1:] in got.flags, f"{text!r}: {flag} missing from {got.flags}"
    assert got.text == text[got.span[0] : got.span[1]]
    return got


def test_table_is_large_and_grouped() -> None:
    assert len(CASES) >= 300
    assert len({group for group, *_ in CASES}) >= 12


@pytest.mark.parametrize(
    ("group", "text", "reference", "expected"), CASES, ids=[f"{g[:12]}:{t[:40]}" for g, t, _, _ in CASES]
)
def test_table(group: str, text: str, reference: date, expected: str) -> None:
    check(text, reference, expected)


@pytest.mark.parametrize(
    ("group", "text", "reference", "expected"), PRECISION_CASES, ids=[f"{r}:{t[:40]}" for _, t, r, _ in PRECISION_CASES]
)
def test_table_with_reference_of_year_or_month(group: str, text: str, reference: str, expected: str) -> None:
    check(text, reference, expected)


@pytest.mark.parametrize(
    ("text", "reference", "day"),
    [
        # a weekday alone after a day written in full is read against that day
        ("Samedi 23 février 2019 : arrivée sur l'île.\nDimanche, nous allons voir le défilé.", "2019-02-26",
         date(2019, 2, 24)),
        ("Le festival ouvre le vendredi 12 mai 2023 avec un concert. Samedi, ateliers pour les enfants.", "2023-04-01",
         date(2023, 5, 13)),
        # even when the page is known by its year only
        ("La fête commencera ce vendredi 2 septembre sur la place. Samedi, la randonnée partira de l'école.",
         "2022", date(2022, 9, 3)),
        # a publication date is no anchor: the weekday is read against the reference
        ("Publié le 12 mai 2023\nSamedi, atelier de réparation de vélos.", "2023-05-15", date(2023, 5, 20)),
    ],
)
def test_weekday_alone_after_a_written_day(text: str, reference: str, day: date) -> None:
    ref, precision = parse_reference(reference)
    mentions = find_dates(text, reference=ref, precision=precision)
    assert mentions[-1].start_date == day, mentions
