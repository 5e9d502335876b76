"""Demo programmes: the 2016-17 training plan of the domain brief, and a few upcoming ones.

The past programmes are the global training grant's workshops and summer schools; they are
made with registration open, and ``app/site/demo.py`` replays their history (enrollments,
attendance, completion, certificates) on the dates it happened. The upcoming ones are dated
from today, in several Data Spaces, and sit in the state their dates call for (registration
open, or published with registration opening later).

Every programme is taught by the demo instructor (``instructor@example.org``). Without that
account (in production, where no demo accounts exist) no programme is loaded. Loading twice
changes nothing: a programme is created only when the slug the services would give it is still
free (titles carry no dates, so the upcoming ones are not duplicated on a later day either).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.auth.services import find_user
from app.curriculum.models import Curriculum, Module
from app.dataspaces.models import DataSpace, Institution, Node
from app.extensions import db
from app.text import slug_base
from app.timeutil import utcnow
from app.workshops import services
from app.workshops.models import (
    DeliveryMode,
    EnrollmentMode,
    Programme,
    ProgrammeKind,
    ProgrammeState,
)

INSTRUCTOR_EMAIL = "instructor@example.org"
FUNDER = "open-development-foundation"
GRANT = "Global training grant 2016-17"

# Curriculum templates of the curriculum demo, by slug.
BIG_DATA_3_DAYS = "big-data-and-development-3-days"
MOBILE_DATA_2_DAYS = "mobile-phone-data-for-official-statistics-2-days"

WORKSHOP, SEASONAL, SUMMER = (
    ProgrammeKind.WORKSHOP,
    ProgrammeKind.SEASONAL_SCHOOL,
    ProgrammeKind.SUMMER_SCHOOL,
)
OPEN, APPLICATION = EnrollmentMode.OPEN, EnrollmentMode.APPLICATION


def _session(day: int, starts: str, ends: str, title: dict, room=None, module=None) -> dict:
    """A session on the programme's ``day``-th day (0: the first), in local wall-clock time."""
    return {
        "day": day,
        "starts": starts,
        "ends": ends,
        "title": title,
        "room": room,
        "module": module,  # a module slug of the programme's curriculum
    }


# Shared session titles.
OPENING = {
    "en": "Opening: big data and the data revolution",
    "es": "Apertura: big data y la revolución de los datos",
    "fr": "Ouverture : mégadonnées et révolution des données",
}
OFFICIAL_STATISTICS = {
    "en": "Big data for official statistics",
    "es": "Big data para las estadísticas oficiales",
    "fr": "Mégadonnées pour la statistique officielle",
}
DATA_LITERACY = {
    "en": "Data literacy for policymakers",
    "es": "Alfabetización de datos para responsables de políticas",
    "fr": "Culture des données pour les décideurs",
}
PRIVACY = {
    "en": "Privacy and ethics of big data",
    "es": "Privacidad y ética del big data",
    "fr": "Vie privée et éthique des mégadonnées",
}
VISUALIZATION = {
    "en": "Visualization for development",
    "es": "Visualización para el desarrollo",
    "fr": "Visualisation pour le développement",
}
MACHINE_LEARNING = {
    "en": "Hands-on machine learning",
    "es": "Aprendizaje automático en la práctica",
    "fr": "Apprentissage automatique en pratique",
}
TELECOM = {
    "en": "Working with telecom operators",
    "es": "Cómo trabajar con los operadores de telecomunicaciones",
    "fr": "Travailler avec les opérateurs de télécommunications",
}
POVERTY_MAPPING = {
    "en": "Poverty mapping with mobile phone data",
    "es": "Mapeo de la pobreza con datos de telefonía móvil",
    "fr": "Cartographie de la pauvreté avec les données mobiles",
}
PROJECT_LAB = {
    "en": "Project lab: from question to pilot",
    "es": "Laboratorio de proyectos: de la pregunta al piloto",
    "fr": "Atelier de projets : de la question au pilote",
}
CLOSING = {
    "en": "Closing: presentations and next steps",
    "es": "Cierre: presentaciones y próximos pasos",
    "fr": "Clôture : présentations et prochaines étapes",
}


