"""Demo registry from the domain brief: seven Data Spaces, 22 nodes, hosts and partners.

Institutions are invented or described generically; people are invented. Loading twice changes
nothing: every row is looked up by its stable key (slug, or name within a Data Space) first.
"""

from __future__ import annotations

from sqlalchemy import select

from app.dataspaces.models import (
    DataSpace,
    DataSpaceStatus,
    Institution,
    InstitutionKind,
    Node,
    PartnerRole,
    Partnership,
    Region,
    TeamMembership,
)
from app.extensions import db

INSTITUTIONS = {
    # slug: (kind, country, website, names)
    "universidad-andina-de-bogota": (
        InstitutionKind.UNIVERSITY,
        "CO",
        "https://uandina.example.org",
        {"en": "Andean University of Bogotá", "es": "Universidad Andina de Bogotá"},
    ),
    "colombia-statistics-office": (
        InstitutionKind.STATISTICS_OFFICE,
        "CO",
        None,
        {
            "en": "National statistics office of Colombia",
            "es": "Oficina nacional de estadística de Colombia",
        },
    ),
    "instituto-datos-mexico": (
        InstitutionKind.RESEARCH_CENTRE,
        "MX",
        None,
        {"en": "Mexico Data Institute", "es": "Instituto de Datos de México"},
    ),
    "centro-carioca-de-dados": (
        InstitutionKind.RESEARCH_CENTRE,
        "BR",
        None,
        {
            "en": "Carioca Data Centre",
            "es": "Centro Carioca de Datos",
            "pt": "Centro Carioca de Dados",
        },
    ),
    "universite-du-cap-vert": (
        InstitutionKind.UNIVERSITY,
        "SN",
        "https://ucv.example.org",
        {
            "en": "Cape Verde Peninsula University",
            "es": "Universidad de la Península de Cabo Verde",
            "fr": "Université de la Presqu'île du Cap-Vert",
        },
    ),
    "institut-ivoirien-des-donnees": (
        InstitutionKind.RESEARCH_CENTRE,
        "CI",
        None,
        {
            "en": "Ivorian Data Institute",
            "es": "Instituto Marfileño de Datos",
            "fr": "Institut ivoirien des données",
        },
    ),
    "accra-data-lab": (
        InstitutionKind.NGO,
        "GH",
        None,
        {"en": "Accra Data Lab", "es": "Laboratorio de Datos de Accra"},
    ),
    "nairobi-school-of-computing": (
        InstitutionKind.UNIVERSITY,
        "KE",
        None,
        {"en": "Nairobi School of Computing", "es": "Escuela de Computación de Nairobi"},
    ),
    "kigali-institute-for-data": (
        InstitutionKind.RESEARCH_CENTRE,
        "RW",
        None,
        {
            "en": "Kigali Institute for Data",
            "es": "Instituto de Datos de Kigali",
            "fr": "Institut des données de Kigali",
        },
    ),
    "cape-town-data-science-centre": (
        InstitutionKind.UNIVERSITY,
        "ZA",
        None,
        {
            "en": "Cape Town Data Science Centre",
            "es": "Centro de Ciencia de Datos de Ciudad del Cabo",
        },
    ),
    "straits-institute-of-data": (
        InstitutionKind.UNIVERSITY,
        "SG",
        None,
        {"en": "Straits Institute of Data", "es": "Instituto de Datos del Estrecho"},
    ),
    "manila-development-data-center": (
        InstitutionKind.NGO,
        "PH",
        None,
        {
            "en": "Manila Development Data Center",
            "es": "Centro de Datos para el Desarrollo de Manila",
        },
    ),
    "sydney-urban-analytics": (
        InstitutionKind.RESEARCH_CENTRE,
        "AU",
        None,
        {"en": "Sydney Urban Analytics Group", "es": "Grupo de Analítica Urbana de Sídney"},
    ),
    "barcelona-data-institute": (
        InstitutionKind.RESEARCH_CENTRE,
        "ES",
        None,
        {"en": "Barcelona Data Institute", "es": "Instituto de Datos de Barcelona"},
    ),
    "berlin-open-data-forum": (
        InstitutionKind.NGO,
        "DE",
        None,
        {"en": "Berlin Open Data Forum", "es": "Foro de Datos Abiertos de Berlín"},
    ),
    "hague-centre-for-data-policy": (
        InstitutionKind.RESEARCH_CENTRE,
        "NL",
        None,
        {"en": "Hague Centre for Data Policy", "es": "Centro de La Haya de Política de Datos"},
    ),
    "ecole-parisienne-des-donnees": (
        InstitutionKind.UNIVERSITY,
        "FR",
        None,
        {
            "en": "Paris School of Data",
            "es": "Escuela Parisina de Datos",
            "fr": "École parisienne des données",
        },
    ),
    "london-institute-of-development-data": (
        InstitutionKind.UNIVERSITY,
        "GB",
        None,
        {
            "en": "London Institute of Development Data",
            "es": "Instituto de Londres de Datos para el Desarrollo",
        },
    ),
    "levant-data-observatory": (
        InstitutionKind.RESEARCH_CENTRE,
        "LB",
        None,
        {
            "en": "Levant Data Observatory",
            "es": "Observatorio de Datos del Levante",
            "ar": "مرصد بيانات المشرق",
        },
    ),
    "gulf-centre-for-data-science": (
        InstitutionKind.UNIVERSITY,
        "AE",
        None,
        {
            "en": "Gulf Centre for Data Science",
            "es": "Centro del Golfo de Ciencia de Datos",
            "ar": "مركز الخليج لعلوم البيانات",
        },
    ),
    "hudson-data-collaborative": (
        InstitutionKind.NGO,
        "US",
        None,
        {"en": "Hudson Data Collaborative", "es": "Colaborativo de Datos del Hudson"},
    ),
    "cambridge-media-lab": (
        InstitutionKind.UNIVERSITY,
        "US",
        None,
        {
            "en": "A university media lab (Cambridge, MA)",
            "es": "Un laboratorio de medios universitario (Cambridge, MA)",
        },
    ),
    "bay-area-civic-data": (
        InstitutionKind.NGO,
        "US",
        None,
        {"en": "Bay Area Civic Data", "es": "Datos Cívicos de la Bahía"},
    ),
    "open-development-foundation": (
        InstitutionKind.FOUNDATION,
        "US",
        None,
        {
            "en": "Open Development Foundation",
            "es": "Fundación Desarrollo Abierto",
            "fr": "Fondation Développement ouvert",
            "pt": "Fundação Desenvolvimento Aberto",
        },
    ),
    "andean-telecom": (
        InstitutionKind.COMPANY,
        "CO",
        None,
        {"en": "Andean Telecom (mobile operator)", "es": "Andean Telecom (operador móvil)"},
    ),
    "un-regional-statistics-partnership": (
        InstitutionKind.INTERNATIONAL,
        None,
        None,
        {
            "en": "A UN regional statistics partnership",
            "es": "Una alianza regional de estadística de la ONU",
            "fr": "Un partenariat statistique régional des Nations unies",
        },
    ),
}

