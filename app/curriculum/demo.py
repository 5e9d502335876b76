"""Demo teaching content: eight topics, twelve modules, two curricula and two collections.

The modules are written by the demo instructor (``instructor@example.org``). Without that account
(in production, where no demo accounts exist) only the topics are loaded: demo modules need an
author, and the curricula and collections need the modules.

All text is invented; institutions are described generically. Loading twice changes nothing:
topics are looked up by slug, and a module, curriculum or collection is created only when the
slug the services would give it is still free.
"""

from __future__ import annotations

from decimal import Decimal
from textwrap import dedent

from sqlalchemy import select

from app.auth.services import find_user
from app.curriculum import services
from app.curriculum.models import Collection, Curriculum, Level, Module, Topic
from app.dataspaces.models import DataSpace
from app.extensions import db
from app.text import slug_base

INSTRUCTOR_EMAIL = "instructor@example.org"


def _md(text: str) -> str:
    return dedent(text).strip()


def _lines(*lines: str) -> str:
    return "\n".join(lines)


TOPICS = {
    "mobile-phone-data": {
        "en": "Mobile phone data",
        "es": "Datos de telefonía móvil",
        "fr": "Données de téléphonie mobile",
        "pt": "Dados de telefonia móvel",
    },
    "official-statistics": {
        "en": "Official statistics",
        "es": "Estadísticas oficiales",
        "fr": "Statistique officielle",
        "pt": "Estatísticas oficiais",
    },
    "privacy-and-ethics": {
        "en": "Privacy and ethics",
        "es": "Privacidad y ética",
        "fr": "Vie privée et éthique",
        "pt": "Privacidade e ética",
    },
    "visualization": {
        "en": "Visualization",
        "es": "Visualización",
        "fr": "Visualisation",
        "pt": "Visualização",
    },
    "machine-learning-for-development": {
        "en": "Machine learning for development",
        "es": "Aprendizaje automático para el desarrollo",
        "fr": "Apprentissage automatique pour le développement",
        "pt": "Aprendizado de máquina para o desenvolvimento",
    },
    "data-literacy": {
        "en": "Data literacy",
        "es": "Alfabetización de datos",
        "fr": "Culture des données",
        "pt": "Letramento em dados",
    },
    "satellite-imagery": {
        "en": "Satellite imagery",
        "es": "Imágenes satelitales",
        "fr": "Imagerie satellitaire",
        "pt": "Imagens de satélite",
    },
    "open-data": {
        "en": "Open data",
        "es": "Datos abiertos",
        "fr": "Données ouvertes",
        "pt": "Dados abertos",
    },
}