# The training grant's plan (2016-17): up to 10 workshops in up to 6 countries. The brief names
# nine of them (three in Colombia, one each in Senegal, Kenya and Rwanda, one in New York City,
# two at the media lab in Cambridge, MA), plus two summer schools: eleven past programmes.
PAST = [
    {
        "title": {
            "en": "Big Data for Official Statistics in Colombia",
            "es": "Big data para las estadísticas oficiales en Colombia",
        },
        "summary": {
            "en": "The first bilingual workshop of the training grant, built with Colombian partners: what new data sources can do for the national statistical system, and how to start a pilot.",
            "es": "El primer taller bilingüe de la beca de formación, construido con socios colombianos: qué pueden aportar las nuevas fuentes de datos al sistema estadístico nacional y cómo empezar un piloto.",
        },
        "kind": WORKSHOP,
        "place": ("latin-america", "bogota"),
        "host": "universidad-andina-de-bogota",
        "languages": ["en", "es"],
        "venue": "Andean University of Bogotá, main campus",
        "start": date(2016, 4, 12),
        "days": 3,
        "capacity": 40,
        "enrollment": OPEN,
        "curriculum": BIG_DATA_3_DAYS,
        "sessions": [
            _session(0, "09:00", "12:30", OPENING, "Aula 101"),
            _session(
                0,
                "14:00",
                "17:00",
                OFFICIAL_STATISTICS,
                "Aula 101",
                "big-data-for-official-statistics",
            ),
            _session(1, "09:00", "12:30", PRIVACY, "Aula 101", "privacy-and-ethics-of-big-data"),
            _session(
                2,
                "09:00",
                "16:00",
                MACHINE_LEARNING,
                "Laboratorio 3",
                "machine-learning-for-development",
            ),
        ],
    },
    {
        "title": {
            "en": "Big Data and Development Summer School",
            "es": "Escuela de verano de big data y desarrollo",
        },
        "summary": {
            "en": "Two weeks at the university media lab for young professionals from statistics offices, ministries and NGOs of every region: lectures in the morning, team projects in the afternoon.",
            "es": "Dos semanas en el laboratorio de medios de la universidad para jóvenes profesionales de oficinas de estadística, ministerios y ONG de todas las regiones: clases por la mañana, proyectos en equipo por la tarde.",
        },
        "kind": SUMMER,
        "place": ("north-america", "boston"),
        "host": "cambridge-media-lab",
        "languages": ["en"],
        "venue": "University media lab, Cambridge, MA",
        "start": date(2016, 6, 13),
        "days": 9,
        "capacity": 30,
        "enrollment": APPLICATION,
        "curriculum": None,
        "sessions": [
            _session(0, "09:30", "12:30", OPENING, "Lab atrium"),
            _session(2, "09:30", "12:30", TELECOM, "Lab atrium"),
            _session(4, "14:00", "17:30", PROJECT_LAB, "Studio E14"),
            _session(8, "10:00", "15:00", CLOSING, "Lab atrium"),
        ],
    },
    {
        "title": {
            "en": "Big Data and Development Workshop in Nairobi",
            "es": "Taller de big data y desarrollo en Nairobi",
        },
        "summary": {
            "en": "Three days for East African statistics offices, ministries and start-ups on new data sources for development, privacy safeguards and a first hands-on day with machine learning.",
            "es": "Tres días para oficinas de estadística, ministerios y empresas emergentes de África Oriental sobre nuevas fuentes de datos para el desarrollo, salvaguardas de privacidad y una primera jornada práctica de aprendizaje automático.",
        },
        "kind": WORKSHOP,
        "place": ("east-south-africa", "nairobi"),
        "host": "nairobi-school-of-computing",
        "languages": ["en"],
        "venue": "Nairobi School of Computing",
        "start": date(2016, 8, 23),
        "days": 3,
        "capacity": 45,
        "enrollment": OPEN,
        "curriculum": BIG_DATA_3_DAYS,
        "sessions": [
            _session(
                0, "09:00", "12:30", OFFICIAL_STATISTICS, None, "big-data-for-official-statistics"
            ),
            _session(1, "09:00", "12:30", DATA_LITERACY, None, "data-literacy-for-policymakers"),
            _session(
                2, "09:00", "16:00", MACHINE_LEARNING, None, "machine-learning-for-development"
            ),
        ],
    },
    {
        "title": {
            "en": "Mobile Phone Data for Poverty Mapping",
            "es": "Datos de telefonía móvil para el mapeo de la pobreza",
        },
        "summary": {
            "en": "A bilingual workshop with the national statistics office on the poverty pilot: working with telecom operators, building the indicators, and protecting the people behind the records.",
            "es": "Un taller bilingüe con la oficina nacional de estadística sobre el piloto de pobreza: cómo trabajar con los operadores de telecomunicaciones, construir los indicadores y proteger a las personas detrás de los registros.",
        },
        "kind": WORKSHOP,
        "place": ("latin-america", "bogota"),
        "host": "colombia-statistics-office",
        "languages": ["en", "es"],
        "venue": "National statistics office, training centre",
        "start": date(2016, 9, 20),
        "days": 2,
        "capacity": 30,
        "enrollment": OPEN,
        "curriculum": MOBILE_DATA_2_DAYS,
        "sessions": [
            _session(
                0,
                "08:30",
                "12:00",
                TELECOM,
                "Sala de formación",
                "building-partnerships-with-telecom-operators",
            ),
            _session(
                0,
                "13:30",
                "17:00",
                POVERTY_MAPPING,
                "Sala de formación",
                "mobile-phone-data-for-poverty-mapping",
            ),
            _session(
                1, "08:30", "12:00", PRIVACY, "Sala de formación", "privacy-and-ethics-of-big-data"
            ),
        ],
    },
    {
        "title": {
            "en": "Big Data for Development in West Africa",
            "es": "Big data para el desarrollo en África Occidental",
            "fr": "Mégadonnées pour le développement en Afrique de l'Ouest",
        },
        "summary": {
            "en": "A French and English workshop in Dakar for statistics offices and researchers of the region: new data sources, official statistics and the privacy questions they raise.",
            "es": "Un taller en francés e inglés en Dakar para oficinas de estadística e investigadores de la región: nuevas fuentes de datos, estadísticas oficiales y las cuestiones de privacidad que plantean.",
            "fr": "Un atelier en français et en anglais à Dakar pour les instituts de statistique et les chercheurs de la région : nouvelles sources de données, statistique officielle et questions de vie privée.",
        },
        "kind": WORKSHOP,
        "place": ("west-africa", "dakar"),
        "host": "universite-du-cap-vert",
        "languages": ["fr", "en"],
        "venue": "Cape Verde Peninsula University",
        "start": date(2016, 10, 18),
        "days": 3,
        "capacity": 40,
        "enrollment": OPEN,
        "curriculum": None,
        "sessions": [
            _session(0, "09:00", "12:30", OPENING, "Amphithéâtre A"),
            _session(1, "09:00", "12:30", OFFICIAL_STATISTICS, "Amphithéâtre A"),
            _session(2, "09:00", "12:30", PRIVACY, "Salle 12"),
        ],
    },
    {
        "title": {
            "en": "Data Visualization for Development at the Media Lab",
            "es": "Visualización de datos para el desarrollo en el laboratorio de medios",
        },
        "summary": {
            "en": "Two days at the university media lab on showing development data honestly: maps, uncertainty and dashboards that decision makers read.",
            "es": "Dos días en el laboratorio de medios de la universidad sobre cómo mostrar con honestidad los datos del desarrollo: mapas, incertidumbre y tableros que los responsables de decisiones leen.",
        },
        "kind": WORKSHOP,
        "place": ("north-america", "boston"),
        "host": "cambridge-media-lab",
        "languages": ["en"],
        "venue": "University media lab, Cambridge, MA",
        "start": date(2016, 11, 15),
        "days": 2,
        "capacity": 25,
        "enrollment": OPEN,
        "curriculum": None,
        "sessions": [
            _session(0, "09:30", "12:30", VISUALIZATION, "Studio E14"),
            _session(1, "09:30", "12:30", PROJECT_LAB, "Studio E14"),
        ],
    },
    {
        "title": {
            "en": "Data Literacy for Policymakers in Kigali",
            "es": "Alfabetización de datos para responsables de políticas en Kigali",
            "fr": "Culture des données pour les décideurs à Kigali",
        },
        "summary": {
            "en": "An English and French workshop for ministries and agencies of Rwanda: reading, questioning and using data-driven evidence in policy.",
            "es": "Un taller en inglés y francés para ministerios y agencias de Ruanda: leer, cuestionar y usar la evidencia basada en datos en las políticas públicas.",
            "fr": "Un atelier en anglais et en français pour les ministères et agences du Rwanda : lire, interroger et utiliser les données probantes dans les politiques publiques.",
        },
        "kind": WORKSHOP,
        "place": ("east-south-africa", "kigali"),
        "host": "kigali-institute-for-data",
        "languages": ["en", "fr"],
        "venue": "Kigali Institute for Data",
        "start": date(2017, 2, 21),
        "days": 3,
        "capacity": 35,
        "enrollment": OPEN,
        "curriculum": BIG_DATA_3_DAYS,
        "sessions": [
            _session(
                0, "09:00", "12:30", DATA_LITERACY, "Room 2", "data-literacy-for-policymakers"
            ),
            _session(1, "09:00", "12:30", VISUALIZATION, "Room 2", "visualization-for-development"),
            _session(2, "09:00", "12:30", PRIVACY, "Room 2", "privacy-and-ethics-of-big-data"),
        ],
    },
    {
        "title": {
            "en": "Big Data and the Sustainable Development Goals",
            "es": "Big data y los Objetivos de Desarrollo Sostenible",
        },
        "summary": {
            "en": "Three days in New York City with UN agencies, foundations and civic data groups on measuring progress on the SDGs with new data sources.",
            "es": "Tres días en Nueva York con agencias de la ONU, fundaciones y grupos de datos cívicos sobre cómo medir el avance de los ODS con nuevas fuentes de datos.",
        },
        "kind": WORKSHOP,
        "place": ("north-america", "new-york-city"),
        "host": "hudson-data-collaborative",
        "languages": ["en"],
        "venue": "Hudson Data Collaborative, Manhattan",
        "start": date(2017, 3, 28),
        "days": 3,
        "capacity": 60,
        "enrollment": OPEN,
        "curriculum": BIG_DATA_3_DAYS,
        "sessions": [
            _session(0, "09:00", "12:00", OPENING),
            _session(
                0, "13:30", "17:00", OFFICIAL_STATISTICS, None, "big-data-for-official-statistics"
            ),
            _session(1, "09:00", "12:00", VISUALIZATION, None, "visualization-for-development"),
            _session(
                2, "09:00", "12:00", MACHINE_LEARNING, None, "machine-learning-for-development"
            ),
        ],
    },
    {
        "title": {
            "en": "Machine Learning for Development at the Media Lab",
            "es": "Aprendizaje automático para el desarrollo en el laboratorio de medios",
        },
        "summary": {
            "en": "The second media lab workshop: three days of hands-on machine learning on development data, with a session on fairness and privacy.",
            "es": "El segundo taller del laboratorio de medios: tres días de aprendizaje automático práctico con datos del desarrollo, con una sesión sobre equidad y privacidad.",
        },
        "kind": WORKSHOP,
        "place": ("north-america", "boston"),
        "host": "cambridge-media-lab",
        "languages": ["en"],
        "venue": "University media lab, Cambridge, MA",
        "start": date(2017, 4, 25),
        "days": 3,
        "capacity": 25,
        "enrollment": OPEN,
        "curriculum": None,
        "sessions": [
            _session(0, "09:30", "12:30", MACHINE_LEARNING, "Studio E14"),
            _session(1, "09:30", "12:30", PRIVACY, "Studio E14"),
            _session(2, "09:30", "15:00", PROJECT_LAB, "Studio E14"),
        ],
    },
    {
        "title": {
            "en": "Privacy and Ethics of Big Data in Colombia",
            "es": "Privacidad y ética del big data en Colombia",
        },
        "summary": {
            "en": "The third bilingual Colombian workshop: data protection law, anonymization and responsible partnerships, with cases from the national pilots.",
            "es": "El tercer taller bilingüe en Colombia: ley de protección de datos, anonimización y alianzas responsables, con casos de los pilotos nacionales.",
        },
        "kind": WORKSHOP,
        "place": ("latin-america", "bogota"),
        "host": "universidad-andina-de-bogota",
        "languages": ["en", "es"],
        "venue": "Andean University of Bogotá, downtown campus",
        "start": date(2017, 5, 16),
        "days": 2,
        "capacity": 35,
        "enrollment": OPEN,
        "curriculum": MOBILE_DATA_2_DAYS,
        "sessions": [
            _session(0, "09:00", "12:30", PRIVACY, "Auditorio", "privacy-and-ethics-of-big-data"),
            _session(
                1,
                "09:00",
                "12:30",
                TELECOM,
                "Auditorio",
                "building-partnerships-with-telecom-operators",
            ),
        ],
    },
    {
        "title": {
            "en": "Regional Big Data Summer School",
            "es": "Escuela regional de verano de big data",
        },
        "summary": {
            "en": "The regional summer school of the Latin America Data Space, with a university in Bogotá: eight days of lectures and team projects, in English and Spanish.",
            "es": "La escuela regional de verano del Data Space América Latina, con una universidad de Bogotá: ocho días de clases y proyectos en equipo, en inglés y español.",
        },
        "kind": SUMMER,
        "place": ("latin-america", "bogota"),
        "host": "universidad-andina-de-bogota",
        "languages": ["en", "es"],
        "venue": "Andean University of Bogotá, main campus",
        "start": date(2017, 7, 10),
        "days": 8,
        "capacity": 50,
        "enrollment": APPLICATION,
        "curriculum": None,
        "sessions": [
            _session(0, "09:00", "12:30", OPENING, "Auditorio"),
            _session(2, "09:00", "12:30", POVERTY_MAPPING, "Laboratorio 3"),
            _session(4, "14:00", "17:30", PROJECT_LAB, "Laboratorio 3"),
            _session(7, "09:00", "13:00", CLOSING, "Auditorio"),
        ],
    },
]


