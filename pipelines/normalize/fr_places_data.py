"""French place vocabulary as data: prepositions, street types, venue words, online/hybrid cues."""

from __future__ import annotations

# Commune names that are month or weekday names ('Mars', 'Avril'): only a postal code or a
# département hint next to them makes them a place.
NEVER_BARE: frozenset[str] = frozenset(
    {
        "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
        "novembre", "decembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "maire",  # the mayor's title ('Monsieur X, Maire'), not Mairé (Vienne)
    }
)

# Ordinary words the word lists miss but event pages use (normalized form), and feast days
# named after saints that are also communes ('atelier de Saint-Valentin').
EXTRA_COMMON_WORDS: frozenset[str] = frozenset(
    {
        "atelier", "campus", "centre", "digital", "est", "forum", "gare", "live", "mairie", "marche",
        "nord", "ouest", "place", "plage", "port", "salon", "sud", "teams", "village", "ville", "visio",
        "zoom", "bio", "saint valentin", "saint nicolas", "saint sylvestre", "saint patrick",
        "sainte catherine", "toussaint",
    }
)

# Short names people use for a commune whose official name is longer (normalized -> INSEE code).
# They compete with any commune that really bears the short name: the source's région, then
# population decide ('à Salon' is Salon-de-Provence for a PACA source, Salon in Dordogne for
# a Nouvelle-Aquitaine one).
COLLOQUIAL_NAMES: dict[str, str] = {
    "salon": "13103",  # Salon-de-Provence
    "aix": "13001",  # Aix-en-Provence
    "chalons": "51108",  # Châlons-en-Champagne
    "charleville": "08105",  # Charleville-Mézières
    "la seyne": "83126",  # La Seyne-sur-Mer
    "le puy": "43157",  # Le Puy-en-Velay
    "sophia antipolis": "06152",  # Valbonne, the technopole's main commune
    "brive": "19031",  # Brive-la-Gaillarde
    "carhaix": "29024",  # Carhaix-Plouguer
}

# Normalized words right before a commune name that make it the place ('à Labège', 'au Gosier').
PLACE_PREPOSITIONS: frozenset[str] = frozenset({"a", "au", "aux", "sur", "lieu", "lieux", "adresse", "in"})
# Multi-word forms, checked on the two words before the name: a trip is where it starts ('au
# départ de Lorient').
PLACE_PREPOSITIONS_2: frozenset[str] = frozenset(
    {"pres de", "proche de", "pres d", "depart de", "depart d", "departs de", "departs d"}
)
# Before 'à', words that make the name a trip's end ('arrivée à Brest'), weaker than its start.
# Not the verb: 'le village de l'ESS arrive à Nantes' is where the event comes.
ARRIVAL_WORDS: frozenset[str] = frozenset({"arrivee", "arrivees"})
# Words that govern 'à' themselves: after them 'à X' completes the phrase, it does not place the
# event ('face aux Alliés', 'grâce à Lyon', 'hommage à Marseille').
GOVERNING_A_WORDS: frozenset[str] = frozenset(
    {"face", "grace", "quant", "suite", "hommage", "hommages", "merci", "dedie", "dediee", "dedies", "dediees",
     "destine", "destinee", "destines", "destinees"}
)
# Contractions that stand for 'à le', 'à les', 'de le', 'de les': they license a name whose
# official article was dropped ('au Gosier', 'aux Abymes', 'du Havre').
ARTICLE_CONTRACTIONS: frozenset[str] = frozenset({"au", "aux", "du", "des"})

# A name after one of these belongs to an organiser, not to the venue ('académie de Bordeaux').
ORGANISER_WORDS: frozenset[str] = frozenset(
    {
        "academie", "association", "banque", "caisse", "cci", "chambre", "club", "cma", "credit", "cress",
        "diocese", "eveche", "federation", "mutuelle", "prefecture", "rectorat", "union", "universite",
        "ville", "metropole", "agglomeration", "agglo", "communaute", "departement", "region"
    }
)
# A name followed by one of these is an institution ('Saint-Étienne Métropole').
INSTITUTION_SUFFIXES: frozenset[str] = frozenset({"metropole", "agglo", "agglomeration", "solutions"})
# A post held in a body ('président de Nantes Métropole'): the body is whom the person works for.
ROLE_WORDS: frozenset[str] = frozenset(
    {"president", "presidente", "presidents", "directeur", "directrice", "directeurs", "elu", "elue", "elus",
     "elues", "representant", "representante", "representants", "conseiller", "conseillere", "conseillers",
     "agent", "agents", "salarie", "salariee", "salaries"}
)
# Areas named after their seat city: 'académie de Bordeaux' is not a place in Bordeaux.
AREA_OF_CITY_WORDS: frozenset[str] = frozenset({"academie", "academies", "diocese", "eveche", "archeveche"})
# Phrases that open an organiser clause ('organisé par la ville de Lyon').
ORGANISER_CUES: tuple[str, ...] = (
    "organise par", "organisee par", "organises par", "organisees par", "co organise par",
    "porte par", "portee par", "propose par", "proposee par", "anime par", "animee par",
    "en partenariat avec", "avec le soutien de", "coordonne par", "coordonnee par", "a l initiative de",
    "a l initiative du", "a l initiative des",
)

