"""Held-out announcements, written in the style of CRESS agendas, scored as a whole (>= 95 %)."""

from __future__ import annotations

from pipelines.normalize.places import find_place

# (announcement text, source région, expected commune "Name (dept)" or None when none is named)
ANNOUNCEMENTS: list[tuple[str, str, str | None]] = [
    ("Mardi 14 novembre | 18h00 - 20h00 | Bordeaux", "75", "Bordeaux (33)"),
    ("Jeudi 9 novembre 2023 de 14h à 17h\nLieu : La Cité de l'Économie, 6 rue Sainte-Catherine, 33000 Bordeaux",
     "75", "Bordeaux (33)"),
    ("Le Moulin de la Ressourcerie, route de Pau, 64121 Serres-Castet", "75", "Serres-Castet (64)"),
    ("Rendez-vous au Café des Possibles, place du Marché, à Guingamp.", "53", "Guingamp (22)"),
    ("Salle municipale de Plérin (22)", "53", "Plérin (22)"),
    ("Espace Sonia Delaunay, 11 rue Jean Jaurès, 38000 Grenoble", "84", "Grenoble (38)"),
    ("L'atelier se déroule au FabLab de Lannion puis en visio pour ceux qui ne peuvent pas venir.", "53",
     "Lannion (22)"),
    ("Webinaire gratuit : financer son projet ESS. Lien de connexion envoyé la veille.", "53", None),
    ("Salle des fêtes de Saint-Gilles-Croix-de-Vie", "52", "Saint-Gilles-Croix-de-Vie (85)"),
    ("Les Halles de la Cartoucherie, 31300 Toulouse", "76", "Toulouse (31)"),
    ("Parc des expositions de Rouen – 76000 Rouen", "28", "Rouen (76)"),
    ("Centre social Kaleidoscope - Quartier Saint-Jacques - Perpignan", "76", "Perpignan (66)"),
    ("Université Paul Sabatier, amphi Concorde, Toulouse", "76", "Toulouse (31)"),
    ("Technopole de l'Aube, Troyes", "44", "Troyes (10)"),
    ("Le tiers-lieu La Bobine, 42 boulevard Clemenceau, Grenoble", "84", "Grenoble (38)"),
    ("Lieu : Le Dôme, Caen", "28", "Caen (14)"),
    ("Conseil départemental, Hôtel du Département, Évreux", "28", "Évreux (27)"),
    ("Mairie de Saint-Lô, salle du conseil", "28", "Saint-Lô (50)"),
    ("Maison de la Région, 1 rue du Maréchal Joffre, Metz", "44", "Metz (57)"),
    ("Palais des congrès de Strasbourg", "44", "Strasbourg (67)"),
    ("Forum des métiers de l'ESS au lycée Jean Moulin de Béziers", "76", "Béziers (34)"),
    ("Ciné-débat au cinéma Utopia à Tournefeuille", "76", "Tournefeuille (31)"),
    ("Rencontres régionales, Corum de Montpellier", "76", "Montpellier (34)"),
    ("Domaine de Restinclières, Prades-le-Lez", "76", "Prades-le-Lez (34)"),
    ("Village de l'ESS, Esplanade Charles de Gaulle, Montpellier", "76", "Montpellier (34)"),
    ("Le 28 novembre, Saint-Jean-de-Védas", "76", "Saint-Jean-de-Védas (34)"),
    ("Foyer rural de Sauve (30)", "76", "Sauve (30)"),
    ("à la Maison de l'économie sociale et solidaire de Lodève", "76", "Lodève (34)"),
    ("Salle Jean Vilar, Pérols", "76", "Pérols (34)"),
    ("Auditorium du Musée Fabre, Montpellier", "76", "Montpellier (34)"),
    ("En ligne, sur inscription", "76", None),
    ("Conférence en visioconférence via Teams", "76", None),
    ("Dans les locaux de l'Union régionale des Scop, Labège", "76", "Labège (31)"),
    ("Hôtel de Ville de Rennes, salle du Conseil", "53", "Rennes (35)"),
    ("Rennes - Le Liberté", "53", "Rennes (35)"),
    ("Brest, Les Capucins", "53", "Brest (29)"),
    ("Quai des Savoirs, Toulouse", "76", "Toulouse (31)"),
    ("La Cantine numérique, Nantes", "52", "Nantes (44)"),
    ("Le Solilab, 8 rue Saint-Domingue, Nantes", "52", "Nantes (44)"),
    ("Maison de quartier, Angers", "52", "Angers (49)"),
    ("Ferme de la Chapelle, 72000 Le Mans", "52", "Le Mans (72)"),
    ("Salle de la Gare, Saint-Herblain", "52", "Saint-Herblain (44)"),
    ("Médiathèque de Cholet", "52", "Cholet (49)"),
    ("Auberge de jeunesse, La Roche-sur-Yon (85)", "52", "La Roche-sur-Yon (85)"),
    ("Chapiteau du Festival, Laval", "52", "Laval (53)"),
    ("Maison des Solidarités, Saint-Denis", "04", "Saint-Denis (974)"),
    ("Médiathèque François Mitterrand, Saint-Pierre", "04", "Saint-Pierre (974)"),
    ("CCI Réunion, Sainte-Clotilde, Saint-Denis", "04", "Saint-Denis (974)"),
    ("Salle de l'Habitation Clément, Le François", "02", "Le François (972)"),
    ("Atrium, Fort-de-France (Martinique)", "02", "Fort-de-France (972)"),
    ("Pôle ESS de Guadeloupe, Baie-Mahault", "01", "Baie-Mahault (971)"),
    ("Centre culturel de Sainte-Anne, Guadeloupe", "01", "Sainte-Anne (971)"),
    ("Chambre de commerce de Cayenne", "03", "Cayenne (973)"),
    ("Hémicycle de la CTG, Cayenne", "03", "Cayenne (973)"),
    ("Pôle culturel de Chirongui", "06", "Chirongui (976)"),
    ("Salle polyvalente de Koungou, Mayotte", "06", "Koungou (976)"),
    ("Palais des congrès d'Ajaccio", "94", "Ajaccio (2A)"),
    ("Spaziu culturale, Corte", "94", "Corte (2B)"),
    ("Le Hangar, Bastia", "94", "Bastia (2B)"),
    ("Maison de l'ESS, 13 rue de la Fraternité, 93100 Montreuil", "11", "Montreuil (93)"),
    ("La Bellevilloise, 19-21 rue Boyer, Paris 20e", "11", "Paris (75)"),
    ("Ground Control, 81 rue du Charolais, 75012 Paris", "11", "Paris (75)"),
    ("Académie du Climat, Paris 4e", "11", "Paris (75)"),
    ("Les Grands Voisins, Paris 14ème", "11", "Paris (75)"),
    ("Mairie du 11e arrondissement, place Léon Blum, Paris", "11", "Paris (75)"),
    ("Le 6B, Saint-Denis (93)", "11", "Saint-Denis (93)"),
    ("La Maison des Canaux, quai de la Seine, Paris 19", "11", "Paris (75)"),
    ("Hôtel de Ville de Lyon, Lyon 1er", "84", "Lyon (69)"),
    ("La Halle Tony Garnier, 69007 Lyon", "84", "Lyon (69)"),
    ("Les Grandes Voisines, Francheville", "84", "Francheville (69)"),
    ("Théâtre de Givors", "84", "Givors (69)"),
    ("Maison de l'ESS de Clermont-Ferrand", "84", "Clermont-Ferrand (63)"),
    ("Cité du Design, Saint-Étienne", "84", "Saint-Étienne (42)"),
    ("Le Totem, Marseille 3e", "93", "Marseille (13)"),
    ("Friche la Belle de Mai, 13003 Marseille", "93", "Marseille (13)"),
    ("Hôtel de Région, Marseille", "93", "Marseille (13)"),
    ("Centre des congrès d'Aix-en-Provence", "93", "Aix-en-Provence (13)"),
    ("Salle du Cercle, Manosque", "93", "Manosque (04)"),
    ("Le 108, Orléans", "24", "Orléans (45)"),
    ("Le Chato'do, Blois", "24", "Blois (41)"),
    ("Salle des fêtes de Joué-lès-Tours", "24", "Joué-lès-Tours (37)"),
    ("Halle aux Grains, Bourges", "24", "Bourges (18)"),
    ("La Vapeur, Dijon", "27", "Dijon (21)"),
    ("Le Pôle ESS du Doubs, Besançon", "27", "Besançon (25)"),
    ("Maison de l'Emploi de Nevers (58)", "27", "Nevers (58)"),
    ("Gare Saint-Sauveur, Lille", "32", "Lille (59)"),
    ("La Condition Publique, Roubaix", "32", "Roubaix (59)"),
    ("Le Familistère, Guise (02)", "32", "Guise (02)"),
    ("Salle des Fêtes d'Arras", "32", "Arras (62)"),
    ("Centre culturel, Beauvais", "32", "Beauvais (60)"),
    ("Le Shadok, Strasbourg", "44", "Strasbourg (67)"),
    ("La Filature, Mulhouse", "44", "Mulhouse (68)"),
    ("Le Cube, Troyes (10)", "44", "Troyes (10)"),
    ("Le 4 décembre en distanciel (Zoom)", "44", None),
    ("Conférence en ligne : l'ESS et les communs", "44", None),
    ("Café-débat, Le Lieu Unique, Nantes et retransmission en direct sur YouTube", "52", "Nantes (44)"),
    ("Forum ouvert, Poitiers", "75", "Poitiers (86)"),
    ("La Rochelle, Espace Encan", "75", "La Rochelle (17)"),
    ("Le Rocher de Palmer, Cenon", "75", "Cenon (33)"),
    ("Darwin, quai des Queyries, Bordeaux", "75", "Bordeaux (33)"),
    ("Maison de l'Économie, Angoulême", "75", "Angoulême (16)"),
    ("Ferme du Moutta, Mont-de-Marsan", "75", "Mont-de-Marsan (40)"),
    ("Marché de producteurs, Sarlat-la-Canéda", "75", "Sarlat-la-Canéda (24)"),
]


def _label(text: str, hint: str) -> str | None:
    place = find_place(text, region_hint=hint)
    if place is None or place.city is None:
        return None
    return f"{place.city} ({place.department})"


def test_realworld_accuracy() -> None:
    misses = [(text, want, _label(text, hint)) for text, hint, want in ANNOUNCEMENTS if _label(text, hint) != want]
    accuracy = 1 - len(misses) / len(ANNOUNCEMENTS)
    assert accuracy >= 0.95, f"{accuracy:.1%}: {misses}"


def test_no_commune_invented_when_none_is_named() -> None:
    invented = [(text, _label(text, hint)) for text, hint, want in ANNOUNCEMENTS if want is None and _label(text, hint)]
    assert invented == []
