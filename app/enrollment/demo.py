"""Demo participants: invented people of every region, with names in the scripts they write
them in, and their profiles. The demo participant account also gets a seat in an upcoming
programme. ``app/site/demo.py`` enrols them, past and upcoming."""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from app.auth import demo as auth_demo
from app.auth.models import User
from app.auth.services import find_user
from app.enrollment import profiles, seats
from app.enrollment.models import Gender, Sector
from app.errors import DomainError
from app.extensions import db
from app.workshops.models import Programme

PROGRAMME = "online-workshop-on-mobile-phone-data-for-official-statistics"

STATS, GOV, NGO, UNI, PRIVATE, INTL = (
    Sector.STATISTICS_OFFICE, Sector.GOVERNMENT, Sector.NGO, Sector.ACADEMIA, Sector.PRIVATE,
    Sector.INTERNATIONAL,
)
W, M, X = Gender.WOMAN, Gender.MAN, Gender.NON_BINARY

#: Invented people (no real names): email, given name, family name, language, country, sector,
#: gender, organization (described, not named).
PEOPLE = [
    ("ana.perez", "Ana María", "Pérez Gutiérrez", "es", "CO", STATS, W, "a national statistics office"),
    ("jose.restrepo", "José Luis", "Restrepo", "es", "CO", GOV, M, "a ministry of planning"),
    ("lucia.fernandez", "Lucía", "Fernández", "es", "MX", UNI, W, "a university in Mexico City"),
    ("joao.conceicao", "João", "Conceição", "pt", "BR", STATS, M, "a statistics institute in Rio"),
    ("mariana.araujo", "Mariana", "Araújo", "pt", "BR", NGO, W, "an open-data NGO"),
    ("camilo.nunez", "Camilo", "Núñez", "es", "PE", PRIVATE, M, "a telecom operator"),
    ("valentina.ibanez", "Valentina", "Ibáñez", "es", "CL", STATS, W, "a national statistics office"),
    ("aissatou.ndiaye", "Aïssatou", "Ndiaye", "fr", "SN", STATS, W, "the national statistics agency"),
    ("mamadou.diop", "Mamadou", "Diop", "fr", "SN", UNI, M, "a university in Dakar"),
    ("kofi.mensah", "Kofi", "Mensah", "en", "GH", GOV, M, "a ministry of finance"),
    ("akosua.owusu", "Akosua", "Owusu", "en", "GH", NGO, W, "a civic-tech NGO"),
    ("yao.kouassi", "Yao", "Kouassi", "fr", "CI", STATS, M, "the national statistics institute"),
    ("wanjiru.kamau", "Wanjiru", "Kamau", "en", "KE", STATS, W, "the national bureau of statistics"),
    ("otieno.odhiambo", "Otieno", "Odhiambo", "en", "KE", PRIVATE, M, "a mobile-money company"),
    ("jb.habimana", "Jean-Baptiste", "Habimana", "fr", "RW", GOV, M, "a ministry of agriculture"),
    ("uwase.mukamana", "Uwase", "Mukamana", "en", "RW", STATS, W, "the national institute of statistics"),
    ("thandiwe.nkosi", "Thandiwe", "Nkosi", "en", "ZA", UNI, W, "a university in Cape Town"),
    ("selam.tesfaye", "ሰላም", "ተስፋዬ", "en", "ET", INTL, W, "a UN agency"),
    ("wang.xiaoming", "小明", "王", "en", "CN", UNI, M, "a university"),
    ("li.na", "娜", "李", "en", "SG", PRIVATE, W, "a data-science start-up"),
    ("kim.minjun", "민준", "김", "en", "KR", GOV, M, "a ministry of science"),
    ("sato.hanako", "花子", "佐藤", "en", "JP", INTL, W, "a development bank"),
    ("nguyen.lan", "Thị Lan", "Nguyễn", "en", "VN", STATS, W, "the general statistics office"),
    ("maria.santos", "María Cristina", "Santos", "en", "PH", STATS, W, "the statistics authority"),
    ("liam.oconnor", "Liam", "O'Connor", "en", "AU", UNI, M, "a university in Sydney"),
    ("mohammed.alahmad", "محمد", "الأحمد", "ar", "LB", STATS, M, "the central administration of statistics"),
    ("layla.haddad", "ليلى", "حداد", "ar", "LB", NGO, W, "a refugee-support NGO"),
    ("omar.khoury", "عمر", "خوري", "ar", "AE", GOV, M, "a digital-government agency"),
    ("fatima.zahra", "فاطمة الزهراء", "بنعلي", "ar", "AE", UNI, W, "a university in Abu Dhabi"),
    ("chloe.lefevre", "Chloé", "Lefèvre", "fr", "FR", INTL, W, "an international organization in Paris"),
    ("soren.muller", "Søren", "Müller", "en", "DE", UNI, M, "a research institute in Berlin"),
    ("zoe.vandenberg", "Zoë", "van den Berg", "en", "NL", INTL, X, "an international court"),
    ("nuria.puig", "Núria", "Puig i Soler", "es", "ES", UNI, W, "a university in Barcelona"),
    ("dmitri.ivanov", "Дмитрий", "Иванов", "en", "GB", PRIVATE, M, "a fintech company in London"),
    ("eleni.papadopoulou", "Ελένη", "Παπαδοπούλου", "en", "GR", STATS, W, "a statistics authority"),
    ("priyanka.rao", "Priyanka", "Rao", "en", "US", INTL, W, "a foundation in New York"),
    ("marcus.johnson", "Marcus", "Johnson", "en", "US", NGO, M, "a civic-data group in Boston"),
    ("sofia.garcia", "Sofía", "García Márquez", "es", "US", UNI, W, "a university in San Francisco"),
    ("ngozi.okafor", "Ngozi", "Okafor", "en", "NG", PRIVATE, W, "a satellite-imagery start-up"),
    ("ahmed.hassan", "أحمد", "حسن", "ar", "EG", STATS, M, "a statistics agency"),
]


#: Names written family name first, without a space, as their owners write them.
FAMILY_FIRST = {"wang.xiaoming": "王小明", "li.na": "李娜", "kim.minjun": "김민준",
                "sato.hanako": "佐藤花子", "nguyen.lan": "Nguyễn Thị Lan"}


def people() -> list[User]:
    """The demo participants, with their accounts and profiles (made once)."""
    found = []
    for local, given, family, language, country, sector, gender, organization in PEOPLE:
        name = FAMILY_FIRST.get(local) or f"{given} {family}"
        user = auth_demo.account(f"{local}@example.org", name, language)
        if profiles.profile_of(user) is None:
            profiles.save_profile(user, profiles.ProfileDetails(
                given_name=given, family_name=family, certificate_name=FAMILY_FIRST.get(local),
                organization=organization, sector=sector, country_code=country, gender=gender,
                gender_self_described=None, accessibility_needs=None, consent=True))
        found.append(user)
    return found


def load() -> None:
    participant = find_user("participant@example.org")
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME))
    if participant is None or programme is None:
        return
    if profiles.profile_of(participant) is None:
        profiles.save_profile(participant, profiles.ProfileDetails(
            given_name="Priya", family_name="Participant", certificate_name=None,
            organization="National statistics office", sector=Sector.STATISTICS_OFFICE,
            country_code="CO", gender=None, gender_self_described=None,
            accessibility_needs=None, consent=True))
    if seats.enrollment_of(participant, programme) is None:
        # Registration may have closed since the demo data was made: then there is nothing to do.
        with contextlib.suppress(DomainError):
            seats.enroll(participant, programme)
