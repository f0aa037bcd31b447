"""Word lists and formats for the locales beyond en_US, en_GB and de_DE (plain data, no code).

Most words for fr_FR, it_IT, nl_NL and pt_BR come from the Mimesis data sets at run time
(:mod:`._wordlists`); this module holds what Mimesis lacks or holds poorly: weighted Spanish,
Italian and Japanese given names and Spanish and Japanese surnames (from national name
statistics, rounded), Japanese names with their Hepburn romanisation (for e-mail addresses),
Spanish cities, street types, legal forms of companies, and which Mimesis folder serves a locale.
"""

from __future__ import annotations

__all__ = [
    "CITIES_INTL",
    "FIRST_NAMES_INTL",
    "JA_FAMILY",
    "JA_GIVEN",
    "LAST_NAMES_INTL",
    "LEGAL_FORMS",
    "MIMESIS_DIRS",
    "STREET_PREFIXES",
    "STREET_TYPES",
]

Weighted = tuple[tuple[str, int], ...]

MIMESIS_DIRS: dict[str, tuple[str, ...]] = {
    "de_DE": ("de",),
    "en_GB": ("en-gb", "en"),
    "en_US": ("en",),
    "es_ES": ("es",),
    "fr_FR": ("fr",),
    "it_IT": ("it",),
    "ja_JP": ("ja",),
    "nl_NL": ("nl",),
    "pt_BR": ("pt-br", "pt"),
}
"""Mimesis data folders for each locale, most specific first (later ones fill missing keys)."""

# fmt: off
JA_FAMILY: tuple[tuple[str, str, int], ...] = (
    ("佐藤", "sato", 187), ("鈴木", "suzuki", 180), ("高橋", "takahashi", 142),
    ("田中", "tanaka", 134), ("伊藤", "ito", 108), ("渡辺", "watanabe", 107),
    ("山本", "yamamoto", 107), ("中村", "nakamura", 104), ("小林", "kobayashi", 104),
    ("加藤", "kato", 89), ("吉田", "yoshida", 83), ("山田", "yamada", 81), ("佐々木", "sasaki", 68),
    ("山口", "yamaguchi", 64), ("松本", "matsumoto", 63), ("井上", "inoue", 61),
    ("木村", "kimura", 57), ("林", "hayashi", 55), ("斎藤", "saito", 54), ("清水", "shimizu", 53),
    ("山崎", "yamazaki", 48), ("森", "mori", 46), ("池田", "ikeda", 44), ("橋本", "hashimoto", 44),
    ("阿部", "abe", 44), ("石川", "ishikawa", 43), ("山下", "yamashita", 42),
    ("中島", "nakajima", 41), ("石井", "ishii", 40), ("小川", "ogawa", 39), ("前田", "maeda", 39),
    ("岡田", "okada", 38), ("長谷川", "hasegawa", 37), ("藤田", "fujita", 37),
    ("後藤", "goto", 37),
    ("近藤", "kondo", 36), ("村上", "murakami", 35), ("遠藤", "endo", 34), ("青木", "aoki", 34),
    ("坂本", "sakamoto", 33), ("福田", "fukuda", 32), ("太田", "ota", 31),
    ("西村", "nishimura", 31), ("藤井", "fujii", 30), ("金子", "kaneko", 30),
    ("岡本", "okamoto", 30), ("藤原", "fujiwara", 30), ("中野", "nakano", 29),
    ("三浦", "miura", 29),
    ("原田", "harada", 29), ("中川", "nakagawa", 28), ("松田", "matsuda", 28),
    ("竹内", "takeuchi", 28), ("小野", "ono", 28), ("田村", "tamura", 27),
    ("中山", "nakayama", 27),
    ("和田", "wada", 27), ("石田", "ishida", 26), ("森田", "morita", 26), ("上田", "ueda", 25),
)
"""Japanese family names (kanji, romanisation, weight)."""