# Each module: title, summary, body, outcomes (per language), level, hours, licence, topics,
# Data Space slug (None: network-wide) and whether it is published.
MODULES = [
    # --- 1 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Big data for official statistics",
            "es": "Big data para las estadísticas oficiales",
            "fr": "Les mégadonnées au service de la statistique officielle",
            "pt": "Big data para as estatísticas oficiais",
        },
        "summary": {
            "en": "Why national statistics offices are looking at new data sources, what these sources can and cannot measure, and how to run a first pilot without putting quality at risk.",
            "es": "Por qué las oficinas nacionales de estadística se interesan por nuevas fuentes de datos, qué pueden medir y qué no, y cómo llevar a cabo un primer piloto sin poner en riesgo la calidad.",
            "fr": "Pourquoi les instituts nationaux de statistique s'intéressent aux nouvelles sources de données, ce qu'elles peuvent mesurer ou non, et comment mener un premier pilote sans compromettre la qualité.",
            "pt": "Por que os institutos nacionais de estatística se interessam por novas fontes de dados, o que elas podem e não podem medir, e como conduzir um primeiro piloto sem comprometer a qualidade.",
        },
        "body": {
            "en": _md("""
                ## Why new data sources?

                Household surveys and censuses remain the backbone of official statistics, but they are expensive, infrequent and slow to publish. Mobile phone records, satellite images, online prices and administrative registers are produced every day as a by-product of other activities. Used carefully, they can fill the gaps between surveys, produce estimates for small areas and give early signals when conditions change.

                ## What changes for a statistics office

                - **Access**: the data belong to companies or other agencies, so access depends on agreements rather than on a questionnaire.
                - **Quality**: coverage is uneven; people without a phone or an internet connection are invisible.
                - **Methods**: new sources are combined with surveys, which remain the reference for calibration.
                - **Skills**: teams need data engineering and modelling skills alongside survey methodology.

                ## Traditional and new sources compared

                | | Survey | Big data source |
                |---|---|---|
                | Frequency | Every 1-5 years | Daily or continuous |
                | Coverage | Designed sample | Whoever uses the service |
                | Cost per estimate | High | Low once the pipeline exists |
                | Control over design | Full | None |

                ## The pilot approach

                This module follows the path taken in Latin America with a national statistics office: a strategy paper first, then two small research pilots with data partners. Participants discuss how to choose a pilot question, which quality criteria to agree on before looking at any results, and how to report honestly on what the new source could not do.
            """),
            "es": _md("""
                ## ¿Por qué nuevas fuentes de datos?

                Las encuestas de hogares y los censos siguen siendo la columna vertebral de las estadísticas oficiales, pero son costosos, poco frecuentes y lentos de publicar. Los registros de telefonía móvil, las imágenes satelitales, los precios en línea y los registros administrativos se producen cada día como subproducto de otras actividades. Usados con cuidado, pueden cubrir los vacíos entre encuestas, producir estimaciones para áreas pequeñas y dar señales tempranas cuando las condiciones cambian.

                ## Qué cambia para una oficina de estadística

                - **Acceso**: los datos pertenecen a empresas u otras entidades, por lo que el acceso depende de acuerdos y no de un cuestionario.
                - **Calidad**: la cobertura es desigual; quien no tiene teléfono ni conexión a internet es invisible.
                - **Métodos**: las nuevas fuentes se combinan con encuestas, que siguen siendo la referencia para calibrar.
                - **Competencias**: los equipos necesitan ingeniería de datos y modelización junto a la metodología de encuestas.

                ## Fuentes tradicionales y nuevas

                | | Encuesta | Fuente de big data |
                |---|---|---|
                | Frecuencia | Cada 1-5 años | Diaria o continua |
                | Cobertura | Muestra diseñada | Quien usa el servicio |
                | Costo por estimación | Alto | Bajo una vez creado el flujo |
                | Control del diseño | Total | Ninguno |

                ## El enfoque piloto

                Este módulo sigue el camino recorrido en América Latina con una oficina nacional de estadística: primero un documento de estrategia y luego dos pequeños pilotos de investigación con socios de datos. Los participantes discuten cómo elegir la pregunta del piloto, qué criterios de calidad acordar antes de mirar cualquier resultado y cómo informar con honestidad sobre lo que la nueva fuente no pudo hacer.
            """),
            "fr": _md("""
                ## Pourquoi de nouvelles sources de données ?

                Les enquêtes auprès des ménages et les recensements restent le socle de la statistique officielle, mais ils sont coûteux, peu fréquents et lents à publier. Les données de téléphonie mobile, les images satellitaires, les prix en ligne et les registres administratifs sont produits chaque jour comme sous-produit d'autres activités. Utilisées avec prudence, elles peuvent combler les vides entre deux enquêtes, produire des estimations pour de petites zones et signaler tôt un changement de situation.

                ## Ce qui change pour un institut de statistique

                - **Accès** : les données appartiennent à des entreprises ou à d'autres administrations ; l'accès dépend d'accords et non d'un questionnaire.
                - **Qualité** : la couverture est inégale ; les personnes sans téléphone ni connexion sont invisibles.
                - **Méthodes** : les nouvelles sources sont combinées aux enquêtes, qui restent la référence pour le calage.
                - **Compétences** : les équipes ont besoin d'ingénierie des données et de modélisation, en plus de la méthodologie d'enquête.

                ## Sources traditionnelles et nouvelles

                | | Enquête | Mégadonnées |
                |---|---|---|
                | Fréquence | Tous les 1 à 5 ans | Quotidienne ou continue |
                | Couverture | Échantillon conçu | Les usagers du service |
                | Coût par estimation | Élevé | Faible une fois la chaîne en place |

                ## L'approche par pilotes

                Ce module suit le chemin parcouru en Amérique latine avec un institut national de statistique : d'abord une note stratégique, puis deux petits pilotes de recherche avec des partenaires de données. Les participants discutent du choix de la question, des critères de qualité à fixer avant de regarder les résultats, et de la manière de rendre compte honnêtement des limites de la nouvelle source.
            """),
            "pt": _md("""
                ## Por que novas fontes de dados?

                As pesquisas domiciliares e os censos continuam sendo a base das estatísticas oficiais, mas são caros, pouco frequentes e lentos para publicar. Registros de telefonia móvel, imagens de satélite, preços online e registros administrativos são produzidos todos os dias como subproduto de outras atividades. Usados com cuidado, podem preencher as lacunas entre pesquisas, produzir estimativas para pequenas áreas e dar sinais antecipados quando as condições mudam.

                ## O que muda para um instituto de estatística

                - **Acesso**: os dados pertencem a empresas ou a outros órgãos; o acesso depende de acordos, não de um questionário.
                - **Qualidade**: a cobertura é desigual; quem não tem telefone nem internet fica invisível.
                - **Métodos**: as novas fontes são combinadas com pesquisas, que seguem como referência para calibração.
                - **Competências**: as equipes precisam de engenharia de dados e modelagem, além da metodologia de pesquisas.

                ## Fontes tradicionais e novas

                | | Pesquisa | Fonte de big data |
                |---|---|---|
                | Frequência | A cada 1-5 anos | Diária ou contínua |
                | Cobertura | Amostra planejada | Quem usa o serviço |
                | Custo por estimativa | Alto | Baixo depois de montado o fluxo |

                ## A abordagem por pilotos

                Este módulo segue o caminho percorrido na América Latina com um instituto nacional de estatística: primeiro um documento de estratégia, depois dois pequenos pilotos de pesquisa com parceiros de dados. Os participantes discutem como escolher a pergunta do piloto, quais critérios de qualidade combinar antes de olhar os resultados e como relatar com honestidade o que a nova fonte não conseguiu fazer.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Explain why statistics offices explore new data sources",
                "Compare surveys and big data sources on coverage, frequency and cost",
                "Identify the main quality risks of a source that was not designed for statistics",
                "Outline a first pilot with quality criteria agreed in advance",
            ),
            "es": _lines(
                "Explicar por qué las oficinas de estadística exploran nuevas fuentes de datos",
                "Comparar encuestas y fuentes de big data en cobertura, frecuencia y costo",
                "Identificar los principales riesgos de calidad de una fuente no diseñada para la estadística",
                "Esbozar un primer piloto con criterios de calidad acordados de antemano",
            ),
            "fr": _lines(
                "Expliquer pourquoi les instituts de statistique explorent de nouvelles sources",
                "Comparer enquêtes et mégadonnées en couverture, fréquence et coût",
                "Identifier les principaux risques de qualité d'une source non conçue pour la statistique",
                "Esquisser un premier pilote avec des critères de qualité fixés à l'avance",
            ),
            "pt": _lines(
                "Explicar por que os institutos de estatística exploram novas fontes de dados",
                "Comparar pesquisas e fontes de big data em cobertura, frequência e custo",
                "Identificar os principais riscos de qualidade de uma fonte não planejada para estatística",
                "Esboçar um primeiro piloto com critérios de qualidade definidos previamente",
            ),
        },
        "level": Level.INTRODUCTORY,
        "hours": "4.0",
        "licence": "CC-BY-4.0",
        "topics": ("official-statistics", "open-data"),
        "dataspace": "latin-america",
        "publish": True,
    },
    # --- 2 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Mobile phone data for poverty mapping",
            "es": "Datos de telefonía móvil para mapear la pobreza",
            "pt": "Dados de telefonia móvel para o mapeamento da pobreza",
        },
        "summary": {
            "en": "How call detail records, combined with a household survey, can give more frequent and more local estimates of poverty, and where the method breaks down.",
            "es": "Cómo los registros de llamadas, combinados con una encuesta de hogares, pueden dar estimaciones de pobreza más frecuentes y más locales, y dónde falla el método.",
            "pt": "Como os registros de chamadas, combinados com uma pesquisa domiciliar, podem gerar estimativas de pobreza mais frequentes e mais locais, e onde o método falha.",
        },
        "body": {
            "en": _md("""
                ## From calls to indicators

                Every call, text message and data session leaves a record at the operator: which antenna served it, when, and for how long. Aggregated over weeks and over all the subscribers of an area, these records describe how people live — how far they travel, how many contacts they keep, how much credit they top up. Several of these patterns are closely related to household wealth.

                ## Features that tend to predict poverty

                | Feature | What it reflects |
                |---|---|
                | Average top-up amount | Disposable income |
                | Radius of gyration | Access to work and markets |
                | Share of night-time calls | Type of employment |
                | Number of distinct contacts | Social and economic networks |

                ## The modelling workflow

                1. Agree with the operator on aggregated indicators per antenna area; no individual records leave its premises.
                2. Match the areas with the latest household survey, which gives poverty rates for a sample of them.
                3. Train a model on the matched areas and check it on areas held out of training.
                4. Predict poverty for every area, with an uncertainty range, and compare with the census map.

                ## Limits to keep in mind

                - Areas with few subscribers give unstable estimates.
                - Phone ownership is lower among the poorest, women and older people.
                - A model trained in one year or country does not travel without recalibration.

                The Latin America pilot with the national statistics office used this workflow to test whether monthly municipal estimates were feasible between two survey rounds.
            """),
            "es": _md("""
                ## De las llamadas a los indicadores

                Cada llamada, mensaje de texto o sesión de datos deja un registro en el operador: qué antena la atendió, cuándo y durante cuánto tiempo. Agregados durante semanas y sobre todos los abonados de una zona, estos registros describen cómo vive la gente: cuánto se desplaza, cuántos contactos mantiene, cuánto saldo recarga. Varios de estos patrones están estrechamente relacionados con la riqueza de los hogares y, por lo tanto, con la pobreza.

                ## Variables que suelen predecir la pobreza

                | Variable | Qué refleja |
                |---|---|
                | Monto medio de recarga | Ingreso disponible |
                | Radio de giro | Acceso al trabajo y a los mercados |
                | Proporción de llamadas nocturnas | Tipo de empleo |
                | Número de contactos distintos | Redes sociales y económicas |

                ## El flujo de modelización

                1. Acordar con el operador indicadores agregados por zona de antena; ningún registro individual sale de sus instalaciones.
                2. Cruzar las zonas con la última encuesta de hogares, que da tasas de pobreza para una muestra de ellas.
                3. Entrenar un modelo con las zonas cruzadas y validarlo con zonas que no se usaron en el entrenamiento.
                4. Predecir la pobreza en todas las zonas, con un intervalo de incertidumbre, y compararla con el mapa censal.

                ## Límites que conviene recordar

                - Las zonas con pocos abonados dan estimaciones inestables.
                - La tenencia de teléfono es menor entre los más pobres, las mujeres y las personas mayores.
                - Un modelo entrenado en un año o un país no se traslada sin recalibración.

                El piloto latinoamericano con la oficina nacional de estadística usó este flujo para probar si eran posibles estimaciones municipales mensuales de pobreza entre dos rondas de la encuesta.
            """),
            "pt": _md("""
                ## Das chamadas aos indicadores

                Cada chamada, mensagem de texto ou sessão de dados deixa um registro na operadora: qual antena a atendeu, quando e por quanto tempo. Agregados ao longo de semanas e sobre todos os assinantes de uma área, esses registros descrevem como as pessoas vivem — quanto se deslocam, quantos contatos mantêm, quanto crédito recarregam. Vários desses padrões estão fortemente ligados à renda das famílias e, portanto, à pobreza.

                ## Variáveis que costumam prever a pobreza

                | Variável | O que reflete |
                |---|---|
                | Valor médio de recarga | Renda disponível |
                | Raio de giração | Acesso ao trabalho e aos mercados |
                | Proporção de chamadas noturnas | Tipo de emprego |
                | Número de contatos distintos | Redes sociais e econômicas |

                ## O fluxo de modelagem

                1. Combinar com a operadora indicadores agregados por área de antena; nenhum registro individual sai de suas instalações.
                2. Cruzar as áreas com a última pesquisa domiciliar, que fornece taxas de pobreza para uma amostra delas.
                3. Treinar um modelo nas áreas cruzadas e validá-lo em áreas que ficaram fora do treinamento.
                4. Prever a pobreza em todas as áreas, com um intervalo de incerteza, e comparar com o mapa do censo.

                ## Limites a lembrar

                - Áreas com poucos assinantes geram estimativas instáveis.
                - A posse de telefone é menor entre os mais pobres, as mulheres e os idosos.
                - Um modelo treinado em um ano ou país não se transfere sem recalibração.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Describe the indicators that can be derived from aggregated call detail records",
                "Explain how a household survey is used to train and validate a poverty model",
                "Assess the coverage bias of mobile phone data for the poorest groups",
                "Interpret a poverty map together with its uncertainty",
            ),
            "es": _lines(
                "Describir los indicadores que se pueden derivar de registros de llamadas agregados",
                "Explicar cómo se usa una encuesta de hogares para entrenar y validar un modelo de pobreza",
                "Evaluar el sesgo de cobertura de los datos móviles para los grupos más pobres",
                "Interpretar un mapa de pobreza junto con su incertidumbre",
            ),
            "pt": _lines(
                "Descrever os indicadores que podem ser derivados de registros de chamadas agregados",
                "Explicar como uma pesquisa domiciliar é usada para treinar e validar um modelo de pobreza",
                "Avaliar o viés de cobertura dos dados móveis para os grupos mais pobres",
                "Interpretar um mapa de pobreza junto com sua incerteza",
            ),
        },
        "level": Level.INTERMEDIATE,
        "hours": "6.0",
        "licence": "CC-BY-4.0",
        "topics": ("mobile-phone-data", "official-statistics", "machine-learning-for-development"),
        "dataspace": "latin-america",
        "publish": True,
    },
    # --- 3 (draft) -------------------------------------------------------------------------
    {
        "title": {
            "en": "Mobile phone data for public safety",
            "es": "Datos de telefonía móvil para la seguridad ciudadana",
        },
        "summary": {
            "en": "What aggregated mobility data can tell a city about crime and safety, how to build indicators with police and city partners, and how to avoid stigmatizing neighbourhoods.",
            "es": "Qué pueden decir los datos de movilidad agregados sobre el delito y la seguridad de una ciudad, cómo construir indicadores con la policía y la alcaldía, y cómo evitar estigmatizar barrios.",
        },
        "body": {
            "en": _md("""
                ## The question

                Crime statistics count reported incidents per resident population. But a busy market street may have few residents and thousands of daily visitors, so its crime rate per resident looks alarming while the risk for any one visitor is low. Aggregated mobile phone data estimate the **ambient population** — how many people are actually present in an area, hour by hour — and give a better denominator.

                ## Indicators built in the pilot

                - Hourly ambient population per antenna area, weekdays and weekends.
                - Inflows and outflows between districts at night.
                - Diversity of visitors' home areas, as a proxy for how public a place is.
                - Incidents per 1,000 people present, compared with incidents per 1,000 residents.

                | Area type | Per resident | Per person present |
                |---|---|---|
                | Commercial centre | Very high | Moderate |
                | Residential periphery | Moderate | Moderate |
                | Night-life district | High | High after midnight |

                ## Risks

                Maps of "dangerous areas" travel fast and outlive their caveats. Before publishing, the team agrees with city partners on the level of aggregation, on wording that describes places and times rather than people, and on who may use the results for operational decisions.

                ## Status

                This module is being revised after the second workshop; the exercises on night-time flows are still in draft.
            """),
            "es": _md("""
                ## La pregunta

                Las estadísticas de delitos cuentan incidentes denunciados por población residente. Pero una calle comercial concurrida puede tener pocos residentes y miles de visitantes diarios: su tasa por residente parece alarmante, aunque el riesgo para cada visitante sea bajo. Los datos móviles agregados estiman la **población flotante**, es decir, cuántas personas están realmente presentes en una zona, hora por hora, y ofrecen un mejor denominador.

                ## Indicadores construidos en el piloto

                - Población flotante por hora y por zona de antena, en días laborables y fines de semana.
                - Entradas y salidas entre localidades durante la noche.
                - Diversidad de las zonas de residencia de los visitantes, como aproximación a cuán público es un lugar.
                - Incidentes por cada 1.000 personas presentes, comparados con incidentes por cada 1.000 residentes.

                | Tipo de zona | Por residente | Por persona presente |
                |---|---|---|
                | Centro comercial | Muy alta | Moderada |
                | Periferia residencial | Moderada | Moderada |
                | Zona de vida nocturna | Alta | Alta después de medianoche |

                ## Riesgos

                Los mapas de "zonas peligrosas" circulan rápido y sobreviven a sus advertencias. Antes de publicar, el equipo acuerda con la alcaldía y la policía el nivel de agregación, una redacción que describa lugares y horarios y no personas, y quién puede usar los resultados para decisiones operativas.

                ## Estado

                Este módulo se está revisando después del segundo taller; los ejercicios sobre flujos nocturnos siguen en borrador.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Explain why ambient population is a better denominator than residents for crime rates",
                "Build hourly presence indicators from aggregated mobile data",
                "Agree on publication rules that avoid stigmatizing places or groups",
            ),
            "es": _lines(
                "Explicar por qué la población flotante es mejor denominador que los residentes para las tasas de delito",
                "Construir indicadores horarios de presencia a partir de datos móviles agregados",
                "Acordar reglas de publicación que eviten estigmatizar lugares o grupos",
            ),
        },
        "level": Level.INTERMEDIATE,
        "hours": "4.5",
        "licence": "CC-BY-4.0",
        "topics": ("mobile-phone-data", "privacy-and-ethics"),
        "dataspace": "latin-america",
        "publish": False,
    },
    # --- 4 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Privacy and ethics of big data",
            "es": "Privacidad y ética del big data",
            "fr": "Vie privée et éthique des mégadonnées",
            "ar": "الخصوصية وأخلاقيات البيانات الضخمة",
        },
        "summary": {
            "en": "How to protect the people whose lives the data describe: anonymization and its limits, aggregation, consent, risks to groups, and a checklist to use before any project starts.",
            "es": "Cómo proteger a las personas cuyas vidas describen los datos: la anonimización y sus límites, la agregación, el consentimiento, los riesgos para los grupos y una lista de control para antes de empezar un proyecto.",
            "fr": "Comment protéger les personnes dont les données décrivent la vie : l'anonymisation et ses limites, l'agrégation, le consentement, les risques pour les groupes, et une liste de contrôle à utiliser avant tout projet.",
            "ar": "كيف نحمي الأشخاص الذين تصف البيانات حياتهم: إخفاء الهوية وحدوده، والتجميع، والموافقة، والمخاطر على المجموعات، مع قائمة تحقق قبل بدء أي مشروع.",
        },
        "body": {
            "en": _md("""
                ## Whose data is it?

                Call records, payments and satellite images are collected by companies and agencies, but they describe people who never agreed to take part in a study. Development projects often work with the most vulnerable populations, so the duty of care is higher, not lower.

                ## Removing names is not enough

                - Four places and times are enough to single out most people in a mobility dataset.
                - Linking two "anonymous" datasets can reveal what neither shows alone.
                - Small areas and rare categories make individuals stand out.

                ## Protection techniques

                | Technique | Protects against | Cost |
                |---|---|---|
                | Aggregation by area and period | Re-identification | Less detail |
                | Suppressing small counts | Singling out | Gaps in maps |
                | Differential privacy | Linkage attacks | Added noise |
                | Query access, data stays home | Leaks | Slower analysis |

                ## Risks to groups

                Even perfectly anonymous results can harm a community: a map of migrants' movements, an ethnic minority's neighbourhood flagged as "high risk", a district denied credit. Ask who could misuse the results, not only who could be identified.

                ## A checklist before any project

                1. State the public-interest purpose in one sentence.
                2. Collect and keep only what that purpose needs.
                3. Involve someone who speaks for the people described.
                4. Decide in advance what will not be published.
                5. Plan when and how the data will be deleted.
            """),
            "es": _md("""
                ## ¿De quién son los datos?

                Los registros de llamadas, los pagos y las imágenes satelitales los recogen empresas y entidades, pero describen a personas que nunca aceptaron participar en un estudio. Los proyectos de desarrollo trabajan a menudo con las poblaciones más vulnerables, así que el deber de cuidado es mayor, no menor.

                ## Quitar los nombres no basta

                - Cuatro lugares y horas bastan para singularizar a la mayoría de las personas en un conjunto de datos de movilidad.
                - Cruzar dos conjuntos "anónimos" puede revelar lo que ninguno muestra por separado.
                - Las áreas pequeñas y las categorías raras hacen que los individuos destaquen.

                ## Técnicas de protección

                | Técnica | Protege contra | Costo |
                |---|---|---|
                | Agregación por zona y periodo | Reidentificación | Menos detalle |
                | Supresión de conteos pequeños | Singularización | Vacíos en los mapas |
                | Privacidad diferencial | Ataques de enlace | Ruido añadido |
                | Acceso por consultas, los datos no salen | Fugas | Análisis más lento |

                ## Riesgos para los grupos

                Incluso resultados perfectamente anónimos pueden dañar a una comunidad: un mapa de los desplazamientos de migrantes, el barrio de una minoría señalado como "de alto riesgo", una localidad a la que se niega el crédito. Hay que preguntarse quién podría usar mal los resultados, no solo quién podría ser identificado.

                ## Lista de control antes de cualquier proyecto

                1. Enunciar en una frase el propósito de interés público.
                2. Recoger y conservar solo lo que ese propósito necesita.
                3. Involucrar a alguien que hable por las personas descritas.
                4. Decidir de antemano lo que no se publicará.
                5. Planificar cuándo y cómo se borrarán los datos.
            """),
            "fr": _md("""
                ## À qui appartiennent les données ?

                Les relevés d'appels, les paiements et les images satellitaires sont collectés par des entreprises et des administrations, mais ils décrivent des personnes qui n'ont jamais accepté de participer à une étude. Les projets de développement touchent souvent les populations les plus vulnérables : le devoir de précaution est donc plus grand, pas moindre.

                ## Retirer les noms ne suffit pas

                - Quatre lieux et horaires suffisent à isoler la plupart des personnes dans des données de mobilité.
                - Croiser deux jeux de données « anonymes » peut révéler ce qu'aucun ne montre seul.
                - Les petites zones et les catégories rares font ressortir les individus.

                ## Techniques de protection

                | Technique | Protège contre | Coût |
                |---|---|---|
                | Agrégation par zone et période | Réidentification | Moins de détail |
                | Suppression des petits effectifs | Isolement | Trous dans les cartes |
                | Confidentialité différentielle | Attaques par recoupement | Bruit ajouté |

                ## Risques pour les groupes

                Même des résultats parfaitement anonymes peuvent nuire à une communauté : une carte des déplacements de migrants, le quartier d'une minorité qualifié de « à risque », une localité privée de crédit. Il faut se demander qui pourrait détourner les résultats, et pas seulement qui pourrait être identifié.

                ## Liste de contrôle avant tout projet

                1. Énoncer en une phrase la finalité d'intérêt public.
                2. Ne collecter et ne conserver que ce qu'exige cette finalité.
                3. Associer une personne qui parle au nom des populations décrites.
                4. Décider à l'avance de ce qui ne sera pas publié.
                5. Prévoir quand et comment les données seront effacées.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Explain why removing names does not make a dataset anonymous",
                "Choose a protection technique suited to a dataset and its use",
                "Identify risks to groups as well as to individuals",
                "Apply a five-point checklist before starting a data project",
            ),
            "es": _lines(
                "Explicar por qué quitar los nombres no hace anónimo un conjunto de datos",
                "Elegir una técnica de protección adecuada a unos datos y a su uso",
                "Identificar los riesgos para los grupos además de los riesgos individuales",
                "Aplicar una lista de control de cinco puntos antes de empezar un proyecto de datos",
            ),
            "fr": _lines(
                "Expliquer pourquoi retirer les noms ne rend pas un jeu de données anonyme",
                "Choisir une technique de protection adaptée aux données et à leur usage",
                "Identifier les risques pour les groupes autant que pour les individus",
                "Appliquer une liste de contrôle en cinq points avant un projet de données",
            ),
        },
        "level": Level.INTRODUCTORY,
        "hours": "3.0",
        "licence": "CC-BY-SA-4.0",
        "topics": ("privacy-and-ethics",),
        "dataspace": None,
        "publish": True,
    },
    # --- 5 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Data literacy for policymakers",
            "es": "Alfabetización de datos para responsables de políticas",
            "pt": "Letramento em dados para formuladores de políticas",
        },
        "summary": {
            "en": "A short, practical session for people who decide with numbers they did not produce: how to read an indicator, which questions to ask, and the traps that appear in almost every briefing.",
            "es": "Una sesión breve y práctica para quienes deciden con cifras que no produjeron: cómo leer un indicador, qué preguntas hacer y qué trampas aparecen en casi todos los informes.",
            "pt": "Uma sessão curta e prática para quem decide com números que não produziu: como ler um indicador, que perguntas fazer e quais armadilhas aparecem em quase todo relatório.",
        },
        "body": {
            "en": _md("""
                ## Reading a number

                A figure in a briefing is the end of a long chain: someone chose what to measure, how to collect it, whom to leave out and how to summarize it. Policymakers do not need to redo the analysis, but they should be able to see where the chain might be weak.

                ## Five questions to ask of any indicator

                1. **What exactly is counted?** "Unemployment" and "people without formal work" are different numbers.
                2. **Who is missing?** Surveys miss the homeless; phone data miss people without phones.
                3. **Compared with what?** A rise means little without last year, the neighbouring region or a target.
                4. **How uncertain is it?** A poverty rate of 27% ± 4 points cannot show a one-point change.
                5. **Who produced it, and why?** Funding and purpose shape choices.

                ## Common traps

                | Trap | Example | Question to ask |
                |---|---|---|
                | Averages hide inequality | Average income grows while most households stagnate | What does the median show? |
                | Correlation read as cause | Districts with more clinics report more illness | Could it be the other way round? |
                | Truncated axes | A 2% change looks like a doubling | Where does the axis start? |
                | Small samples | A municipal rate from 30 interviews | How many observations? |

                ## In practice

                Participants bring a real briefing from their ministry or agency and rewrite its key chart and headline so that a non-specialist can read them correctly in under a minute.
            """),
            "es": _md("""
                ## Leer una cifra

                Una cifra en un informe es el final de una larga cadena: alguien eligió qué medir, cómo recogerlo, a quién dejar fuera y cómo resumirlo. Quien decide no necesita rehacer el análisis, pero sí debe poder ver dónde puede fallar esa cadena.

                ## Cinco preguntas para cualquier indicador

                1. **¿Qué se cuenta exactamente?** "Desempleo" y "personas sin trabajo formal" son cifras distintas.
                2. **¿Quién falta?** Las encuestas no ven a las personas sin hogar; los datos móviles, a quien no tiene teléfono.
                3. **¿Comparado con qué?** Un aumento dice poco sin el año anterior, la región vecina o una meta.
                4. **¿Cuánta incertidumbre tiene?** Una tasa de pobreza del 27% ± 4 puntos no puede mostrar un cambio de un punto.
                5. **¿Quién la produjo y para qué?** La financiación y el propósito condicionan las decisiones.

                ## Trampas frecuentes

                | Trampa | Ejemplo | Pregunta que hacer |
                |---|---|---|
                | El promedio oculta la desigualdad | El ingreso medio crece y la mayoría se estanca | ¿Qué muestra la mediana? |
                | Correlación leída como causa | Las localidades con más centros de salud reportan más enfermedad | ¿Podría ser al revés? |
                | Ejes recortados | Un cambio del 2% parece el doble | ¿Dónde empieza el eje? |
                | Muestras pequeñas | Una tasa municipal con 30 entrevistas | ¿Cuántas observaciones hay? |

                ## En la práctica

                Los participantes traen un informe real de su ministerio o entidad y reescriben su gráfico y su titular principales para que alguien no especialista los lea correctamente en menos de un minuto.
            """),
            "pt": _md("""
                ## Ler um número

                Um número em um relatório é o fim de uma longa cadeia: alguém escolheu o que medir, como coletar, quem deixar de fora e como resumir. Quem decide não precisa refazer a análise, mas deve conseguir ver onde essa cadeia pode falhar.

                ## Cinco perguntas para qualquer indicador

                1. **O que exatamente é contado?** "Desemprego" e "pessoas sem trabalho formal" são números diferentes.
                2. **Quem está faltando?** Pesquisas não veem a população em situação de rua; dados móveis não veem quem não tem telefone.
                3. **Comparado com quê?** Um aumento diz pouco sem o ano anterior, a região vizinha ou uma meta.
                4. **Qual a incerteza?** Uma taxa de pobreza de 27% ± 4 pontos não mostra uma mudança de um ponto.
                5. **Quem produziu e para quê?** O financiamento e o propósito influenciam as escolhas.

                ## Armadilhas comuns

                | Armadilha | Exemplo | Pergunta a fazer |
                |---|---|---|
                | A média esconde a desigualdade | A renda média cresce e a maioria estagna | O que mostra a mediana? |
                | Correlação lida como causa | Municípios com mais postos de saúde registram mais doenças | Poderia ser o contrário? |
                | Eixos cortados | Uma variação de 2% parece o dobro | Onde começa o eixo? |

                ## Na prática

                Os participantes trazem um relatório real de seu ministério ou órgão e reescrevem o gráfico e o título principais para que um não especialista os leia corretamente em menos de um minuto.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Ask five standard questions of any indicator in a briefing",
                "Recognize common statistical traps in charts and headlines",
                "Read a margin of error and judge whether a change is meaningful",
                "Rewrite a chart and headline for a non-specialist audience",
            ),
            "es": _lines(
                "Hacer cinco preguntas básicas a cualquier indicador de un informe",
                "Reconocer trampas estadísticas frecuentes en gráficos y titulares",
                "Leer un margen de error y juzgar si un cambio es significativo",
                "Reescribir un gráfico y un titular para un público no especialista",
            ),
            "pt": _lines(
                "Fazer cinco perguntas básicas a qualquer indicador de um relatório",
                "Reconhecer armadilhas estatísticas comuns em gráficos e títulos",
                "Ler uma margem de erro e julgar se uma mudança é relevante",
                "Reescrever um gráfico e um título para um público não especialista",
            ),
        },
        "level": Level.INTRODUCTORY,
        "hours": "2.0",
        "licence": "CC-BY-4.0",
        "topics": ("data-literacy", "visualization"),
        "dataspace": "latin-america",
        "publish": True,
    },
    # --- 6 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Visualization for development",
            "es": "Visualización para el desarrollo",
        },
        "summary": {
            "en": "Designing charts and maps that a minister, a journalist and a community leader can all read: choosing the right chart, mapping responsibly, and designing for phones and slow connections.",
            "es": "Diseñar gráficos y mapas que puedan leer una ministra, un periodista y una líder comunitaria: elegir el gráfico adecuado, cartografiar con responsabilidad y diseñar para teléfonos y conexiones lentas.",
        },
        "body": {
            "en": _md("""
                ## Start with the audience

                A visualization is an argument made with shapes. Before opening any tool, write down who will look at it, what decision they face and the one sentence they should remember. A chart for a statistics office's technical annex and a chart for a radio station's website answer different questions.

                ## Choosing a chart

                | You want to show | Use | Avoid |
                |---|---|---|
                | Change over time | Line chart | Pie charts per year |
                | Comparison between regions | Sorted bar chart | 3D bars |
                | Parts of a whole | Stacked bar, at most 5 parts | Pie with 12 slices |
                | Where something happens | Choropleth or dot map | Unnormalized counts |

                ## Maps need care

                Large, sparsely populated areas dominate a map visually even when few people live there. Normalize counts by population, consider cartograms or hexagon grids, and always state the source and the date of the boundaries used. Colour scales should be readable by people with colour-vision deficiencies.

                ## Designing for phones and slow connections

                - Prefer static images with a short caption over heavy interactive dashboards.
                - Keep labels on the chart instead of in a separate legend.
                - Test at 360 pixels wide and on a 3G connection.
                - Offer the underlying table for download, in CSV.

                ## Exercise

                Participants redesign a cluttered dashboard from a development report into three simple charts, one for each audience.
            """),
            "es": _md("""
                ## Empezar por el público

                Una visualización es un argumento hecho con formas. Antes de abrir cualquier herramienta, hay que escribir quién la va a ver, qué decisión enfrenta y la frase que debe recordar. Un gráfico para el anexo técnico de una oficina de estadística y otro para la página web de una emisora de radio responden a preguntas distintas.

                ## Elegir un gráfico

                | Para mostrar | Usar | Evitar |
                |---|---|---|
                | Cambios en el tiempo | Gráfico de líneas | Un gráfico circular por año |
                | Comparación entre regiones | Barras ordenadas | Barras en 3D |
                | Partes de un todo | Barra apilada, máximo 5 partes | Circular con 12 porciones |
                | Dónde ocurre algo | Mapa coroplético o de puntos | Conteos sin normalizar |

                ## Los mapas exigen cuidado

                Las zonas grandes y poco pobladas dominan visualmente un mapa aunque en ellas viva poca gente. Hay que normalizar los conteos por población, considerar cartogramas o mallas hexagonales e indicar siempre la fuente y la fecha de los límites usados. Las escalas de color deben poder leerlas las personas con daltonismo.

                ## Diseñar para teléfonos y conexiones lentas

                - Preferir imágenes estáticas con una leyenda breve a tableros interactivos pesados.
                - Poner las etiquetas en el gráfico y no en una leyenda aparte.
                - Probar con 360 píxeles de ancho y una conexión 3G.
                - Ofrecer la tabla de datos para descargar, en CSV.

                ## Ejercicio

                Los participantes rediseñan un tablero recargado de un informe de desarrollo en tres gráficos sencillos, uno para cada público.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Define the audience and key message before designing a chart",
                "Choose a chart type suited to the comparison being made",
                "Produce maps normalized by population with accessible colour scales",
                "Design visualizations that work on phones and slow connections",
            ),
            "es": _lines(
                "Definir el público y el mensaje clave antes de diseñar un gráfico",
                "Elegir un tipo de gráfico adecuado a la comparación que se quiere hacer",
                "Producir mapas normalizados por población con escalas de color accesibles",
                "Diseñar visualizaciones que funcionen en teléfonos y conexiones lentas",
            ),
        },
        "level": Level.INTRODUCTORY,
        "hours": "3.5",
        "licence": "CC-BY-4.0",
        "topics": ("visualization", "data-literacy"),
        "dataspace": "latin-america",
        "publish": True,
    },
    # --- 7 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Machine learning for development",
            "es": "Aprendizaje automático para el desarrollo",
        },
        "summary": {
            "en": "A hands-on introduction to supervised learning for development questions: framing the problem, working with scarce ground truth, validating honestly and checking models for bias.",
            "es": "Una introducción práctica al aprendizaje supervisado para preguntas de desarrollo: plantear el problema, trabajar con pocos datos de referencia, validar con honestidad y revisar los sesgos de los modelos.",
        },
        "body": {
            "en": _md("""
                ## What machine learning adds

                Machine learning finds patterns that link cheap, abundant data (images, phone records, text) to expensive, scarce measurements (survey results, field inspections). Once learned, the pattern can be applied wherever the cheap data exist. The method is powerful and easy to misuse: a model is only as good as the ground truth it learned from.

                ## A typical project

                1. Frame a decision-relevant question and the measurement that answers it.
                2. Assemble ground truth: survey clusters, field visits, administrative records.
                3. Build features from the abundant source and join them to the ground truth.
                4. Train simple models first; keep the best complex model only if it clearly wins.
                5. Validate on places and periods the model has never seen.
                6. Publish predictions with uncertainty and a plain-language description of limits.

                ## Methods at a glance

                | Method | Good for | Watch out for |
                |---|---|---|
                | Regularized regression | Small samples, interpretability | Non-linear effects |
                | Random forests | Tabular features | Extrapolation |
                | Convolutional networks | Images | Need for many labels |
                | Transfer learning | Few labels | Domain mismatch |

                ## Validation when ground truth is scarce

                Random cross-validation overstates accuracy when neighbouring areas are similar. Use spatial blocks: hold out whole districts or regions, and report performance per region.

                ## Bias

                Check errors by urban and rural areas, by region and, where possible, by population group. A model that is accurate on average can be systematically wrong for the places that matter most.

                The labs use open survey and imagery data from East Africa and run in a browser notebook.
            """),
            "es": _md("""
                ## Qué aporta el aprendizaje automático

                El aprendizaje automático encuentra patrones que vinculan datos baratos y abundantes (imágenes, registros telefónicos, texto) con mediciones caras y escasas (resultados de encuestas, inspecciones de campo). Una vez aprendido, el patrón puede aplicarse allí donde existan los datos baratos. El método es potente y fácil de usar mal: un modelo vale lo que valen los datos de referencia de los que aprendió.

                ## Un proyecto típico

                1. Plantear una pregunta útil para una decisión y la medición que la responde.
                2. Reunir datos de referencia: conglomerados de encuesta, visitas de campo, registros administrativos.
                3. Construir variables a partir de la fuente abundante y unirlas a los datos de referencia.
                4. Entrenar primero modelos simples; quedarse con uno complejo solo si gana con claridad.
                5. Validar en lugares y periodos que el modelo nunca ha visto.
                6. Publicar las predicciones con su incertidumbre y una descripción clara de sus límites.

                ## Métodos en resumen

                | Método | Útil para | Cuidado con |
                |---|---|---|
                | Regresión regularizada | Muestras pequeñas, interpretabilidad | Efectos no lineales |
                | Bosques aleatorios | Variables tabulares | Extrapolación |
                | Redes convolucionales | Imágenes | Necesidad de muchas etiquetas |
                | Aprendizaje por transferencia | Pocas etiquetas | Diferencias de dominio |

                ## Validar con pocos datos de referencia

                La validación cruzada aleatoria sobrestima la precisión cuando las zonas vecinas se parecen. Conviene usar bloques espaciales: reservar distritos o regiones completos e informar del desempeño por región.

                ## Sesgos

                Hay que revisar los errores por zonas urbanas y rurales, por región y, cuando sea posible, por grupo de población. Un modelo preciso en promedio puede equivocarse sistemáticamente justo en los lugares que más importan.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Frame a development question as a supervised learning problem",
                "Build and join features to scarce ground-truth data",
                "Validate models with spatial cross-validation",
                "Report model errors by region and population group",
                "Communicate predictions together with their uncertainty",
            ),
            "es": _lines(
                "Plantear una pregunta de desarrollo como un problema de aprendizaje supervisado",
                "Construir variables y unirlas a datos de referencia escasos",
                "Validar modelos con validación cruzada espacial",
                "Informar de los errores del modelo por región y grupo de población",
                "Comunicar las predicciones junto con su incertidumbre",
            ),
        },
        "level": Level.ADVANCED,
        "hours": "8.0",
        "licence": "CC-BY-4.0",
        "topics": ("machine-learning-for-development", "satellite-imagery"),
        "dataspace": "east-south-africa",
        "publish": True,
    },
    # --- 8 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Satellite imagery for development",
            "es": "Imágenes satelitales para el desarrollo",
            "fr": "Imagerie satellitaire pour le développement",
        },
        "summary": {
            "en": "What satellites can see of human settlements, agriculture and economic activity, how to turn pixels into indicators, and the practical limits of free and commercial imagery.",
            "es": "Qué pueden ver los satélites de los asentamientos, la agricultura y la actividad económica, cómo convertir píxeles en indicadores y cuáles son los límites prácticos de las imágenes gratuitas y comerciales.",
            "fr": "Ce que les satellites voient des établissements humains, de l'agriculture et de l'activité économique, comment passer des pixels aux indicateurs, et les limites pratiques de l'imagerie gratuite et commerciale.",
        },
        "body": {
            "en": _md("""
                ## What a satellite sees

                Satellites measure reflected light and emitted heat at regular intervals over the whole planet. From these measurements analysts can estimate building footprints, roof materials, road density, crop types, water bodies and night-time lights — all of which relate to population, wealth and economic activity.

                ## Sources compared

                | Source | Resolution | Revisit | Cost |
                |---|---|---|---|
                | Free medium-resolution optical | 10-30 m | 5-16 days | Free |
                | Commercial very-high-resolution | 0.3-1 m | Daily on request | High |
                | Night-time lights | 500 m | Daily, monthly composites | Free |
                | Radar | 5-20 m | 6-12 days | Free |

                ## From pixels to indicators

                1. Define the indicator and the unit of analysis (village, grid cell, district).
                2. Prepare images: cloud masking, compositing, alignment with boundaries.
                3. Extract features, either designed by hand (vegetation index, built-up share) or learned by a neural network.
                4. Calibrate against survey or census values and validate in held-out areas.

                ## Practical limits

                - Clouds hide the tropics for much of the rainy season; radar helps.
                - Informal settlements change faster than boundary files.
                - Very-high-resolution images can identify individual homes; treat them as personal data.
                - Processing large areas needs cloud computing credits or a shared platform.

                The exercises use free imagery over peri-urban Nairobi and Kigali and a shared notebook environment provided by the Data Space.
            """),
            "es": _md("""
                ## Qué ve un satélite

                Los satélites miden la luz reflejada y el calor emitido a intervalos regulares sobre todo el planeta. A partir de esas mediciones se pueden estimar huellas de edificios, materiales de los techos, densidad vial, tipos de cultivo, cuerpos de agua y luces nocturnas, todo ello relacionado con la población, la riqueza y la actividad económica.

                ## Fuentes comparadas

                | Fuente | Resolución | Revisita | Costo |
                |---|---|---|---|
                | Óptica gratuita de resolución media | 10-30 m | 5-16 días | Gratis |
                | Comercial de muy alta resolución | 0,3-1 m | Diaria bajo pedido | Alto |
                | Luces nocturnas | 500 m | Diaria, compuestos mensuales | Gratis |
                | Radar | 5-20 m | 6-12 días | Gratis |

                ## De los píxeles a los indicadores

                1. Definir el indicador y la unidad de análisis (vereda, celda, municipio).
                2. Preparar las imágenes: máscara de nubes, compuestos, alineación con los límites.
                3. Extraer variables, diseñadas a mano (índice de vegetación, proporción construida) o aprendidas por una red neuronal.
                4. Calibrar con valores de encuestas o censos y validar en zonas reservadas.

                ## Límites prácticos

                - Las nubes ocultan el trópico durante buena parte de la temporada de lluvias; el radar ayuda.
                - Los asentamientos informales cambian más rápido que los archivos de límites.
                - Las imágenes de muy alta resolución permiten identificar viviendas; deben tratarse como datos personales.
                - Procesar grandes áreas requiere créditos de computación en la nube o una plataforma compartida.
            """),
            "fr": _md("""
                ## Ce que voit un satellite

                Les satellites mesurent la lumière réfléchie et la chaleur émise, à intervalles réguliers, sur toute la planète. À partir de ces mesures, on peut estimer l'emprise des bâtiments, les matériaux des toitures, la densité du réseau routier, les types de cultures, les plans d'eau et les lumières nocturnes — autant d'éléments liés à la population, à la richesse et à l'activité économique.

                ## Comparaison des sources

                | Source | Résolution | Revisite | Coût |
                |---|---|---|---|
                | Optique gratuite, résolution moyenne | 10-30 m | 5-16 jours | Gratuit |
                | Commerciale, très haute résolution | 0,3-1 m | Quotidienne sur demande | Élevé |
                | Lumières nocturnes | 500 m | Quotidienne, synthèses mensuelles | Gratuit |
                | Radar | 5-20 m | 6-12 jours | Gratuit |

                ## Des pixels aux indicateurs

                1. Définir l'indicateur et l'unité d'analyse (village, maille, district).
                2. Préparer les images : masque de nuages, composites, alignement sur les limites administratives.
                3. Extraire des variables, conçues à la main ou apprises par un réseau de neurones.
                4. Caler sur des valeurs d'enquête ou de recensement et valider sur des zones mises de côté.

                ## Limites pratiques

                - Les nuages masquent les tropiques une bonne partie de la saison des pluies ; le radar aide.
                - Les quartiers informels changent plus vite que les fichiers de limites.
                - Les images à très haute résolution permettent d'identifier des logements : ce sont des données personnelles.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Compare satellite sources by resolution, revisit time and cost",
                "Prepare imagery for analysis, including cloud masking and compositing",
                "Derive and calibrate a settlement or wealth indicator from images",
                "Recognize the privacy risks of very-high-resolution imagery",
            ),
            "es": _lines(
                "Comparar fuentes satelitales por resolución, tiempo de revisita y costo",
                "Preparar imágenes para el análisis, incluidas la máscara de nubes y los compuestos",
                "Derivar y calibrar un indicador de asentamientos o de riqueza a partir de imágenes",
                "Reconocer los riesgos para la privacidad de las imágenes de muy alta resolución",
            ),
            "fr": _lines(
                "Comparer les sources satellitaires selon la résolution, la revisite et le coût",
                "Préparer des images pour l'analyse, y compris masque de nuages et composites",
                "Dériver et caler un indicateur d'habitat ou de richesse à partir d'images",
                "Reconnaître les risques pour la vie privée de l'imagerie à très haute résolution",
            ),
        },
        "level": Level.ADVANCED,
        "hours": "6.5",
        "licence": "CC-BY-4.0",
        "topics": ("satellite-imagery", "machine-learning-for-development", "official-statistics"),
        "dataspace": "east-south-africa",
        "publish": True,
    },
    # --- 9 ---------------------------------------------------------------------------------
    {
        "title": {
            "en": "Open data portals",
            "es": "Portales de datos abiertos",
            "fr": "Les portails de données ouvertes",
        },
        "summary": {
            "en": "What makes data truly open, what a useful national or city portal contains, and how to keep a portal alive after its launch.",
            "es": "Qué hace que unos datos sean realmente abiertos, qué contiene un portal nacional o municipal útil y cómo mantenerlo vivo después de su lanzamiento.",
            "fr": "Ce qui rend des données réellement ouvertes, ce que contient un portail national ou municipal utile, et comment le faire vivre après son lancement.",
        },
        "body": {
            "en": _md("""
                ## What makes data open

                Publishing a PDF on a website is a start, not open data. Data are open when anyone can access, use and share them, for any purpose, with at most a requirement to credit the source. In practice that means:

                - an **open licence**, stated next to every dataset;
                - a **machine-readable format** such as CSV or JSON, not a scanned table;
                - **free access** without registration walls;
                - **complete, documented** data, with the meaning of each column explained.

                ## Anatomy of a good portal

                | Element | Why it matters |
                |---|---|
                | Search and categories | Users find data without knowing the agency that holds it |
                | Metadata for each dataset | Source, date, coverage and update frequency build trust |
                | Download and API | Analysts and developers can automate their work |
                | Contact and feedback | Users report errors and ask for new data |
                | Usage statistics | Publishers see which data matter |

                ## Keeping it alive

                Many portals launch with hundreds of datasets and stop updating a year later. Portals survive when publishing is part of each agency's routine, when someone is responsible for quality, and when users — journalists, researchers, start-ups, civil society — are invited to show what they built.

                ## Exercise

                Participants audit a real portal from the region against the checklist above and propose three improvements that would cost little.
            """),
            "es": _md("""
                ## Qué hace que los datos sean abiertos

                Publicar un PDF en una página web es un comienzo, no datos abiertos. Los datos son abiertos cuando cualquiera puede acceder a ellos, usarlos y compartirlos, con cualquier fin, con la única exigencia, como mucho, de citar la fuente. En la práctica eso significa:

                - una **licencia abierta**, indicada junto a cada conjunto de datos;
                - un **formato legible por máquina**, como CSV o JSON, y no una tabla escaneada;
                - **acceso libre**, sin registros obligatorios;
                - datos **completos y documentados**, con el significado de cada columna.

                ## Anatomía de un buen portal

                | Elemento | Por qué importa |
                |---|---|
                | Búsqueda y categorías | Se encuentran datos sin saber qué entidad los tiene |
                | Metadatos por conjunto | Fuente, fecha, cobertura y frecuencia generan confianza |
                | Descarga y API | Analistas y desarrolladores automatizan su trabajo |
                | Contacto y comentarios | Los usuarios señalan errores y piden datos nuevos |
                | Estadísticas de uso | Quien publica ve qué datos importan |

                ## Mantenerlo vivo

                Muchos portales se lanzan con cientos de conjuntos de datos y dejan de actualizarse un año después. Sobreviven cuando publicar forma parte de la rutina de cada entidad, cuando alguien responde por la calidad y cuando se invita a los usuarios (periodistas, investigadores, emprendedores, sociedad civil) a mostrar lo que construyeron.

                ## Ejercicio

                Los participantes evalúan un portal real de la región con esta lista y proponen tres mejoras de bajo costo.
            """),
            "fr": _md("""
                ## Ce qui rend des données ouvertes

                Publier un PDF sur un site web est un début, pas de l'open data. Des données sont ouvertes lorsque chacun peut y accéder, les utiliser et les partager, pour tout usage, avec au plus l'obligation de citer la source. Concrètement :

                - une **licence ouverte**, indiquée à côté de chaque jeu de données ;
                - un **format lisible par machine**, comme CSV ou JSON, et non un tableau numérisé ;
                - un **accès libre**, sans inscription obligatoire ;
                - des données **complètes et documentées**, avec le sens de chaque colonne.

                ## Anatomie d'un bon portail

                | Élément | Pourquoi c'est important |
                |---|---|
                | Recherche et catégories | On trouve les données sans connaître l'administration qui les détient |
                | Métadonnées par jeu | Source, date, couverture et fréquence inspirent confiance |
                | Téléchargement et API | Analystes et développeurs automatisent leur travail |
                | Contact et retours | Les usagers signalent les erreurs et demandent de nouvelles données |

                ## Le faire vivre

                Beaucoup de portails sont lancés avec des centaines de jeux de données et cessent d'être mis à jour un an plus tard. Ils durent lorsque la publication fait partie de la routine de chaque administration, lorsqu'une personne répond de la qualité, et lorsque les usagers — journalistes, chercheurs, jeunes entreprises, société civile — sont invités à montrer ce qu'ils ont construit.

                ## Exercice

                Les participants évaluent un portail réel de la région avec cette grille et proposent trois améliorations peu coûteuses.
            """),
        },
        "outcomes": {
            "en": _lines(
                "State the conditions that make a dataset open",
                "Evaluate a data portal against a practical checklist",
                "Propose low-cost improvements to an existing portal",
            ),
            "es": _lines(
                "Enunciar las condiciones que hacen abierto un conjunto de datos",
                "Evaluar un portal de datos con una lista de control práctica",
                "Proponer mejoras de bajo costo para un portal existente",
            ),
            "fr": _lines(
                "Énoncer les conditions qui rendent un jeu de données ouvert",
                "Évaluer un portail de données à l'aide d'une grille pratique",
                "Proposer des améliorations peu coûteuses pour un portail existant",
            ),
        },
        "level": Level.INTRODUCTORY,
        "hours": "1.5",
        "licence": "CC-BY-4.0",
        "topics": ("open-data", "data-literacy"),
        "dataspace": "west-africa",
        "publish": True,
    },
    # --- 10 --------------------------------------------------------------------------------
    {
        "title": {
            "en": "Building partnerships with telecom operators",
            "es": "Construir alianzas con operadores de telecomunicaciones",
        },
        "summary": {
            "en": "How statistics offices and researchers can reach data-sharing agreements with mobile operators: what operators care about, models of access that keep data safe, and the steps to a signed agreement.",
            "es": "Cómo pueden las oficinas de estadística y los investigadores llegar a acuerdos de intercambio de datos con los operadores móviles: qué les importa a los operadores, modelos de acceso que protegen los datos y los pasos hasta un acuerdo firmado.",
        },
        "body": {
            "en": _md("""
                ## What operators care about

                Mobile operators hold some of the richest data on how people live and move, but sharing it exposes them to legal, commercial and reputational risk. A proposal succeeds when it answers their concerns before they are raised:

                - **Legal compliance** with telecom and data protection law, and the regulator's view.
                - **Customer trust**: no headline should ever read "operator sells your calls".
                - **Commercial confidentiality**: market share and network coverage by area are sensitive.
                - **Cost**: engineering time to extract and aggregate data is scarce.
                - **Benefit**: public recognition, insight for their own planning, goodwill with government.

                ## Models of access

                | Model | Where the data stay | Example use |
                |---|---|---|
                | Pre-computed indicators | Operator, only aggregates leave | Monthly population estimates |
                | Remote queries | Operator's servers, approved code runs there | Research pilots |
                | Secure enclave | Trusted third party | Multi-operator studies |
                | Synthetic data | Operator, model of the data shared | Training and method testing |

                ## Steps to an agreement

                1. Start with a concrete public-interest question, not a request for "all the data".
                2. Involve the operator's legal and privacy teams from the first meeting.
                3. Agree on a small pilot with a clear end date and deliverables.
                4. Write down what will be published, who reviews it, and how data are deleted.
                5. Recognize the operator's contribution publicly when results are released.

                In Latin America, the pilot agreements with an operator began with pre-computed indicators and moved to remote queries once trust was established.
            """),
            "es": _md("""
                ## Qué les importa a los operadores

                Los operadores móviles tienen algunos de los datos más ricos sobre cómo vive y se desplaza la gente, pero compartirlos los expone a riesgos legales, comerciales y de reputación. Una propuesta funciona cuando responde a sus inquietudes antes de que las planteen:

                - **Cumplimiento legal** de las normas de telecomunicaciones y de protección de datos, y la opinión del regulador.
                - **Confianza de los clientes**: ningún titular debería decir nunca "el operador vende tus llamadas".
                - **Confidencialidad comercial**: la cuota de mercado y la cobertura por zona son sensibles.
                - **Costo**: el tiempo de ingeniería para extraer y agregar datos es escaso.
                - **Beneficio**: reconocimiento público, información para su propia planificación, buena relación con el gobierno.

                ## Modelos de acceso

                | Modelo | Dónde quedan los datos | Ejemplo de uso |
                |---|---|---|
                | Indicadores precalculados | En el operador; solo salen agregados | Estimaciones mensuales de población |
                | Consultas remotas | Servidores del operador; allí corre el código aprobado | Pilotos de investigación |
                | Enclave seguro | Un tercero de confianza | Estudios con varios operadores |
                | Datos sintéticos | En el operador; se comparte un modelo de los datos | Formación y prueba de métodos |

                ## Pasos hacia un acuerdo

                1. Partir de una pregunta concreta de interés público, no de una solicitud de "todos los datos".
                2. Involucrar a los equipos jurídico y de privacidad del operador desde la primera reunión.
                3. Acordar un piloto pequeño con fecha de fin y entregables claros.
                4. Dejar por escrito qué se publicará, quién lo revisa y cómo se borran los datos.
                5. Reconocer públicamente la contribución del operador al publicar los resultados.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Anticipate the legal, commercial and reputational concerns of an operator",
                "Choose a model of data access suited to a project's question and risks",
                "Draft the key clauses of a pilot data-sharing agreement",
            ),
            "es": _lines(
                "Anticipar las inquietudes legales, comerciales y de reputación de un operador",
                "Elegir un modelo de acceso a datos adecuado a la pregunta y los riesgos de un proyecto",
                "Redactar las cláusulas clave de un acuerdo piloto de intercambio de datos",
            ),
        },
        "level": Level.INTERMEDIATE,
        "hours": "3.0",
        "licence": "CC-BY-4.0",
        "topics": ("mobile-phone-data", "privacy-and-ethics"),
        "dataspace": "latin-america",
        "publish": True,
    },
    # --- 11 --------------------------------------------------------------------------------
    {
        "title": {
            "en": "Data collaboratives",
            "es": "Colaborativos de datos",
        },
        "summary": {
            "en": "How companies, governments, universities and civil society pool data and skills for a public purpose: forms of collaboration, governance, and how to show the value created.",
            "es": "Cómo empresas, gobiernos, universidades y sociedad civil ponen en común datos y capacidades con un propósito público: formas de colaboración, gobernanza y cómo mostrar el valor creado.",
        },
        "body": {
            "en": _md("""
                ## What a data collaborative is

                A data collaborative is a partnership in which organizations from different sectors — often a company holding data and public or academic actors holding questions and skills — exchange data or insights to solve a public problem. It sits between full open data and a private contract, and it is the usual way Data Spaces bring new sources into development work.

                ## Common forms

                - **Data pooling**: several holders contribute to a shared, governed resource.
                - **Research partnerships**: a company gives researchers controlled access for a defined study.
                - **Prizes and challenges**: a dataset is released to teams competing on a question.
                - **Intelligence products**: the holder analyses its own data and shares the results.
                - **Trusted intermediaries**: a third party hosts data and runs approved analyses.

                ## Governance

                | Question | Who usually decides |
                |---|---|
                | Which questions may be asked | A steering group of all partners |
                | Who may access what | The data holder, with the ethics reviewer |
                | What gets published | Joint review before release |
                | When it ends | The agreement, with a deletion plan |

                A short, written set of principles — purpose, proportionality, transparency, accountability — makes decisions faster when unexpected requests arrive.

                ## Showing value

                Collaboratives survive when each partner can explain what it gained. Track a few concrete outcomes: decisions informed, estimates produced, people trained, follow-up projects started in the region or with another Data Space.
            """),
            "es": _md("""
                ## Qué es un colaborativo de datos

                Un colaborativo de datos es una alianza en la que organizaciones de distintos sectores —a menudo una empresa que tiene los datos y actores públicos o académicos que tienen las preguntas y las capacidades— intercambian datos o hallazgos para resolver un problema público. Se sitúa entre los datos abiertos y un contrato privado, y es la forma habitual en que los Data Spaces incorporan nuevas fuentes al trabajo de desarrollo.

                ## Formas comunes

                - **Fondo común de datos**: varios poseedores contribuyen a un recurso compartido y gobernado.
                - **Alianzas de investigación**: una empresa da a investigadores acceso controlado para un estudio definido.
                - **Premios y retos**: se publica un conjunto de datos para equipos que compiten en una pregunta.
                - **Productos de inteligencia**: el poseedor analiza sus propios datos y comparte los resultados.
                - **Intermediarios de confianza**: un tercero aloja los datos y ejecuta análisis aprobados.

                ## Gobernanza

                | Pregunta | Quién decide normalmente |
                |---|---|
                | Qué preguntas se pueden hacer | Un comité de todos los socios |
                | Quién accede a qué | El poseedor de los datos, con el revisor de ética |
                | Qué se publica | Revisión conjunta antes de publicar |
                | Cuándo termina | El acuerdo, con un plan de borrado |

                Un breve conjunto de principios escritos (propósito, proporcionalidad, transparencia, rendición de cuentas) agiliza las decisiones cuando llegan solicitudes inesperadas.

                ## Mostrar el valor

                Los colaborativos sobreviven cuando cada socio puede explicar qué ganó. Conviene seguir algunos resultados concretos: decisiones informadas, estimaciones producidas, personas formadas, nuevos proyectos en la región o con otro Data Space.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Describe the main forms of data collaboratives",
                "Set up a simple governance structure for a data partnership",
                "Define outcomes that show the value of a collaborative to each partner",
            ),
            "es": _lines(
                "Describir las principales formas de colaborativos de datos",
                "Establecer una estructura de gobernanza sencilla para una alianza de datos",
                "Definir resultados que muestren a cada socio el valor del colaborativo",
            ),
        },
        "level": Level.INTERMEDIATE,
        "hours": "2.5",
        "licence": "CC-BY-4.0",
        "topics": ("open-data", "privacy-and-ethics"),
        "dataspace": None,
        "publish": True,
    },
    # --- 12 (draft) ------------------------------------------------------------------------
    {
        "title": {
            "en": "Responsible AI in the public sector",
            "es": "Inteligencia artificial responsable en el sector público",
        },
        "summary": {
            "en": "Using algorithms to target programmes, allocate inspections or answer citizens: principles that hold up in practice, an impact assessment to run before deployment, and who is accountable.",
            "es": "Usar algoritmos para focalizar programas, asignar inspecciones o atender a la ciudadanía: principios que funcionan en la práctica, una evaluación de impacto previa al despliegue y quién rinde cuentas.",
        },
        "body": {
            "en": _md("""
                ## Where AI enters public decisions

                Public agencies already use models to rank households for social programmes, to choose which businesses to inspect, to detect fraud and to answer questions through chatbots. Each use moves part of a decision from a person to a system, and the people affected rarely know it happened.

                ## Principles in practice

                - **Purpose**: the model serves a stated policy goal, approved by someone accountable.
                - **Human oversight**: staff can override the model and are not penalized for doing so.
                - **Transparency**: people are told when a model influenced a decision about them and how to contest it.
                - **Fairness**: error rates are checked across groups before and after deployment.
                - **Sunset**: every model has a review date and is switched off if it no longer serves its purpose.

                ## Impact assessment before deployment

                | Question | Low risk | High risk |
                |---|---|---|
                | Does the output affect rights or benefits? | No | Yes |
                | Can the person contest the decision? | Easily | Hardly |
                | Is the model's logic explainable? | Simple rules | Opaque model |
                | Are vulnerable groups affected? | No | Yes |

                High-risk uses need an external review, a pilot with close monitoring and a published summary of the assessment.

                ## Accountability

                Responsibility stays with the agency, not with the vendor or the data science team. Contracts should give the agency access to the model, its training data description and its performance reports.
            """),
            "es": _md("""
                ## Dónde entra la IA en las decisiones públicas

                Las entidades públicas ya usan modelos para ordenar hogares en programas sociales, elegir qué negocios inspeccionar, detectar fraudes y responder preguntas mediante asistentes conversacionales. Cada uso traslada parte de una decisión de una persona a un sistema, y las personas afectadas rara vez lo saben.

                ## Principios en la práctica

                - **Propósito**: el modelo sirve a un objetivo de política explícito, aprobado por alguien que rinde cuentas.
                - **Supervisión humana**: el personal puede corregir al modelo sin ser penalizado por ello.
                - **Transparencia**: se informa a las personas cuando un modelo influyó en una decisión sobre ellas y cómo impugnarla.
                - **Equidad**: se revisan las tasas de error por grupo antes y después del despliegue.
                - **Caducidad**: cada modelo tiene fecha de revisión y se apaga si ya no cumple su propósito.

                ## Evaluación de impacto antes del despliegue

                | Pregunta | Riesgo bajo | Riesgo alto |
                |---|---|---|
                | ¿El resultado afecta derechos o beneficios? | No | Sí |
                | ¿La persona puede impugnar la decisión? | Fácilmente | Con dificultad |
                | ¿La lógica del modelo es explicable? | Reglas simples | Modelo opaco |
                | ¿Afecta a grupos vulnerables? | No | Sí |

                Los usos de alto riesgo requieren una revisión externa, un piloto con seguimiento cercano y un resumen público de la evaluación.

                ## Rendición de cuentas

                La responsabilidad sigue siendo de la entidad, no del proveedor ni del equipo de ciencia de datos. Los contratos deben dar a la entidad acceso al modelo, a la descripción de sus datos de entrenamiento y a sus informes de desempeño.
            """),
        },
        "outcomes": {
            "en": _lines(
                "Identify where algorithms influence decisions in a public agency",
                "Apply five practical principles for responsible use of AI",
                "Run a simple impact assessment before deploying a model",
                "Specify accountability requirements in contracts with vendors",
            ),
            "es": _lines(
                "Identificar dónde influyen los algoritmos en las decisiones de una entidad pública",
                "Aplicar cinco principios prácticos para un uso responsable de la IA",
                "Realizar una evaluación de impacto sencilla antes de desplegar un modelo",
                "Especificar requisitos de rendición de cuentas en los contratos con proveedores",
            ),
        },
        "level": Level.ADVANCED,
        "hours": "5.0",
        "licence": "CC-BY-4.0",
        "topics": ("machine-learning-for-development", "privacy-and-ethics"),
        "dataspace": "latin-america",
        "publish": False,
    },
]