def _upcoming(today: date) -> list[dict]:
    """Programmes dated from ``today``, with registration windows consistent with their state."""

    def day(offset: int, clock: str = "09:00") -> datetime:
        return datetime.combine(today + timedelta(days=offset), time.fromisoformat(clock))

    return [
        {
            "title": {
                "en": "Online Workshop on Mobile Phone Data for Official Statistics",
                "es": "Taller en línea sobre datos de telefonía móvil para las estadísticas oficiales",
            },
            "summary": {
                "en": "Two online mornings from Bogotá, in English and Spanish, for statistics office staff across Latin America: the case for new sources and a poverty-mapping exercise.",
                "es": "Dos mañanas en línea desde Bogotá, en inglés y español, para el personal de las oficinas de estadística de América Latina: por qué usar nuevas fuentes y un ejercicio de mapeo de la pobreza.",
            },
            "kind": WORKSHOP,
            "place": ("latin-america", "bogota"),
            "host": "universidad-andina-de-bogota",
            "languages": ["en", "es"],
            "delivery": DeliveryMode.ONLINE,
            "meeting_url": "https://meet.example.org/bogota-data",
            "venue": None,
            "start": today + timedelta(days=14),
            "days": 2,
            "capacity": 60,
            "enrollment": OPEN,
            "opens": day(-10),
            "closes": day(12, "18:00"),
            "state": ProgrammeState.REGISTRATION_OPEN,
            "curriculum": MOBILE_DATA_2_DAYS,
            "sessions": [
                _session(
                    0,
                    "09:00",
                    "12:00",
                    OFFICIAL_STATISTICS,
                    None,
                    "big-data-for-official-statistics",
                ),
                _session(
                    1,
                    "09:00",
                    "12:00",
                    POVERTY_MAPPING,
                    None,
                    "mobile-phone-data-for-poverty-mapping",
                ),
            ],
        },
        {
            "title": {
                "en": "Nairobi Seasonal School on Data for Development",
                "es": "Escuela de temporada de Nairobi sobre datos para el desarrollo",
            },
            "summary": {
                "en": "A five-day seasonal school of the East and South Africa Data Space for analysts of statistics offices, ministries and NGOs: new sources, visualization and machine learning.",
                "es": "Una escuela de temporada de cinco días del Data Space África Oriental y Austral para analistas de oficinas de estadística, ministerios y ONG: nuevas fuentes, visualización y aprendizaje automático.",
            },
            "kind": SEASONAL,
            "place": ("east-south-africa", "nairobi"),
            "host": "nairobi-school-of-computing",
            "languages": ["en"],
            "venue": "Nairobi School of Computing",
            "start": today + timedelta(days=30),
            "days": 5,
            "capacity": 12,  # full, with a waiting list, in the demo
            "enrollment": OPEN,
            "opens": day(-5),
            "closes": day(25, "17:00"),
            "state": ProgrammeState.REGISTRATION_OPEN,
            "curriculum": BIG_DATA_3_DAYS,
            "sessions": [
                _session(0, "09:00", "12:30", OPENING, "Lecture hall 1"),
                _session(
                    1,
                    "09:00",
                    "12:30",
                    VISUALIZATION,
                    "Lecture hall 1",
                    "visualization-for-development",
                ),
                _session(
                    2,
                    "09:00",
                    "16:00",
                    MACHINE_LEARNING,
                    "Computer lab",
                    "machine-learning-for-development",
                ),
                _session(4, "09:00", "13:00", CLOSING, "Lecture hall 1"),
            ],
        },
        {
            "title": {
                "en": "Big Data for Urban Mobility in West Africa",
                "es": "Big data para la movilidad urbana en África Occidental",
                "fr": "Mégadonnées pour la mobilité urbaine en Afrique de l'Ouest",
            },
            "summary": {
                "en": "Three days in Dakar, in French and English, on measuring how cities move with mobile phone and transport data. Places are offered by application.",
                "es": "Tres días en Dakar, en francés e inglés, sobre cómo medir la movilidad en las ciudades con datos de telefonía móvil y de transporte. Las plazas se asignan por solicitud.",
                "fr": "Trois jours à Dakar, en français et en anglais, pour mesurer la mobilité urbaine avec les données de téléphonie mobile et de transport. Places attribuées sur candidature.",
            },
            "kind": WORKSHOP,
            "place": ("west-africa", "dakar"),
            "host": "universite-du-cap-vert",
            "languages": ["fr", "en"],
            "venue": "Cape Verde Peninsula University",
            "start": today + timedelta(days=45),
            "days": 3,
            "capacity": 30,
            "enrollment": APPLICATION,
            "opens": day(-3),
            "closes": day(35, "18:00"),
            "state": ProgrammeState.REGISTRATION_OPEN,
            "curriculum": None,
            "sessions": [
                _session(0, "09:00", "12:30", OPENING, "Amphithéâtre A"),
                _session(1, "09:00", "12:30", TELECOM, "Salle 12"),
                _session(2, "09:00", "12:30", PROJECT_LAB, "Salle 12"),
            ],
        },
        {
            "title": {
                "en": "Hybrid Workshop on Satellite Imagery for Agriculture",
                "es": "Taller híbrido sobre imágenes satelitales para la agricultura",
                "fr": "Atelier hybride sur l'imagerie satellitaire pour l'agriculture",
            },
            "summary": {
                "en": "Two days in Kigali and online, in English and French: crop monitoring with open satellite imagery for ministries and farmer organizations.",
                "es": "Dos días en Kigali y en línea, en inglés y francés: seguimiento de cultivos con imágenes satelitales abiertas para ministerios y organizaciones de agricultores.",
                "fr": "Deux jours à Kigali et en ligne, en anglais et en français : suivi des cultures par imagerie satellitaire ouverte pour les ministères et les organisations paysannes.",
            },
            "kind": WORKSHOP,
            "place": ("east-south-africa", "kigali"),
            "host": "kigali-institute-for-data",
            "languages": ["en", "fr"],
            "delivery": DeliveryMode.HYBRID,
            "meeting_url": "https://meet.example.org/kigali-data",
            "venue": "Kigali Institute for Data",
            "start": today + timedelta(days=60),
            "days": 2,
            "capacity": 45,
            "enrollment": OPEN,
            "opens": day(20),
            "closes": day(55, "17:00"),
            "state": ProgrammeState.PUBLISHED,
            "curriculum": None,
            "sessions": [
                _session(
                    0,
                    "09:00",
                    "12:30",
                    {
                        "en": "Satellite imagery: sources and tools",
                        "es": "Imágenes satelitales: fuentes y herramientas",
                        "fr": "Imagerie satellitaire : sources et outils",
                    },
                    "Room 2",
                ),
                _session(1, "09:00", "12:30", PROJECT_LAB, "Room 2"),
            ],
        },
        {
            "title": {
                "en": "Singapore Seasonal School on Data Science for Development",
                "es": "Escuela de temporada de Singapur sobre ciencia de datos para el desarrollo",
            },
            "summary": {
                "en": "Five days with the East Asia and Pacific Data Space for analysts of the region: data literacy, privacy, visualization and a team project. Places are offered by application.",
                "es": "Cinco días con el Data Space Asia Oriental y el Pacífico para analistas de la región: alfabetización de datos, privacidad, visualización y un proyecto en equipo. Las plazas se asignan por solicitud.",
            },
            "kind": SEASONAL,
            "place": ("east-asia-pacific", "singapore"),
            "host": "straits-institute-of-data",
            "languages": ["en"],
            "venue": "Straits Institute of Data",
            "start": today + timedelta(days=90),
            "days": 5,
            "capacity": 35,
            "enrollment": APPLICATION,
            "opens": day(10),
            "closes": day(75, "17:00"),
            "state": ProgrammeState.PUBLISHED,
            "curriculum": None,
            "sessions": [
                _session(0, "09:00", "12:30", DATA_LITERACY, "Seminar room 3"),
                _session(1, "09:00", "12:30", PRIVACY, "Seminar room 3"),
                _session(3, "14:00", "17:30", PROJECT_LAB, "Seminar room 3"),
                _session(4, "09:00", "12:00", CLOSING, "Seminar room 3"),
            ],
        },
    ]