JA_GIVEN: tuple[tuple[str, str, int], ...] = (
    ("翔太", "shota", 8), ("大輔", "daisuke", 8), ("拓也", "takuya", 7), ("健太", "kenta", 7),
    ("誠", "makoto", 7), ("浩", "hiroshi", 8), ("隆", "takashi", 7), ("茂", "shigeru", 5),
    ("蓮", "ren", 6), ("大翔", "hiroto", 6), ("悠真", "yuma", 5), ("陽翔", "haruto", 6),
    ("湊", "minato", 5), ("樹", "itsuki", 5), ("大和", "yamato", 4), ("颯太", "sota", 5),
    ("陸", "riku", 4), ("悠人", "yuto", 5), ("一郎", "ichiro", 4), ("健一", "kenichi", 5),
    ("和也", "kazuya", 5), ("直樹", "naoki", 6), ("哲也", "tetsuya", 5), ("修", "osamu", 5),
    ("剛", "tsuyoshi", 4), ("亮", "ryo", 5), ("達也", "tatsuya", 5), ("雄太", "yuta", 5),
    ("翼", "tsubasa", 4), ("学", "manabu", 4), ("光", "hikaru", 3), ("聡", "satoshi", 5),
    ("陽葵", "himari", 6), ("結衣", "yui", 6), ("美咲", "misaki", 6), ("愛", "ai", 5),
    ("陽菜", "hina", 6), ("凛", "rin", 5), ("結菜", "yuna", 5), ("葵", "aoi", 5),
    ("芽依", "mei", 4),
    ("さくら", "sakura", 5), ("花子", "hanako", 3), ("恵子", "keiko", 7), ("洋子", "yoko", 7),
    ("幸子", "sachiko", 6), ("裕子", "yuko", 7), ("真由美", "mayumi", 6), ("明美", "akemi", 5),
    ("直美", "naomi", 6), ("由美子", "yumiko", 6), ("久美子", "kumiko", 6), ("智子", "tomoko", 7),
    ("愛子", "aiko", 4), ("舞", "mai", 5), ("彩", "aya", 5), ("千尋", "chihiro", 4),
    ("美穂", "miho", 5), ("紬", "tsumugi", 4), ("莉子", "riko", 4), ("彩花", "ayaka", 5),
    ("七海", "nanami", 4), ("美月", "mizuki", 4), ("真央", "mao", 4), ("奈々", "nana", 4),
)
"""Japanese given names (kanji, romanisation, weight), about half of each sex."""

FIRST_NAMES_INTL: dict[str, Weighted] = {
    "es_ES": (
        ("Antonio", 60), ("Manuel", 53), ("José", 52), ("Francisco", 40), ("David", 38),
        ("Juan", 37), ("Javier", 33), ("Daniel", 33), ("José Antonio", 27), ("Alejandro", 26),
        ("Carlos", 25), ("Jesús", 24), ("Miguel", 21), ("Rafael", 19), ("Pablo", 19),
        ("Sergio", 18), ("Pedro", 17), ("Ángel", 17), ("Fernando", 16), ("Luis", 16),
        ("Jorge", 16), ("Alberto", 15), ("Álvaro", 14), ("Adrián", 14), ("Diego", 13),
        ("Raúl", 12), ("Iván", 12), ("Rubén", 12), ("Enrique", 11), ("Óscar", 11),
        ("Ramón", 11), ("Andrés", 10), ("Vicente", 10), ("Joaquín", 9), ("Santiago", 8),
        ("Víctor", 8), ("Mario", 9), ("Roberto", 8), ("Hugo", 8), ("Mateo", 7), ("Lucas", 7),
        ("María Carmen", 59), ("María", 58), ("Carmen", 38), ("Ana María", 27), ("Laura", 26),
        ("María Pilar", 24), ("Isabel", 23), ("Josefa", 22), ("María Dolores", 22),
        ("Cristina", 19), ("Marta", 19), ("Lucía", 18), ("Ana", 17), ("Francisca", 17),
        ("Antonia", 16), ("Dolores", 16), ("Sara", 15), ("Paula", 15), ("Elena", 15),
        ("María Teresa", 14), ("Raquel", 13), ("Rosa María", 12), ("Pilar", 12), ("Julia", 9),
        ("Mercedes", 10), ("Beatriz", 10), ("Nuria", 10), ("Silvia", 10), ("Irene", 10),
        ("Alba", 9), ("Patricia", 9), ("Rosario", 9), ("Andrea", 9), ("Sofía", 7),
        ("Martina", 6), ("Valeria", 5), ("Carla", 6), ("Noelia", 6), ("Eva", 7),
    ),
    "it_IT": (
        ("Giuseppe", 60), ("Giovanni", 40), ("Antonio", 38), ("Mario", 33), ("Luigi", 28),
        ("Francesco", 35), ("Angelo", 20), ("Vincenzo", 20), ("Pietro", 18), ("Salvatore", 22),
        ("Carlo", 16), ("Franco", 14), ("Domenico", 14), ("Bruno", 12), ("Paolo", 16),
        ("Michele", 13), ("Giorgio", 13), ("Aldo", 8), ("Sergio", 11), ("Luciano", 10),
        ("Marco", 20), ("Andrea", 20), ("Alessandro", 19), ("Luca", 18), ("Matteo", 14),
        ("Lorenzo", 12), ("Leonardo", 10), ("Davide", 12), ("Stefano", 14), ("Roberto", 15),
        ("Fabio", 11), ("Simone", 11), ("Riccardo", 10), ("Gabriele", 9), ("Tommaso", 8),
        ("Edoardo", 7), ("Federico", 9), ("Giulio", 7), ("Emanuele", 7), ("Massimo", 12),
        ("Maria", 55), ("Anna", 33), ("Giuseppina", 20), ("Rosa", 18), ("Angela", 16),
        ("Giovanna", 16), ("Teresa", 14), ("Lucia", 13), ("Carmela", 12), ("Caterina", 11),
        ("Francesca", 16), ("Antonietta", 9), ("Elena", 11), ("Giulia", 13), ("Chiara", 12),
        ("Sara", 12), ("Martina", 11), ("Sofia", 10), ("Aurora", 8), ("Alice", 8),
        ("Ginevra", 6), ("Emma", 6), ("Giorgia", 8), ("Greta", 6), ("Beatrice", 7),
        ("Valentina", 12), ("Federica", 10), ("Silvia", 11), ("Laura", 12), ("Paola", 13),
        ("Elisa", 9), ("Alessandra", 10), ("Roberta", 9), ("Cristina", 10), ("Barbara", 9),
        ("Simona", 8), ("Monica", 9), ("Daniela", 10), ("Claudia", 9), ("Serena", 7),
    ),
    "ja_JP": tuple((kanji, weight) for kanji, _, weight in JA_GIVEN),
}