# Curricula and collections name their modules by slug, in teaching order.
CURRICULA = [
    {
        "title": {
            "en": "Big data and development, 3 days",
            "es": "Big data y desarrollo, 3 días",
            "fr": "Mégadonnées et développement, 3 jours",
        },
        "description": {
            "en": "A three-day workshop for mixed audiences from statistics offices, ministries, NGOs and universities: what new data sources can do for development, how to read and show the results, how to protect people, and a first hands-on day with machine learning.",
            "es": "Un taller de tres días para públicos mixtos de oficinas de estadística, ministerios, ONG y universidades: qué pueden aportar las nuevas fuentes de datos al desarrollo, cómo leer y mostrar los resultados, cómo proteger a las personas y una primera jornada práctica de aprendizaje automático.",
            "fr": "Un atelier de trois jours pour des publics variés issus d'instituts de statistique, de ministères, d'ONG et d'universités : ce que les nouvelles sources de données apportent au développement, comment lire et présenter les résultats, comment protéger les personnes, et une première journée pratique d'apprentissage automatique.",
        },
        "dataspace": None,
        "modules": (
            "big-data-for-official-statistics",
            "data-literacy-for-policymakers",
            "privacy-and-ethics-of-big-data",
            "visualization-for-development",
            "machine-learning-for-development",
        ),
    },
    {
        "title": {
            "en": "Mobile phone data for official statistics, 2 days",
            "es": "Datos de telefonía móvil para las estadísticas oficiales, 2 días",
        },
        "description": {
            "en": "A two-day bilingual workshop for statistics office staff and their partners: the case for new sources, working with telecom operators, a full poverty-mapping exercise, and the privacy safeguards that make such projects acceptable.",
            "es": "Un taller bilingüe de dos días para el personal de las oficinas de estadística y sus socios: por qué usar nuevas fuentes, cómo trabajar con los operadores de telecomunicaciones, un ejercicio completo de mapeo de la pobreza y las salvaguardas de privacidad que hacen aceptables estos proyectos.",
        },
        "dataspace": "latin-america",
        "modules": (
            "big-data-for-official-statistics",
            "building-partnerships-with-telecom-operators",
            "mobile-phone-data-for-poverty-mapping",
            "privacy-and-ethics-of-big-data",
        ),
    },
]

