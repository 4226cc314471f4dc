"""Datasette metadata for the essagenda database: titles, table and column descriptions, canned queries."""

from __future__ import annotations

import json
from typing import Any

DEFAULT_DATABASE = "essagenda"

# Columns shared by `events` (consolidated) and `event_sources` (one row per source record).
_EVENT_COLUMNS: dict[str, str] = {
    "title": "Titre tel que la source l'affiche, espaces normalisés.",
    "description_html": "Description en HTML, nettoyée (nh3) : balises et attributs sûrs seulement.",
    "url": "Page web qui annonce l'événement (http/https).",
    "start": "Début, ISO 8601 : '2021-11-04T09:00:00+01:00' avec heure, '2021-11-04' pour une journée entière.",
    "end": "Fin, même forme que start ; pour une journée entière, dernier jour inclus. Vide si inconnue.",
    "start_date": "Premier jour, date locale 'AAAA-MM-JJ' dans le fuseau de l'événement.",
    "end_date": "Dernier jour, date locale 'AAAA-MM-JJ' (égal à start_date pour un seul jour).",
    "start_utc": "Début en UTC ('…Z') pour trier les événements à heure ; vide pour une journée entière.",
    "all_day": "1 si l'événement n'a pas d'heure (journée entière ou plusieurs jours), 0 sinon.",
    "timezone": "Fuseau IANA de l'événement, par exemple 'Europe/Paris' ou 'Indian/Reunion'.",
    "venue": "Lieu nommé (salle, tiers-lieu…), s'il est connu.",
    "address": "Adresse postale (numéro et voie).",
    "postal_code": "Code postal.",
    "city": "Commune (nom officiel du référentiel INSEE).",
    "insee": "Code INSEE de la commune, par exemple '31555'.",
    "department": "Code INSEE du département : '31', '2A', '974'.",
    "region": "Nom de la région, par exemple 'Occitanie'.",
    "region_code": "Code INSEE de la région, par exemple '76'.",
    "region_from": "D'où vient la région : 'commune', 'department' (département), 'page' (donnée par la"
    " source), ou 'source' (événement sans commune, en ligne par exemple : la région de la source qui"
    " l'annonce ; vide pour une source nationale).",
    "latitude": "Latitude WGS 84 de la commune ou du lieu.",
    "longitude": "Longitude WGS 84 de la commune ou du lieu.",
    "attendance": "Mode de participation : 'offline' (sur place), 'online' (en ligne) ou 'mixed' (hybride).",
    "online_url": "Lien de connexion ou de diffusion pour les événements en ligne ou hybrides.",
    "status": "Statut annoncé : 'scheduled' (prévu), 'cancelled' (annulé) ou 'postponed' (reporté).",
    "organizer": "Organisateur tel que la source le nomme.",
    "registration_url": "Lien d'inscription, s'il existe.",
    "image": "Image d'illustration (URL).",
    "tags": "Mots-clés, liste JSON.",
    "date_status": "'ok' quand la date a été lue, 'unparsed' quand le texte de la source n'a pas pu l'être"
    " (ces événements ne sont publiés nulle part).",
    "fingerprint": "Empreinte des champs normalisés : change quand l'événement change réellement.",
    "first_seen": "Première fois qu'une source l'a annoncé (UTC).",
    "last_seen": "Dernière fois qu'une source l'a annoncé (UTC).",
    "updated_at": "Dernier changement réel (UTC) ; sert de DTSTAMP dans les calendriers.",
}