#: The lifecycle, in order, from a fresh draft.
LIFECYCLE = [
    ProgrammeState.PUBLISHED,
    ProgrammeState.REGISTRATION_OPEN,
    ProgrammeState.REGISTRATION_CLOSED,
    ProgrammeState.IN_PROGRESS,
    ProgrammeState.COMPLETED,
]


def past_slugs() -> list[str]:
    """The slugs of the 2016-17 programmes, in the order they happened."""
    return [_slug(spec["title"]["en"]) for spec in sorted(PAST, key=lambda spec: spec["start"])]


def _slug(english_title: str) -> str:
    """The slug the services give a new programme with this English title (when it is free)."""
    return slug_base({"en": english_title}, "programme", services.RESERVED_SLUGS)


def load() -> None:
    instructor = find_user(INSTRUCTOR_EMAIL)
    if instructor is None:
        # Demo programmes are taught by the demo instructor; no demo accounts, no programmes.
        return
    existing = set(db.session.scalars(select(Programme.slug)))
    institutions = dict(db.session.execute(select(Institution.slug, Institution.id)).all())
    templates = dict(
        db.session.execute(
            select(Curriculum.slug, Curriculum.id).where(Curriculum.is_template.is_(True))
        ).all()
    )
    funder = institutions.get(FUNDER)
    for spec in PAST:
        if _slug(spec["title"]["en"]) in existing:
            continue
        start = spec["start"]
        _create(
            spec,
            instructor,
            institutions,
            templates,
            opens=datetime.combine(start - timedelta(days=60), time(9)),
            closes=datetime.combine(start - timedelta(days=7), time(17)),
            funders=[(funder, GRANT)] if funder else [],
            state=ProgrammeState.REGISTRATION_OPEN,  # the rest is history: app/site/demo.py
        )
    for spec in _upcoming(utcnow().date()):
        if _slug(spec["title"]["en"]) in existing:
            continue
        _create(
            spec,
            instructor,
            institutions,
            templates,
            opens=spec["opens"],
            closes=spec["closes"],
            funders=[],
            state=spec["state"],
        )
    db.session.flush()