# Street types: a name after them is part of a street name ('rue de Paris'), not the commune.
STREET_TYPES: frozenset[str] = frozenset(
    {
        "allee", "allees", "av", "avenue", "bd", "bld", "boulevard", "ch", "chaussee", "chemin", "cite",
        "cours", "esplanade", "faubourg", "fbg", "hameau", "imp", "impasse", "lotissement", "mail",
        "montee", "parvis", "passage", "pl", "place", "promenade", "quai", "residence", "rond",
        "route", "rte", "rue", "ruelle", "sentier", "square", "traverse", "voie"
    }
)
# Words that open a venue name ('Salle des fêtes', 'Maison de l'ESS').
VENUE_WORDS: frozenset[str] = frozenset(
    {
        "abbaye", "agora", "amphi", "amphitheatre", "arena", "arenes", "atelier", "ateliers", "auberge",
        "auditorium", "bar", "basilique", "beffroi", "bibliotheque", "cafe", "campus", "cantine", "cathedrale",
        "centre", "chapelle", "chapiteau", "chateau", "cinema", "citadelle", "cite", "cloitre", "college",
        "couvent", "domaine", "dome", "ecole", "eglise", "espace", "fablab", "hippodrome", "manoir",
        "piscine", "prieure",
        "ferme", "foyer", "friche", "galerie", "gare", "grange", "gymnase", "halle", "halles", "hangar",
        "hotel", "jardin", "jardins", "lieu", "lycee", "mairie", "maison", "manufacture", "marche",
        "marches", "mediatheque", "mjc", "moulin", "musee", "palais", "parc", "parvis", "pavillon", "pole",
        "quai", "restaurant", "salle", "site", "stade", "temple", "theatre", "tiers",
        "universite", "usine", "village", "zenith", "office",
    }
)

# Words that open an event's name, not a venue's ('Conférence à Lyon', 'Rendez-vous sur Albi').
EVENT_WORDS: frozenset[str] = frozenset(
    {
        "apero", "assemblee", "atelier", "ateliers", "cine", "colloque", "concert", "conference", "debat",
        "exposition", "festival", "formation", "forum", "inauguration", "journee", "journees", "permanence",
        "petit", "projection", "rdv", "remise", "rencontre", "rencontres", "rendez", "reunion", "salon",
        "seminaire", "semaine", "soiree", "spectacle", "table", "visite", "webinaire", "evenement",
    }
)

# Events named after the town that holds them ('festival de Venelles', 'foire de Brive'): a
# capitalised name after them and 'de' is that town, even a name that is also a word ('Cannes').
TOWN_EVENT_WORDS: frozenset[str] = frozenset(
    {"festival", "festivals", "foire", "carnaval", "biennale", "triennale", "fete", "fetes", "salon", "forum"}
)