TABLES: dict[str, dict[str, Any]] = {
    "events": {
        "description": "Événements consolidés : une ligne par événement réel, même s'il est annoncé par"
        " plusieurs sources (CRESS, Mois de l'ESS, ESS France). C'est ce que publient les flux et le programme.",
        "columns": {
            "id": "Identifiant stable de l'événement consolidé, 'evt-' suivi de 16 caractères hexadécimaux.",
            "sources": "Sources qui l'annoncent, liste JSON de {\"source\", \"url\"}.",
            "sequence": "Numéro de version, augmenté à chaque changement réel (SEQUENCE iCalendar).",
            "missing": "1 si plus aucune source ne l'annonce (retiré des flux), 0 sinon.",
            **_EVENT_COLUMNS,
        },
        "label_column": "title",
        "sort": "start_date",
        "facets": ["region", "department", "attendance", "status"],
        "fts_table": "events_fts",
        "fts_pk": "rowid",
        "size": 50,
    },
    "event_sources": {
        "description": "Fiches telles que chaque source les publie (une par source et par événement), avec"
        " le texte brut d'origine ; event_id renvoie à l'événement consolidé.",
        "columns": {
            "id": "Identifiant de la fiche : '<source>:<16 caractères hexadécimaux>'.",
            "event_id": "Événement consolidé auquel cette fiche est rattachée (events.id).",
            "source": "Source qui publie la fiche (sources.id), par exemple 'cress_occitanie'.",
            "start_raw": "Texte de date tel qu'affiché ('Le 4 novembre en visio, de 9h à 12h30').",
            "location_raw": "Texte de lieu tel qu'affiché ('à Diagora-Labège, Toulouse').",
            "extractor": "Méthode d'extraction : jsonld, tribe, ical, openagenda, rss, html ou roundup.",
            "reference_date": "Date de contexte de la page, qui fixe l'année des dates sans année.",
            "date_flags": "Doutes relevés en lisant la date, liste JSON (par exemple 'weekday_mismatch').",
            "scraped_at": "Moment de la collecte (UTC).",
            **_EVENT_COLUMNS,
            "missing_since": "Depuis quand la source ne publie plus cette fiche (UTC), vide si elle la publie.",
            "merge_reason": "Pourquoi la fiche a rejoint cet événement consolidé (JSON).",
        },
        "label_column": "title",
        "facets": ["source", "extractor", "date_status"],
    },
    "sources": {
        "description": "Sites collectés : les 18 CRESS régionales, le Mois de l'ESS et ESS France, avec"
        " l'état de leur dernière collecte.",
        "columns": {
            "id": "Identifiant de la source, par exemple 'cress_bretagne'.",
            "name": "Nom lisible, par exemple 'CRESS Bretagne'.",
            "region_code": "Région de la source (code INSEE) ; vide pour les sources nationales.",
            "home_url": "Page d'accueil du site.",
            "kind": "Type de source : 'cress', 'national' ou 'other'.",
            "enabled": "1 si la source est collectée, 0 si elle est suspendue.",
            "strategy": "Manière de lire le site : 'auto' (flux découverts, sinon pages d'agenda) ou l'extracteur imposé.",
            "notes": "Remarques sur le site.",
            "start_urls": "Pages de départ de la collecte, liste JSON.",
            "last_crawl_id": "Dernière collecte (crawls.id).",
            "last_status": "Résultat de la dernière collecte : 'ok', 'degraded' ou 'failed'.",
            "last_crawl_at": "Fin de la dernière collecte (UTC).",
            "last_complete_at": "Fin de la dernière collecte complète (UTC).",
        },
        "label_column": "name",
    },
    "crawls": {
        "description": "Journal des collectes : une ligne par source et par passage, avec ses compteurs.",
        "columns": {
            "id": "Numéro de la collecte.",
            "source": "Source collectée (sources.id).",
            "started_at": "Début (UTC).",
            "finished_at": "Fin (UTC), vide si la collecte tourne encore ou s'est interrompue.",
            "status": "'running', 'ok', 'degraded' (partielle) ou 'failed'.",
            "complete": "1 si toutes les pages prévues ont été lues : seules ces collectes marquent les"
            " fiches absentes comme disparues.",
            "pages": "Pages téléchargées.",
            "events_seen": "Fiches lues.",
            "events_new": "Fiches nouvelles.",
            "events_updated": "Fiches modifiées.",
            "events_missing": "Fiches que la source ne publie plus.",
            "errors": "Erreurs de traitement.",
            "http_errors": "Réponses HTTP en erreur.",
            "dates_unparsed": "Fiches dont la date n'a pas pu être lue.",
            "by_extractor": "Fiches par méthode d'extraction, objet JSON.",
            "faults": "Incidents relevés, liste JSON.",
            "window_start": "Début de la période couverte par la collecte.",
            "window_end": "Fin de la période couverte par la collecte.",
            "duration_s": "Durée en secondes.",
            "message": "Résumé lisible.",
            "stats": "Toutes les statistiques de la collecte, objet JSON.",
        },
        "sort_desc": "id",
        "facets": ["source", "status"],
    },
    "event_changes": {
        "description": "Historique : chaque changement réel d'un champ d'un événement consolidé.",
        "columns": {
            "id": "Numéro du changement.",
            "event_id": "Événement concerné (events.id).",
            "changed_at": "Moment du changement (UTC).",
            "field": "Champ modifié.",
            "old": "Ancienne valeur.",
            "new": "Nouvelle valeur.",
        },
        "sort_desc": "id",
        "facets": ["field"],
    },
    "pages": {
        "description": "Pages lues lors des collectes et ce qu'elles ont donné : une page revenue inchangée"
        " n'est pas relue, ses fiches sont seulement confirmées.",
        "columns": {
            "source": "Source de la page (sources.id).",
            "url": "Adresse réelle de la page.",
            "body_hash": "Empreinte SHA-1 du contenu lu.",
            "extractor": "Méthode d'extraction utilisée.",
            "events": "Nombre de fiches tirées de la page.",
            "next_urls": "Pages suivantes (pagination) indiquées par la page, liste JSON.",
            "record_ids": "Fiches (event_sources.id) lues sur la page, liste JSON.",
            "links": "Liens à suivre trouvés sur une page HTML (fiches, page suivante, agenda, flux), JSON.",
            "read_at": "Moment de la lecture (UTC).",
        },
        "facets": ["source", "extractor"],
    },
    "upcoming_events": {
        "description": "Vue : événements consolidés à venir (jusqu'à la fin de leur dernier jour), toujours"
        " annoncés par une source et à la date lue, dans l'ordre du programme.",
        "facets": ["region", "attendance", "status"],
    },
    "events_fts": {
        "description": "Index plein texte (FTS5) des événements : titre, description, commune.",
        "hidden": True,
    },
    "_sqlite_migrations": {
        "description": "Migrations de schéma appliquées (sqlite-utils).",
        "hidden": True,
    },
}