COLLECTIONS = [
    {
        "title": {
            "en": "Getting started with big data for development",
            "es": "Primeros pasos en big data para el desarrollo",
        },
        "description": {
            "en": "Five introductory modules to read before your first workshop, whatever your region or background.",
            "es": "Cinco módulos introductorios para leer antes de su primer taller, sea cual sea su región o su formación.",
        },
        "dataspace": None,
        "modules": (
            "big-data-for-official-statistics",
            "data-literacy-for-policymakers",
            "privacy-and-ethics-of-big-data",
            "visualization-for-development",
            "open-data-portals",
        ),
    },
    {
        "title": {
            "en": "Big data for official statistics in Latin America",
            "es": "Big data para las estadísticas oficiales en América Latina",
        },
        "description": {
            "en": "The modules behind the Latin America Data Space's work with a national statistics office: from the strategy to the poverty pilot with mobile phone data.",
            "es": "Los módulos del trabajo del Data Space América Latina con una oficina nacional de estadística: de la estrategia al piloto de pobreza con datos de telefonía móvil.",
        },
        "dataspace": "latin-america",
        "modules": (
            "big-data-for-official-statistics",
            "building-partnerships-with-telecom-operators",
            "mobile-phone-data-for-poverty-mapping",
            "data-literacy-for-policymakers",
        ),
    },
]