LAST_NAMES_INTL: dict[str, Weighted] = {
    "es_ES": (
        ("García", 145), ("Rodríguez", 93), ("González", 92), ("Fernández", 90), ("López", 87),
        ("Martínez", 83), ("Sánchez", 81), ("Pérez", 78), ("Gómez", 50), ("Martín", 50),
        ("Jiménez", 39), ("Ruiz", 35), ("Hernández", 35), ("Díaz", 34), ("Moreno", 33),
        ("Muñoz", 28), ("Álvarez", 28), ("Romero", 24), ("Alonso", 22), ("Gutiérrez", 22),
        ("Navarro", 20), ("Torres", 20), ("Domínguez", 19), ("Vázquez", 18), ("Ramos", 18),
        ("Gil", 18), ("Ramírez", 17), ("Serrano", 17), ("Blanco", 17), ("Molina", 16),
        ("Morales", 16), ("Suárez", 16), ("Ortega", 16), ("Delgado", 15), ("Castro", 15),
        ("Ortiz", 15), ("Rubio", 15), ("Marín", 14), ("Sanz", 14), ("Núñez", 14),
        ("Iglesias", 14), ("Medina", 14), ("Garrido", 13), ("Cortés", 13), ("Castillo", 13),
        ("Santos", 13), ("Lozano", 12), ("Guerrero", 12), ("Cano", 12), ("Prieto", 12),
        ("Méndez", 12), ("Cruz", 11), ("Calvo", 11), ("Gallego", 11), ("Vidal", 11),
        ("León", 11), ("Márquez", 10), ("Herrera", 11), ("Peña", 11), ("Flores", 11),
        ("Cabrera", 10), ("Campos", 10), ("Vega", 10), ("Fuentes", 10), ("Carrasco", 10),
        ("Diez", 10), ("Caballero", 9), ("Reyes", 9), ("Nieto", 9), ("Aguilar", 9),
        ("Pascual", 9), ("Santana", 9), ("Herrero", 9), ("Lorenzo", 8), ("Hidalgo", 8),
        ("Montero", 8), ("Ibáñez", 8), ("Giménez", 8), ("Ferrer", 8), ("Durán", 8),
        ("Santiago", 8), ("Benítez", 8), ("Mora", 8), ("Vicente", 8), ("Vargas", 7),
        ("Arias", 7), ("Carmona", 7), ("Crespo", 7), ("Román", 7), ("Pastor", 7), ("Soto", 7),
        ("Sáez", 7), ("Velasco", 7), ("Moya", 7), ("Soler", 7), ("Parra", 7), ("Esteban", 7),
        ("Bravo", 7), ("Gallardo", 7), ("Rojas", 7),
    ),
    "ja_JP": tuple((kanji, weight) for kanji, _, weight in JA_FAMILY),
}