# Online cues: (regex on folded text, kind). 'online' cues alone make an online event; 'mixed'
# cues make a hybrid one; 'offline' cues are on-site words that turn online cues into 'mixed'.
ONLINE_PATTERNS: tuple[str, ...] = (
    r"\ben ligne\b",
    r"\bonline\b",
    r"\bvisio(?:s)?\b",
    r"\bvisio ?conf(?:erence)?s?\b",
    r"\bvisio-conf(?:erence)?s?\b",
    r"\bwebinaires?\b",
    r"\bwebinars?\b",
    r"\bwebconf(?:erence)?s?\b",
    r"\bweb-?conf(?:erence)?s?\b",
    r"\bdistanciel\b",
    r"\ba distance\b",
    r"\bzoom\b(?! sur\b)",
    r"\b(?:microsoft )?teams\b",
    r"\bgoogle meet\b",
    r"\bjitsi\b",
    r"\bwebex\b",
    r"\blivestorm\b",
    r"\bgotomeeting\b",
    r"\bbigbluebutton\b",
    r"\b100 ?% ?(?:digital|digitale|numerique|en ligne|online|virtuel(?:le)?)\b",
    r"\b(?:evenement|format|edition|salon|forum) (?:digital|virtuel|numerique)e?s?\b",
    r"\b(?:facebook|youtube|instagram|linkedin) live\b",
    r"\blive (?:facebook|youtube|instagram|linkedin|twitch)\b",
    r"\ben live\b",
    r"\b(?:sur (?:la|sa|notre|leur) )?page facebook\b",
    r"\b(?:sur (?:le|son|notre|leur) )?groupe facebook\b",
    r"\blivestream\b",
    r"\ben streaming\b",
    r"\ben direct sur\b",
    # a broadcast start time ('direct 10h'), a stream or a platform people watch on
    r"\b(?:en )?direct (?:a |des )?\d{1,2} ?h(?:\d\d)?\b",
    (r"\b(?:diffuse|retransmis|retransmise|retransmission|diffusion)s? (?:\w+ ){0,3}"
     r"(?:sur|via) (?:la plate ?forme |la chaine )?(?:youtube|twitch|facebook|internet)\b"),
    r"\bsur (?:la plate ?forme |la chaine )?twitch\b",
    r"\bsur internet\b",
    r"\bvirtual (?:event|meeting)\b",
    # streamed to social networks, or watched there ('à suivre sur Facebook')
    (r"\b(?:diffus|retransm)\w* (?:\w+ ){0,3}(?:sur|via) (?:les |nos )?(?:directs? (?:des |sur les )?)?"
     r"reseaux sociaux\b"),
    r"\ben direct sur (?:les |nos )?reseaux sociaux\b",
    r"\ba suivre (?:en direct |en live )?sur (?:facebook|youtube|twitch|internet|(?:les |nos )?reseaux sociaux)\b",
    # live during a lockdown: nobody could come ('conférence en direct … pendant le confinement')
    (r"\b(?:en direct|en live)\b[^.!?;]{0,100}\b(?:pendant|durant|en plein) (?:la periode (?:du|de) |le )?"
     r"(?:re)?confinement\b"),
    (r"\b(?:pendant|durant|en plein) (?:la periode (?:du|de) |le )?(?:re)?confinement\b[^.!?;]{0,100}"
     r"\b(?:en direct|en live)\b"),
    # a national day held online that year ('la fête de la musique numérique')
    (r"\b(?:fete de la (?:musique|science)|nuit des musees|journees? (?:europeennes? )?du patrimoine) "
     r"(?:numerique|virtuel(?:le)?|digital(?:e)?)s?\b"),
)
# 'en ligne' that is about registering or publishing, not attending.
ONLINE_FALSE_FRIENDS: tuple[str, ...] = (
    # a television or radio broadcast of a ceremony held in public ('retransmise en direct sur France 2')
    (r"\b(?:en direct|retransmis\w*|diffuse\w*) (?:\w+ ){0,2}sur (?:france ?[2345o]|france (?:inter|culture|bleu|info)|"
     r"tf1|m6|arte|tv5\w*|canal|bfm\w*|lci|c8|rtl|europe 1|la tele\w*|l antenne)\b"),
    r"\binscri\w* (?:\w+ ){0,2}en ligne\b",
    r"\b(?:mise?|mises|publiee?s?|disponibles?|consultables?|accessibles? apres) en ligne\b",
    (r"\b(?:billetterie|reservation|formulaire|boutique|vente|questionnaire|candidature|"
    r"plateforme|paiement|achat|demarches?|depot|dossiers?|catalogue|petition|cartes?|"
    r"guides?|annuaire) en ligne\b"),
    r"\b(?:travail|vente|achats?|surveillance|pilotage|controle) a distance\b(?! (?:et|ou)\b)",
    r"\bteams? (?:building|projet)\b",
    (r"\b(?:infos?|informations|programmes?|details|ressources|documents?|supports?|replay|videos?) "
    r"(?:\w+ ){0,2}(?:sont |est )?(?:disponibles? |accessibles? )?en ligne\b"),
    r"\bretrouve\w* (?:\w+ ){0,5}en ligne\b",
    r"\ben ligne sur (?:le|notre|leur|son) site\b",
    # a way to register or book among others ('sur inscription au 01 … ou en ligne', 'par
    # téléphone ou sur internet')
    (r"\b(?:inscri|reserv|billet|telephone|tel\b|mail|courriel)[^.;:!?\n]{0,40}?\b(?:ou|et) "
     r"(?:en ligne|sur internet)\b"),
    r"\b(?:inscri\w*|reservation\w*|billetterie|billets?|vente) (?:\w+ ){0,2}sur internet\b",
    # where to read about an event, not where it happens ('renseignements sur la page Facebook')
    (r"\b(?:renseignements?|infos?|informations|details|actualites|nouvelles|photos|programme) "
     r"(?:\w+ ){0,3}sur (?:la|sa|notre|leur) page facebook\b"),
)
MIXED_PATTERNS: tuple[str, ...] = (
    r"\bhybride?s?\b",
    r"\bpresentiel (?:et|ou|\/|&|\+) (?:en )?(?:distanciel|ligne|visio|a distance)\b",
    r"\b(?:distanciel|en ligne|en visio|a distance) (?:et|ou|\/|&|\+) (?:en )?presentiel\b",
    r"\bsur place (?:et|ou|\/) (?:en ligne|en visio|a distance)\b",
    r"\b(?:en ligne|en visio|a distance) (?:et|ou|\/) sur place\b",
    r"\bmixte \(presentiel",
    r"\bformat mixte\b",
)
OFFLINE_PATTERNS: tuple[str, ...] = (
    r"\ben presentiel\b",
    r"\bpresentiel\b",
    r"\bsur place\b",
    r"\bin person\b",
)