def _slug(english_title: str) -> str:
    """The slug the services give a new row with this English title (when it is free)."""
    return slug_base({"en": english_title}, "item")


def _dataspace_ids() -> dict[str, int]:
    return dict(db.session.execute(select(DataSpace.slug, DataSpace.id)).all())


def _existing_slugs(model) -> set[str]:
    return set(db.session.scalars(select(model.slug)))


def load() -> None:
    _load_topics()
    author = find_user(INSTRUCTOR_EMAIL)
    if author is None:
        # Demo modules need an author; without the demo accounts only the topics are loaded.
        return
    spaces = _dataspace_ids()
    _load_modules(author, spaces)
    _load_curricula(spaces)
    _load_collections(spaces)
    db.session.flush()


def _load_topics() -> None:
    for slug, names in TOPICS.items():
        topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
        if topic is None:
            topic = Topic(slug=slug)
            db.session.add(topic)
        topic.name = names
    db.session.flush()


def _load_modules(author, spaces: dict[str, int]) -> None:
    existing = _existing_slugs(Module)
    for spec in MODULES:
        if _slug(spec["title"]["en"]) in existing:
            continue
        module = services.create_module(
            services.ModuleContent(
                title=spec["title"],
                summary=spec["summary"],
                body=spec["body"],
                learning_outcomes=spec["outcomes"],
                level=spec["level"],
                duration_hours=Decimal(spec["hours"]),
                licence=spec["licence"],
                topic_slugs=spec["topics"],
                dataspace_id=spaces.get(spec["dataspace"]) if spec["dataspace"] else None,
            ),
            author,
        )
        if spec["publish"]:
            services.publish_module(module)