# slug, region, status, names, descriptions, nodes, partners, team
DATASPACES = [
    (
        "latin-america",
        Region.LATIN_AMERICA,
        DataSpaceStatus.ACTIVE,
        {
            "en": "Data Space Latin America",
            "es": "Data Space América Latina",
            "pt": "Data Space América Latina",
            "fr": "Data Space Amérique latine",
        },
        {
            "en": "The first Data Space, anchored in Bogotá: big data for official statistics with the "
            "national statistics office, bilingual training workshops and a regional summer school.",
            "es": "El primer Data Space, con sede en Bogotá: big data para las estadísticas oficiales con "
            "la oficina nacional de estadística, talleres bilingües y una escuela de verano regional.",
            "pt": "O primeiro Data Space, sediado em Bogotá: big data para as estatísticas oficiais, "
            "oficinas bilíngues e uma escola de verão regional.",
        },
        [
            (
                "bogota",
                {"en": "Bogotá", "es": "Bogotá"},
                "CO",
                "America/Bogota",
                "universidad-andina-de-bogota",
            ),
            (
                "mexico-city",
                {
                    "en": "Mexico City",
                    "es": "Ciudad de México",
                    "fr": "Mexico",
                    "pt": "Cidade do México",
                },
                "MX",
                "America/Mexico_City",
                "instituto-datos-mexico",
            ),
            (
                "rio-de-janeiro",
                {"en": "Rio de Janeiro", "es": "Río de Janeiro", "pt": "Rio de Janeiro"},
                "BR",
                "America/Sao_Paulo",
                "centro-carioca-de-dados",
            ),
        ],
        [
            ("universidad-andina-de-bogota", PartnerRole.HOST),
            ("colombia-statistics-office", PartnerRole.DATA_PROVIDER),
            ("andean-telecom", PartnerRole.DATA_PROVIDER),
            ("open-development-foundation", PartnerRole.FUNDER),
            ("cambridge-media-lab", PartnerRole.IMPLEMENTING),
            ("un-regional-statistics-partnership", PartnerRole.ACADEMIC),
        ],
        [
            (
                "Lucía Fernández Rojas",
                {
                    "en": "Lead researcher and coordinator",
                    "es": "Investigadora principal y coordinadora",
                },
                "bogota",
            )
        ],
    ),
    (
        "west-africa",
        Region.WEST_AFRICA,
        DataSpaceStatus.ACTIVE,
        {
            "en": "Data Space West Africa",
            "es": "Data Space África Occidental",
            "fr": "Data Space Afrique de l'Ouest",
            "pt": "Data Space África Ocidental",
        },
        {
            "en": "Coordinated from Dakar, with nodes in Abidjan and Accra; French and English.",
            "es": "Coordinado desde Dakar, con nodos en Abiyán y Acra; en francés e inglés.",
            "fr": "Coordonné depuis Dakar, avec des nœuds à Abidjan et Accra ; en français et en anglais.",
        },
        [
            (
                "dakar",
                {"en": "Dakar", "es": "Dakar", "fr": "Dakar"},
                "SN",
                "Africa/Dakar",
                "universite-du-cap-vert",
            ),
            (
                "abidjan",
                {"en": "Abidjan", "es": "Abiyán", "fr": "Abidjan"},
                "CI",
                "Africa/Abidjan",
                "institut-ivoirien-des-donnees",
            ),
            (
                "accra",
                {"en": "Accra", "es": "Acra", "fr": "Accra"},
                "GH",
                "Africa/Accra",
                "accra-data-lab",
            ),
        ],
        [
            ("universite-du-cap-vert", PartnerRole.HOST),
            ("open-development-foundation", PartnerRole.FUNDER),
        ],
        [
            (
                "Awa Ndiaye",
                {"en": "Coordinator", "es": "Coordinadora", "fr": "Coordinatrice"},
                "dakar",
            )
        ],
    ),
    (
        "east-south-africa",
        Region.EAST_SOUTH_AFRICA,
        DataSpaceStatus.ACTIVE,
        {
            "en": "Data Space East and South Africa",
            "es": "Data Space África Oriental y Austral",
            "fr": "Data Space Afrique de l'Est et australe",
        },
        {
            "en": "Nodes in Nairobi, Kigali and Cape Town; seasonal schools planned in Nairobi and Kigali.",
            "es": "Nodos en Nairobi, Kigali y Ciudad del Cabo; escuelas de temporada previstas en Nairobi y Kigali.",
        },
        [
            (
                "nairobi",
                {"en": "Nairobi", "es": "Nairobi"},
                "KE",
                "Africa/Nairobi",
                "nairobi-school-of-computing",
            ),
            (
                "kigali",
                {"en": "Kigali", "es": "Kigali", "fr": "Kigali"},
                "RW",
                "Africa/Kigali",
                "kigali-institute-for-data",
            ),
            (
                "cape-town",
                {
                    "en": "Cape Town",
                    "es": "Ciudad del Cabo",
                    "fr": "Le Cap",
                    "pt": "Cidade do Cabo",
                },
                "ZA",
                "Africa/Johannesburg",
                "cape-town-data-science-centre",
            ),
        ],
        [
            ("nairobi-school-of-computing", PartnerRole.HOST),
            ("open-development-foundation", PartnerRole.FUNDER),
        ],
        [("Wanjiru Kamau", {"en": "Coordinator", "es": "Coordinadora"}, "nairobi")],
    ),
    (
        "east-asia-pacific",
        Region.EAST_ASIA_PACIFIC,
        DataSpaceStatus.PLANNED,
        {"en": "Data Space East Asia and Pacific", "es": "Data Space Asia Oriental y el Pacífico"},
        {
            "en": "Planned, with a seasonal school in Singapore.",
            "es": "Previsto, con una escuela de temporada en Singapur.",
        },
        [
            (
                "singapore",
                {"en": "Singapore", "es": "Singapur", "fr": "Singapour", "pt": "Singapura"},
                "SG",
                "Asia/Singapore",
                "straits-institute-of-data",
            ),
            (
                "manila",
                {"en": "Manila", "es": "Manila"},
                "PH",
                "Asia/Manila",
                "manila-development-data-center",
            ),
            (
                "sydney",
                {"en": "Sydney", "es": "Sídney"},
                "AU",
                "Australia/Sydney",
                "sydney-urban-analytics",
            ),
        ],
        [("straits-institute-of-data", PartnerRole.HOST)],
        [],
    ),
    (
        "western-europe",
        Region.WESTERN_EUROPE,
        DataSpaceStatus.PLANNED,
        {
            "en": "Data Space Western Europe",
            "es": "Data Space Europa Occidental",
            "fr": "Data Space Europe de l'Ouest",
        },
        {
            "en": "Five nodes from Barcelona to London, working with partners in the other regions.",
            "es": "Cinco nodos de Barcelona a Londres, en colaboración con socios de las demás regiones.",
        },
        [
            (
                "barcelona",
                {"en": "Barcelona", "es": "Barcelona"},
                "ES",
                "Europe/Madrid",
                "barcelona-data-institute",
            ),
            (
                "berlin",
                {"en": "Berlin", "es": "Berlín"},
                "DE",
                "Europe/Berlin",
                "berlin-open-data-forum",
            ),
            (
                "the-hague",
                {"en": "The Hague", "es": "La Haya", "fr": "La Haye", "pt": "Haia"},
                "NL",
                "Europe/Amsterdam",
                "hague-centre-for-data-policy",
            ),
            (
                "paris",
                {"en": "Paris", "es": "París", "fr": "Paris"},
                "FR",
                "Europe/Paris",
                "ecole-parisienne-des-donnees",
            ),
            (
                "london",
                {"en": "London", "es": "Londres", "fr": "Londres", "pt": "Londres"},
                "GB",
                "Europe/London",
                "london-institute-of-development-data",
            ),
        ],
        [("barcelona-data-institute", PartnerRole.HOST)],
        [],
    ),
    (
        "mena",
        Region.MENA,
        DataSpaceStatus.PLANNED,
        {
            "en": "Data Space MENA",
            "es": "Data Space Oriente Medio y Norte de África",
            "ar": "فضاء البيانات للشرق الأوسط وشمال أفريقيا",
        },
        {
            "en": "Planned, with nodes in Beirut and Abu Dhabi; Arabic and English.",
            "es": "Previsto, con nodos en Beirut y Abu Dabi; en árabe e inglés.",
        },
        [
            (
                "beirut",
                {"en": "Beirut", "es": "Beirut", "ar": "بيروت"},
                "LB",
                "Asia/Beirut",
                "levant-data-observatory",
            ),
            (
                "abu-dhabi",
                {"en": "Abu Dhabi", "es": "Abu Dabi", "ar": "أبوظبي"},
                "AE",
                "Asia/Dubai",
                "gulf-centre-for-data-science",
            ),
        ],
        [("levant-data-observatory", PartnerRole.HOST)],
        [],
    ),
    (
        "north-america",
        Region.NORTH_AMERICA,
        DataSpaceStatus.ACTIVE,
        {
            "en": "Data Space North America",
            "es": "Data Space América del Norte",
            "fr": "Data Space Amérique du Nord",
        },
        {
            "en": "New York City, Boston and San Francisco; home of the 2016 Big Data and Development "
            "Summer School at a university media lab.",
            "es": "Nueva York, Boston y San Francisco; sede de la Escuela de Verano de Big Data y "
            "Desarrollo de 2016 en un laboratorio de medios universitario.",
        },
        [
            (
                "new-york-city",
                {"en": "New York City", "es": "Nueva York", "fr": "New York", "pt": "Nova York"},
                "US",
                "America/New_York",
                "hudson-data-collaborative",
            ),
            (
                "boston",
                {"en": "Boston", "es": "Boston"},
                "US",
                "America/New_York",
                "cambridge-media-lab",
            ),
            (
                "san-francisco",
                {"en": "San Francisco", "es": "San Francisco"},
                "US",
                "America/Los_Angeles",
                "bay-area-civic-data",
            ),
        ],
        [
            ("hudson-data-collaborative", PartnerRole.HOST),
            ("cambridge-media-lab", PartnerRole.ACADEMIC),
        ],
        [("Daniel Okafor", {"en": "Coordinator", "es": "Coordinador"}, "new-york-city")],
    ),
]