# Hosts whose links are meeting rooms or live streams.
MEETING_HOSTS: tuple[str, ...] = (
    "zoom.us", "zoom.com", "teams.microsoft.com", "teams.live.com", "meet.google.com", "meet.jit.si",
    "jitsi", "webex.com", "livestorm.co", "gotomeeting.com", "gotowebinar.com", "whereby.com",
    "bigbluebutton", "bbb.", "visio.", "youtube.com/live", "youtu.be", "twitch.tv", "facebook.com/events",
    "crowdcast.io", "hopin.com", "airmeet.com", "streamyard.com", "framatalk", "rendez-vous.renater.fr",
)

ROMAN_NUMERALS: dict[str, int] = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18,
    "xix": 19, "xx": 20,
}

# Former names the gazetteer file misses because a living commune folds to the same key ('Vire'
# and Viré, Saône-et-Loire) or because the commune was renamed or merged without communes
# déléguées: old name (normalized) -> INSEE code of today's commune. They rank as former names.
FORMER_NAMES: dict[str, str] = {
    "vire": "14762",  # Vire Normandie since 2016
    "evry": "91228",  # Évry-Courcouronnes since 2019
    "courcouronnes": "91228",
    "saint ouen": "93070",  # Saint-Ouen-sur-Seine since 2018 (Seine-Saint-Denis)
    "cherbourg": "50129",  # Cherbourg-en-Cotentin since 2016
    "octeville": "50129",
}

# A name right after one of these words is the name of that place, not a commune ('salle
# Maupertuis', 'complexe sportif Saint-Sauveur', 'quartier Saint-Cosme', 'bât. Rabelais',
# 'château Hagen', 'cour Mably').
NAMED_PLACE_WORDS: frozenset[str] = frozenset(
    {
        "bat", "batiment", "complexe", "sportif", "stade", "quartier", "quartiers", "salle", "salles",
        "gymnase", "eglise", "chapelle", "college", "lycee", "ecole", "espace", "amphi", "amphitheatre",
        "residence", "cite", "parc", "piscine", "theatre", "cinema", "hall", "halle", "pavillon", "villa",
        "square", "places", "paroisse", "clinique", "hopital", "tour", "chateau", "manoir", "domaine", "cour",
        "musee", "jardin", "jardins", "moulin", "mediatheque", "bibliotheque", "galerie", "auditorium",
    }
)

# Words before which a place is where someone lives or was born, not where the event is
# ('Diane Meur vit à Paris', 'née en 1970 à Bruxelles').
RESIDENCE_WORDS: tuple[str, ...] = (
    "vit", "vivent", "habite", "habitent", "reside", "resident", "ne", "nee", "nes", "nees", "originaire",
    "originaires", "installe", "installee", "installes", "installees", "domicilie", "domiciliee",
)