def _create(spec, instructor, institutions, templates, *, opens, closes, funders, state) -> None:
    space_slug, node_slug = spec["place"]
    node = db.session.scalar(
        select(Node)
        .join(Node.dataspace)
        .where(DataSpace.slug == space_slug, Node.slug == node_slug)
    )
    if node is None:
        return
    programme = services.save_programme(
        None,
        services.ProgrammeDetails(
            kind=spec["kind"],
            dataspace_id=node.dataspace_id,
            node_id=node.id,
            host_id=institutions.get(spec["host"]),
            title=spec["title"],
            summary=spec["summary"],
            languages=spec["languages"],
            delivery_mode=spec.get("delivery", DeliveryMode.IN_PERSON),
            meeting_url=spec.get("meeting_url"),
            venue=spec["venue"],
            start_date=spec["start"],
            end_date=spec["start"] + timedelta(days=spec["days"] - 1),
            time_zone=None,
            capacity=spec["capacity"],
            registration_opens_local=opens,
            registration_closes_local=closes,
            enrollment_mode=spec["enrollment"],
            min_attendance_percent=80,
            curriculum_id=templates.get(spec["curriculum"]) if spec["curriculum"] else None,
            instructor_ids=[instructor.id],
            funders=funders,
        ),
    )
    modules = _curriculum_modules(programme)
    for session in spec["sessions"]:
        day = spec["start"] + timedelta(days=session["day"])
        services.save_session(
            programme,
            None,
            services.SessionDetails(
                title=session["title"],
                module_id=modules.get(session["module"]),
                starts_local=datetime.combine(day, time.fromisoformat(session["starts"])),
                ends_local=datetime.combine(day, time.fromisoformat(session["ends"])),
                room=session["room"],
                materials=None,
                instructor_ids=[instructor.id],
            ),
        )
    # Sessions first: a completed programme can no longer change.
    for step in LIFECYCLE[: LIFECYCLE.index(state) + 1]:
        services.transition(programme, step, actor=None)


def _curriculum_modules(programme: Programme) -> dict[str, int]:
    """Module ids of the programme's own curriculum, by module slug."""
    if programme.curriculum is None:
        return {}
    ids = [item.module_id for item in programme.curriculum.items]
    return dict(db.session.execute(select(Module.slug, Module.id).where(Module.id.in_(ids))).all())