def _get_or_add(model, **key):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key)
        db.session.add(row)
    return row


def load() -> None:
    institutions = {}
    for slug, (kind, country, website, names) in INSTITUTIONS.items():
        inst = _get_or_add(Institution, slug=slug)
        inst.kind, inst.country_code, inst.website, inst.name = kind, country, website, names
        institutions[slug] = inst
    db.session.flush()

    for slug, region, status, names, descriptions, nodes, partners, team in DATASPACES:
        space = _get_or_add(DataSpace, slug=slug)
        space.region, space.status, space.name, space.description = (
            region,
            status,
            names,
            descriptions,
        )
        db.session.flush()
        by_slug = {}
        for position, (node_slug, city, country, zone, host) in enumerate(nodes):
            node = _get_or_add(Node, dataspace_id=space.id, slug=node_slug)
            node.city, node.country_code, node.time_zone = city, country, zone
            node.is_anchor, node.position = position == 0, position
            node.host_id = institutions[host].id
            by_slug[node_slug] = node
        db.session.flush()
        for inst_slug, role in partners:
            _get_or_add(
                Partnership,
                dataspace_id=space.id,
                institution_id=institutions[inst_slug].id,
                role=role,
            )
        for person, title, node_slug in team:
            member = _get_or_add(TeamMembership, dataspace_id=space.id, person_name=person)
            member.title, member.node_id = title, by_slug[node_slug].id
    db.session.flush()