# Before a commune, words that name the area around it rather than the venue ('près de Port-Louis').
AREA_AROUND_WORDS: tuple[str, ...] = (
    "pres de", "pres d", "proche de", "proche d", "autour de", "autour d", "environs de", "environs d",
    "alentours de", "alentours d", "non loin de", "non loin d", "aux portes de", "aux portes d",
)

# Grounds named after the lieu-dit they stand on ('parc de la Villette', 'bois de la Cambre',
# 'quartier de la Défense'): a name with a small article after them is that lieu-dit's, where a
# commune's article would take its capital ('parc de La Courneuve').
GROUNDS_WORDS: frozenset[str] = frozenset(
    {"parc", "parcs", "jardin", "jardins", "bois", "foret", "domaine", "quartier", "square", "plage", "lac",
     "etang", "prairie", "pre", "vallon", "colline"}
)

# Bodies whose name holds a commune but which stand for a wider territory ('L'agglomération de
# Fécamp Caux Littoral', 'Communauté de communes du Pays de Lunel', 'Métropole de Lyon').
INTERCOMMUNAL_WORDS: frozenset[str] = frozenset(
    {"agglomeration", "agglo", "communaute", "communes", "metropole", "pays", "departement", "region", "canton",
     "syndicat", "intercommunalite", "territoire", "bassin"}
)
# Among them, bodies whatever follows the commune's name ('Communauté de communes de Lunel', 'la
# métropole de Lille', a body of some ninety communes).
BODY_WORDS: frozenset[str] = frozenset(
    {"communaute", "communes", "pays", "syndicat", "intercommunalite", "canton", "bassin", "metropole"}
)

# Bodies whose name ends on their city ('CHU de Poitiers', 'barreau d'Alès', 'lycée Vauban de
# Brest'): in prose they say whose body it is, not where the event is; 'au lycée … de X' is the
# building. Initials that are not a commune's name ('CCAS de Lyon', 'ESSEC de Cergy') work alike.
BODY_NAME_WORDS: frozenset[str] = frozenset(
    {
        "barreau", "chu", "chr", "chru", "ccas", "cias", "caf", "cpam", "iut", "universite", "faculte",
        "ecole", "lycee", "college", "institut", "hopital", "conservatoire", "tribunal", "ordre",
    }
)
# Bands, choirs and troupes bear their home town wherever they play ('l'Harmonie de Montreuil
# à l'auditorium de Berck'): weak evidence of the event's commune, below any venue.
GROUP_WORDS: frozenset[str] = frozenset(
    {"harmonie", "fanfare", "chorale", "choeur", "orchestre", "troupe", "bagad", "batucada", "cercle", "ensemble"}
)

# Common French first names: 'Pierre de Montesquiou' is a person, not a place called Montesquiou.
FIRST_NAMES: frozenset[str] = frozenset(
    {
        "alain", "alexandre", "andre", "anne", "antoine", "bernard", "catherine", "charles", "christian",
        "claude", "daniel", "denis", "dominique", "edouard", "emile", "etienne", "francois", "francoise",
        "frederic", "gabriel", "georges", "gerard", "guillaume", "guy", "henri", "isabelle", "jacques",
        "jean", "jeanne", "joseph", "julien", "louis", "louise", "luc", "marc", "marcel", "marguerite",
        "marie", "martin", "michel", "nicolas", "olivier", "patrick", "paul", "philippe", "pierre", "rene",
        "robert", "roger", "simone", "thomas", "victor", "yves",
    }
)

# Compound nouns whose last word is an ordinary word that is also a commune's name: tail ->
# the words that come before it ('Hôtel de Ville' is the town hall, not Ville in the Oise).
COMPOUND_TAILS: dict[str, tuple[str, ...]] = {
    "ville": ("hotel de", "maison de", "conseil de", "centre", "coeur de", "hotel de la"),
}

# Photo credits name their owner ('photo X/ville d'Arles'): no place is read after them.
CREDIT_WORDS: tuple[str, ...] = ("photo", "photos", "credit", "credits", "©", "copyright", "illustration")
# News agencies whose initials close a dateline ('PARIS (AFP)', 'Genève, 3 mai (ATS)'): the town
# before them is where the dispatch was written.
PRESS_AGENCIES: tuple[str, ...] = (
    "AFP", "Reuters", "AP", "ATS", "Keystone-ATS", "Belga", "APS", "MAP", "DPA", "ANSA", "EFE", "Xinhua", "TAP",
)