def _modules(slugs: tuple[str, ...], *, published: bool) -> list[Module] | None:
    """The modules with these slugs, or ``None`` when one is missing (or not published)."""
    found = {m.slug: m for m in db.session.scalars(select(Module).where(Module.slug.in_(slugs)))}
    if any(slug not in found or (published and not found[slug].is_published) for slug in slugs):
        return None
    return [found[slug] for slug in slugs]


def _load_curricula(spaces: dict[str, int]) -> None:
    existing = _existing_slugs(Curriculum)
    for spec in CURRICULA:
        if (
            _slug(spec["title"]["en"]) in existing
            or _modules(spec["modules"], published=False) is None
        ):
            continue
        curriculum = services.save_curriculum(
            None,
            title=spec["title"],
            description=spec["description"],
            dataspace_id=spaces.get(spec["dataspace"]) if spec["dataspace"] else None,
        )
        for module_slug in spec["modules"]:
            services.add_to_curriculum(curriculum, module_slug)


def _load_collections(spaces: dict[str, int]) -> None:
    existing = _existing_slugs(Collection)
    for spec in COLLECTIONS:
        if (
            _slug(spec["title"]["en"]) in existing
            or _modules(spec["modules"], published=True) is None
        ):
            continue
        collection = services.save_collection(
            None,
            title=spec["title"],
            description=spec["description"],
            dataspace_id=spaces.get(spec["dataspace"]) if spec["dataspace"] else None,
        )
        for module_slug in spec["modules"]:
            services.add_to_collection(collection, module_slug)