CITIES_INTL: dict[str, Weighted] = {
    "es_ES": (
        ("Madrid", 330), ("Barcelona", 164), ("Valencia", 80), ("Sevilla", 68), ("Zaragoza", 68),
        ("Málaga", 58), ("Murcia", 46), ("Palma", 42), ("Las Palmas de Gran Canaria", 38),
        ("Bilbao", 35), ("Alicante", 34), ("Córdoba", 32), ("Valladolid", 30), ("Vigo", 29),
        ("Gijón", 27), ("L'Hospitalet de Llobregat", 26), ("Vitoria-Gasteiz", 25),
        ("A Coruña", 25), ("Elche", 23), ("Granada", 23), ("Terrassa", 22), ("Badalona", 22),
        ("Oviedo", 22), ("Cartagena", 21), ("Sabadell", 21), ("Jerez de la Frontera", 21),
        ("Móstoles", 21), ("Santa Cruz de Tenerife", 21), ("Pamplona", 20), ("Almería", 20),
        ("Alcalá de Henares", 19), ("Fuenlabrada", 19), ("Leganés", 19), ("San Sebastián", 19),
        ("Getafe", 18), ("Burgos", 18), ("Albacete", 17), ("Santander", 17),
        ("Castellón de la Plana", 17), ("Alcorcón", 17), ("Logroño", 15), ("Badajoz", 15),
        ("Salamanca", 14), ("Huelva", 14), ("Marbella", 14), ("Lleida", 14), ("Tarragona", 13),
        ("León", 12), ("Cádiz", 11), ("Jaén", 11), ("Ourense", 10), ("Girona", 10),
        ("Toledo", 9), ("Cáceres", 9), ("Segovia", 5),
    ),
}

STREET_TYPES: dict[str, Weighted] = {
    "fr_FR": (
        ("Rue", 60), ("Avenue", 14), ("Boulevard", 6), ("Allée", 6), ("Impasse", 5),
        ("Place", 4), ("Chemin", 4), ("Route", 4), ("Quai", 2), ("Square", 1),
    ),
    "it_IT": (
        ("Via", 75), ("Viale", 10), ("Piazza", 7), ("Corso", 5), ("Vicolo", 2), ("Largo", 1),
    ),
}
"""Street types written before the street name (fr_FR after the house number)."""

STREET_PREFIXES: dict[str, tuple[tuple[str, ...], str]] = {
    "es_ES": (
        ("Calle", "Avenida", "Av.", "Av", "Paseo", "Plaza", "Camino", "Carretera", "Ronda",
         "Travesía", "Alameda", "Rambla", "Vía", "Glorieta", "Pasaje", "Rúa", "Rua", "Camiño",
         "Cuesta"),
        "Calle",
    ),
    "pt_BR": (
        ("Rua", "Avenida", "Av.", "Travessa", "Alameda", "Praça", "Estrada", "Rodovia",
         "Largo", "Viela", "Ladeira", "Beco"),
        "Rua",
    ),
}
"""Street types a street name may start with, and the one put before names without a type."""

LEGAL_FORMS: dict[str, Weighted] = {
    "en_US": (("Inc.", 6), ("LLC", 6), ("Corp.", 3), ("Co.", 2), ("Group", 1)),
    "en_GB": (("Ltd", 10), ("PLC", 2), ("LLP", 1), ("Group", 1)),
    "de_DE": (("GmbH", 12), ("AG", 3), ("KG", 2), ("OHG", 1), ("e.K.", 1), ("UG", 1)),
    "fr_FR": (("SARL", 6), ("SAS", 6), ("SA", 3), ("EURL", 2), ("SNC", 1)),
    "es_ES": (("S.L.", 10), ("S.A.", 4), ("S.L.U.", 2), ("S.Coop.", 1)),
    "it_IT": (("S.r.l.", 10), ("S.p.A.", 3), ("S.n.c.", 2), ("S.a.s.", 2)),
    "nl_NL": (("B.V.", 10), ("N.V.", 1), ("V.O.F.", 2)),
    "pt_BR": (("Ltda.", 10), ("S.A.", 3), ("ME", 2), ("EIRELI", 1)),
    "ja_JP": (("株式会社", 10), ("有限会社", 2), ("合同会社", 2)),
}
"""Legal forms of companies (none contains ``&``, which joins partners' names)."""
# fmt: on