_UPCOMING = "date_status = 'ok' and missing = 0 and coalesce(end_date, start_date) >= date('now', 'localtime')"

QUERIES: dict[str, dict[str, Any]] = {
    "semaine_par_region": {
        "title": "Cette semaine, par région",
        "description": "Événements de la semaine en cours (du lundi au dimanche), classés par région puis"
        " par date. Laisser 'region' vide pour toutes les régions ; sinon un code ('76') ou un nom ('Occitanie').",
        "sql": (
            "select region, region_code, start_date, start, title, city, department, attendance, status,"
            " organizer, url, id\n"
            "from events\n"
            "where date_status = 'ok' and missing = 0\n"
            "  and coalesce(end_date, start_date) >= date('now', 'localtime', '-6 days', 'weekday 1')\n"
            "  and start_date <= date('now', 'localtime', 'weekday 0')\n"
            "  and (:region = '' or region_code = :region or region = :region)\n"
            "order by coalesce(region, 'zz'), coalesce(start_utc, start_date), id"
        ),
    },
    "en_ligne": {
        "title": "Événements en ligne et hybrides à venir",
        "description": "Événements à suivre à distance (en ligne ou hybrides), dans l'ordre du programme.",
        "sql": (
            "select start_date, start, title, attendance, online_url, organizer, region, status, url, id\n"
            f"from events\nwhere {_UPCOMING}\n"
            "  and attendance in ('online', 'mixed')\n"
            "order by coalesce(start_utc, start_date), id"
        ),
    },
    "annules": {
        "title": "Événements annulés",
        "description": "Événements annoncés comme annulés, les plus récents d'abord. 'depuis' (AAAA-MM-JJ,"
        " facultatif) ne garde que ceux qui ont lieu ou finissent à partir de cette date.",
        "sql": (
            "select start_date, start, title, city, region, organizer, updated_at, url, id\n"
            "from events\n"
            "where status = 'cancelled' and date_status = 'ok'\n"
            "  and (:depuis = '' or coalesce(end_date, start_date) >= :depuis)\n"
            "order by coalesce(start_utc, start_date) desc, id"
        ),
    },
    "par_source": {
        "title": "Événements par source",
        "description": "Pour chaque source : fiches publiées, événements consolidés, à venir, dates"
        " illisibles, fiches disparues et dernière fois qu'elle a été vue.",
        "sql": (
            "select s.source, src.name, count(*) as fiches, count(distinct s.event_id) as evenements,\n"
            "  sum(s.date_status = 'ok' and coalesce(s.end_date, s.start_date) >= date('now', 'localtime'))"
            " as a_venir,\n"
            "  sum(s.date_status = 'unparsed') as dates_illisibles,\n"
            "  sum(s.missing_since is not null) as disparues,\n"
            "  max(s.last_seen) as vue_le\n"
            "from event_sources s left join sources src on src.id = s.source\n"
            "group by s.source\n"
            "order by evenements desc, s.source"
        ),
    },
}


def metadata(database: str = DEFAULT_DATABASE) -> dict[str, Any]:
    """Datasette metadata for a database file named `<database>.db` (Datasette names databases by stem)."""
    return {
        "title": "essagenda",
        "description": "Agenda consolidé de l'économie sociale et solidaire : événements collectés sur les"
        " sites des 18 CRESS, du Mois de l'ESS et d'ESS France, dates et lieux normalisés.",
        "license": "Données des sites sources ; vérifier chaque événement sur sa page d'origine.",
        "databases": {
            database: {
                "description": "Événements de l'ESS, fiches par source, collectes et historique des changements.",
                "tables": json.loads(json.dumps(TABLES)),
                "queries": json.loads(json.dumps(QUERIES)),
            }
        },
    }


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(metadata(), ensure_ascii=False, indent=2))
