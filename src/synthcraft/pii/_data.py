"""Word lists and number ranges for the fake-value providers (plain data, no code).

Weighted lists are ``(value, weight)`` pairs; weights are rough relative frequencies (names from
national name statistics, cities by population in ten thousands), rounded. Every list is keyed by
locale. Phone ranges are the ones regulators reserve for drama and documentation.
"""

from __future__ import annotations

__all__ = [
    "CARD_PREFIXES",
    "CITIES",
    "DE_DRAMA_NUMBERS",
    "EMAIL_DOMAINS",
    "FIRST_NAMES",
    "GB_DRAMA_NUMBERS",
    "IBAN_COUNTRIES",
    "IBAN_GB_BANKS",
    "LAST_NAMES",
    "STREET_NAMES",
    "STREET_SUFFIXES",
    "UK_OUTWARD_CODES",
    "URL_HOSTS",
    "URL_WORDS",
    "US_AREA_CODES",
]

Weighted = tuple[tuple[str, int], ...]

# fmt: off
FIRST_NAMES: dict[str, Weighted] = {
    "en_US": (
        ("James", 33), ("Mary", 35), ("Robert", 30), ("Patricia", 20), ("John", 32),
        ("Jennifer", 15), ("Michael", 29), ("Linda", 14), ("David", 24), ("Elizabeth", 15),
        ("William", 23), ("Barbara", 12), ("Richard", 17), ("Susan", 11), ("Joseph", 15),
        ("Jessica", 10), ("Thomas", 14), ("Sarah", 10), ("Christopher", 12), ("Karen", 10),
        ("Charles", 13), ("Lisa", 9), ("Daniel", 12), ("Nancy", 9), ("Matthew", 11), ("Betty", 8),
        ("Anthony", 10), ("Margaret", 8), ("Mark", 10), ("Sandra", 8), ("Donald", 9),
        ("Ashley", 8), ("Steven", 9), ("Kimberly", 8), ("Paul", 9), ("Emily", 8), ("Andrew", 9),
        ("Donna", 7), ("Joshua", 9), ("Michelle", 7), ("Kenneth", 8), ("Carol", 7), ("Kevin", 8),
        ("Amanda", 7), ("Brian", 8), ("Dorothy", 6), ("George", 8), ("Melissa", 6),
        ("Timothy", 7), ("Deborah", 6), ("Ronald", 7), ("Stephanie", 6), ("Edward", 7),
        ("Rebecca", 6), ("Jason", 7), ("Sharon", 5), ("Jeffrey", 7), ("Laura", 6), ("Ryan", 6),
        ("Cynthia", 5), ("Jacob", 6), ("Kathleen", 5), ("Gary", 6), ("Amy", 5), ("Nicholas", 6),
        ("Angela", 5), ("Eric", 5), ("Shirley", 5), ("Jonathan", 5), ("Anna", 5), ("Stephen", 5),
        ("Brenda", 4), ("Larry", 5), ("Pamela", 4), ("Justin", 5), ("Emma", 5), ("Scott", 5),
        ("Nicole", 4), ("Brandon", 5), ("Helen", 4), ("Benjamin", 5), ("Samantha", 4),
        ("Samuel", 4), ("Katherine", 4), ("Gregory", 4), ("Christine", 4), ("Alexander", 4),
        ("Debra", 4), ("Frank", 4), ("Rachel", 4), ("Patrick", 4), ("Carolyn", 4),
        ("Raymond", 4), ("Janet", 4), ("Jack", 4), ("Catherine", 4), ("Dennis", 4), ("Maria", 5),
        ("Jerry", 4), ("Heather", 4), ("Tyler", 4), ("Diane", 4), ("Aaron", 4), ("Olivia", 4),
        ("Jose", 4), ("Sophia", 3), ("Adam", 3), ("Isabella", 3),
    ),
    "en_GB": (
        ("Oliver", 9), ("George", 8), ("Harry", 7), ("Jack", 8), ("Jacob", 5), ("Noah", 7),
        ("Charlie", 6), ("Muhammad", 6), ("Thomas", 6), ("Oscar", 6), ("William", 6),
        ("James", 7), ("Henry", 5), ("Leo", 6), ("Alfie", 4), ("Joshua", 4), ("Freddie", 4),
        ("Archie", 5), ("Ethan", 4), ("Isaac", 4), ("Alexander", 4), ("Joseph", 4),
        ("Edward", 4), ("Samuel", 4), ("Max", 3), ("Daniel", 5), ("Arthur", 5), ("Lucas", 4),
        ("Mohammed", 3), ("Logan", 3), ("Theo", 5), ("Harrison", 3), ("Benjamin", 3),
        ("Mason", 3), ("Sebastian", 3), ("Finley", 3), ("Adam", 3), ("Dylan", 3), ("Zachary", 2),
        ("Riley", 3), ("David", 8), ("John", 8), ("Paul", 6), ("Peter", 6), ("Michael", 7),
        ("Andrew", 6), ("Richard", 5), ("Mark", 5), ("Stephen", 5), ("Christopher", 5),
        ("Olivia", 9), ("Amelia", 8), ("Isla", 7), ("Ava", 6), ("Emily", 7), ("Isabella", 5),
        ("Mia", 5), ("Poppy", 5), ("Ella", 5), ("Lily", 6), ("Grace", 5), ("Sophia", 4),
        ("Evie", 4), ("Jessica", 5), ("Charlotte", 6), ("Sophie", 5), ("Ruby", 4), ("Freya", 5),
        ("Chloe", 4), ("Alice", 4), ("Daisy", 3), ("Phoebe", 3), ("Florence", 4), ("Evelyn", 3),
        ("Sienna", 3), ("Matilda", 3), ("Ivy", 4), ("Harriet", 2), ("Rosie", 3), ("Elsie", 3),
        ("Sarah", 7), ("Emma", 6), ("Hannah", 5), ("Lucy", 5), ("Rebecca", 5), ("Laura", 5),
        ("Claire", 5), ("Helen", 5), ("Susan", 5), ("Margaret", 5), ("Elizabeth", 5),
        ("Victoria", 4), ("Katie", 3), ("Lauren", 3), ("Megan", 3), ("Eleanor", 3), ("Zara", 2),
        ("Imogen", 2), ("Holly", 3), ("Abigail", 2),
    ),
    "de_DE": (
        ("Maximilian", 6), ("Alexander", 6), ("Paul", 6), ("Elias", 5), ("Ben", 5), ("Noah", 6),
        ("Leon", 6), ("Louis", 4), ("Jonas", 5), ("Felix", 5), ("Luca", 4), ("Lukas", 5),
        ("Finn", 5), ("Emil", 5), ("Henry", 4), ("Anton", 4), ("Jakob", 4), ("Theo", 4),
        ("Moritz", 4), ("Julian", 4), ("Thomas", 9), ("Michael", 9), ("Andreas", 8),
        ("Stefan", 8), ("Christian", 7), ("Peter", 8), ("Klaus", 6), ("Jürgen", 6),
        ("Wolfgang", 7), ("Uwe", 5), ("Frank", 6), ("Markus", 6), ("Matthias", 5),
        ("Sebastian", 5), ("Tobias", 5), ("Daniel", 6), ("Florian", 5), ("Jan", 6), ("Tim", 4),
        ("Niklas", 4), ("Hans", 6), ("Karl", 4), ("Heinz", 4), ("Dieter", 5), ("Werner", 5),
        ("Günter", 4), ("Horst", 4), ("Manfred", 4), ("Jörg", 4), ("Sven", 4), ("Marie", 6),
        ("Sophie", 5), ("Emilia", 5), ("Emma", 6), ("Hannah", 5), ("Mia", 5), ("Lina", 4),
        ("Ella", 4), ("Mila", 4), ("Clara", 4), ("Lea", 4), ("Anna", 6), ("Lena", 5),
        ("Leonie", 4), ("Johanna", 4), ("Laura", 5), ("Julia", 6), ("Sarah", 5), ("Lisa", 5),
        ("Katharina", 5), ("Sabine", 7), ("Petra", 6), ("Andrea", 7), ("Claudia", 6),
        ("Monika", 6), ("Susanne", 6), ("Birgit", 5), ("Stefanie", 5), ("Nicole", 5), ("Anja", 5),
        ("Ursula", 5), ("Renate", 5), ("Ingrid", 4), ("Helga", 4), ("Gisela", 4), ("Karin", 5),
        ("Christina", 4), ("Nadine", 4), ("Melanie", 4), ("Jana", 4), ("Franziska", 4),
        ("Charlotte", 4), ("Greta", 3), ("Frieda", 3), ("Paula", 3), ("Luise", 3),
        ("Mathilda", 3), ("Ida", 3), ("Nele", 3), ("Maja", 3),
    ),
}

LAST_NAMES: dict[str, Weighted] = {
    "en_US": (
        ("Smith", 24), ("Johnson", 19), ("Williams", 16), ("Brown", 14), ("Jones", 14),
        ("Garcia", 11), ("Miller", 11), ("Davis", 11), ("Rodriguez", 10), ("Martinez", 10),
        ("Hernandez", 10), ("Lopez", 9), ("Gonzalez", 9), ("Wilson", 8), ("Anderson", 8),
        ("Thomas", 8), ("Taylor", 8), ("Moore", 7), ("Jackson", 7), ("Martin", 7), ("Lee", 7),
        ("Perez", 6), ("Thompson", 6), ("White", 6), ("Harris", 6), ("Sanchez", 6), ("Clark", 5),
        ("Ramirez", 5), ("Lewis", 5), ("Robinson", 5), ("Walker", 5), ("Young", 5), ("Allen", 5),
        ("King", 5), ("Wright", 5), ("Scott", 4), ("Torres", 4), ("Nguyen", 4), ("Hill", 4),
        ("Flores", 4), ("Green", 4), ("Adams", 4), ("Nelson", 4), ("Baker", 4), ("Hall", 4),
        ("Rivera", 4), ("Campbell", 4), ("Mitchell", 4), ("Carter", 4), ("Roberts", 4),
        ("Gomez", 3), ("Phillips", 3), ("Evans", 3), ("Turner", 3), ("Diaz", 3), ("Parker", 3),
        ("Cruz", 3), ("Edwards", 3), ("Collins", 3), ("Reyes", 3), ("Stewart", 3), ("Morris", 3),
        ("Morales", 3), ("Murphy", 3), ("Cook", 3), ("Rogers", 3), ("Gutierrez", 3), ("Ortiz", 3),
        ("Morgan", 3), ("Cooper", 3), ("Peterson", 3), ("Bailey", 3), ("Reed", 3), ("Kelly", 3),
        ("Howard", 3), ("Ramos", 3), ("Kim", 3), ("Cox", 3), ("Ward", 3), ("Richardson", 3),
        ("Watson", 3), ("Brooks", 3), ("Chavez", 3), ("Wood", 3), ("James", 3), ("Bennett", 3),
        ("Gray", 3), ("Mendoza", 3), ("Ruiz", 3), ("Hughes", 3), ("Price", 3), ("Alvarez", 3),
        ("Castillo", 3), ("Sanders", 3), ("Patel", 3), ("Myers", 3), ("Long", 3), ("Ross", 3),
        ("Foster", 3), ("Jimenez", 3), ("O'Brien", 2),
    ),
    "en_GB": (
        ("Smith", 25), ("Jones", 20), ("Williams", 15), ("Taylor", 14), ("Brown", 13),
        ("Davies", 12), ("Evans", 10), ("Wilson", 10), ("Thomas", 9), ("Johnson", 9),
        ("Roberts", 9), ("Robinson", 8), ("Thompson", 8), ("Wright", 8), ("Walker", 8),
        ("White", 7), ("Edwards", 7), ("Hughes", 7), ("Green", 7), ("Hall", 7), ("Lewis", 6),
        ("Harris", 6), ("Clarke", 6), ("Patel", 6), ("Jackson", 6), ("Wood", 6), ("Turner", 6),
        ("Martin", 6), ("Cooper", 5), ("Hill", 5), ("Ward", 5), ("Morris", 5), ("Moore", 5),
        ("Clark", 5), ("Lee", 5), ("King", 5), ("Baker", 5), ("Harrison", 5), ("Morgan", 5),
        ("Allen", 4), ("James", 4), ("Scott", 4), ("Phillips", 4), ("Watson", 4), ("Davis", 4),
        ("Parker", 4), ("Price", 4), ("Bennett", 4), ("Young", 4), ("Griffiths", 4),
        ("Mitchell", 4), ("Kelly", 4), ("Cook", 4), ("Carter", 4), ("Richardson", 4),
        ("Bailey", 4), ("Collins", 4), ("Bell", 4), ("Shaw", 4), ("Murphy", 4), ("Miller", 3),
        ("Cox", 3), ("Richards", 3), ("Khan", 3), ("Marshall", 3), ("Anderson", 3),
        ("Simpson", 3), ("Ellis", 3), ("Adams", 3), ("Singh", 3), ("Begum", 3), ("Wilkinson", 3),
        ("Foster", 3), ("Chapman", 3), ("Powell", 3), ("Webb", 3), ("Rogers", 3), ("Gray", 3),
        ("Mason", 3), ("Ali", 3), ("Hunt", 3), ("Hussain", 3), ("Campbell", 3), ("Matthews", 3),
        ("Owen", 3), ("Palmer", 3), ("Holmes", 3), ("Mills", 3), ("Barnes", 3), ("Knight", 3),
        ("Lloyd", 3), ("Butler", 3), ("Russell", 3), ("Barker", 3), ("Fisher", 3),
        ("Stevens", 3), ("Jenkins", 3), ("Murray", 3), ("Dixon", 3), ("Harvey", 3),
    ),
    "de_DE": (
        ("Müller", 26), ("Schmidt", 19), ("Schneider", 12), ("Fischer", 11), ("Weber", 9),
        ("Meyer", 9), ("Wagner", 8), ("Becker", 8), ("Schulz", 8), ("Hoffmann", 8),
        ("Schäfer", 7), ("Koch", 7), ("Bauer", 7), ("Richter", 7), ("Klein", 7), ("Wolf", 6),
        ("Schröder", 6), ("Neumann", 6), ("Schwarz", 6), ("Zimmermann", 6), ("Braun", 5),
        ("Krüger", 5), ("Hofmann", 5), ("Hartmann", 5), ("Lange", 5), ("Schmitt", 5),
        ("Werner", 5), ("Schmitz", 5), ("Krause", 5), ("Meier", 5), ("Lehmann", 5),
        ("Schmid", 5), ("Schulze", 4), ("Maier", 4), ("Köhler", 4), ("Herrmann", 4),
        ("König", 4), ("Walter", 4), ("Mayer", 4), ("Huber", 4), ("Kaiser", 4), ("Fuchs", 4),
        ("Peters", 4), ("Lang", 4), ("Scholz", 4), ("Möller", 4), ("Weiß", 4), ("Jung", 4),
        ("Hahn", 4), ("Schubert", 3), ("Vogel", 3), ("Friedrich", 3), ("Keller", 3),
        ("Günther", 3), ("Frank", 3), ("Berger", 3), ("Winkler", 3), ("Roth", 3), ("Beck", 3),
        ("Lorenz", 3), ("Baumann", 3), ("Franke", 3), ("Albrecht", 3), ("Schuster", 3),
        ("Simon", 3), ("Ludwig", 3), ("Böhm", 3), ("Winter", 3), ("Kraus", 3), ("Martin", 3),
        ("Schumacher", 3), ("Krämer", 3), ("Vogt", 3), ("Stein", 3), ("Jäger", 3), ("Otto", 3),
        ("Sommer", 3), ("Groß", 3), ("Seidel", 3), ("Heinrich", 3), ("Brandt", 3), ("Haas", 3),
        ("Schreiber", 3), ("Graf", 3), ("Schulte", 3), ("Dietrich", 3), ("Ziegler", 3),
        ("Kuhn", 3), ("Kühn", 3), ("Pohl", 3), ("Engel", 3), ("Horn", 3), ("Busch", 3),
        ("Bergmann", 3), ("Thomas", 3), ("Voigt", 3), ("Sauer", 3), ("Arnold", 3), ("Wolff", 3),
        ("Pfeiffer", 3),
    ),
}

STREET_NAMES: dict[str, tuple[str, ...]] = {
    "en_US": (
        "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
        "Walnut", "Spring", "North", "Ridge", "Lincoln", "Church", "Willow", "Mill", "Sunset",
        "Railroad", "Jackson", "Jefferson", "Center", "Highland", "Franklin", "Chestnut",
        "Madison", "Adams", "Forest", "River", "Meadow", "Cherry", "Valley", "Spruce", "Sycamore",
        "Hickory", "Dogwood", "Birch", "Lakeview", "Prospect", "Summit", "Union", "Broad",
        "Market", "Front", "Second", "Third", "Fourth", "Fifth", "Sixth",
    ),
    "en_GB": (
        "High", "Station", "Church", "Main", "Park", "Victoria", "Green", "Manor", "Kings",
        "Queens", "New", "Grange", "School", "Mill", "London", "North", "Springfield", "Chester",
        "Windsor", "Alexandra", "York", "Albert", "George", "Stanley", "Richmond",
        "Mount Pleasant", "Orchard", "Cromwell", "Westfield", "Beech", "Oak", "Ash", "Elm",
        "Willow", "Meadow", "Mill Hill", "Bridge", "Castle", "Market", "Hillside",
        "Abbey", "Cedar", "Highfield", "Broad", "Kingsway", "Hawthorn", "Chestnut", "Farm",
        "Rectory", "Vicarage",
    ),
    "de_DE": (
        "Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße",
        "Bergstraße", "Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße",
        "Schillerstraße", "Goethestraße", "Wiesenweg", "Friedhofstraße", "Mühlenweg",
        "Feldstraße", "Jahnstraße", "Am Sportplatz", "Poststraße", "Beethovenstraße",
        "Mozartstraße", "Rosenweg", "Tulpenweg", "Eichenweg", "Buchenweg", "Ahornweg",
        "Amselweg", "Finkenweg", "Lerchenweg", "Am Markt", "Marktplatz", "Kirchplatz",
        "Schlossallee", "Parkstraße", "Blumenstraße", "Industriestraße", "Friedrichstraße",
        "Wilhelmstraße", "Kaiserstraße", "Luisenstraße", "Lessingstraße", "Uhlandstraße",
        "Kantstraße", "Burgstraße", "Talstraße", "Sonnenstraße", "Brunnenstraße",
        "Frankfurter Straße", "Hamburger Straße", "Kölner Straße", "Am Bahnhof", "Im Winkel",
        "Lindenallee", "Eichendorffstraße",
    ),
}

STREET_SUFFIXES: dict[str, Weighted] = {
    "en_US": (
        ("St", 30), ("Ave", 20), ("Rd", 15), ("Dr", 12), ("Ln", 8), ("Blvd", 4), ("Way", 5),
        ("Ct", 4), ("Pl", 2),
    ),
    "en_GB": (
        ("Street", 25), ("Road", 30), ("Lane", 12), ("Close", 8), ("Avenue", 8), ("Drive", 6),
        ("Way", 4), ("Gardens", 3), ("Crescent", 3), ("Place", 2), ("Grove", 2),
    ),
    "de_DE": (),
}

CITIES: dict[str, Weighted] = {
    "en_US": (
        ("New York", 880), ("Los Angeles", 390), ("Chicago", 270), ("Houston", 230),
        ("Phoenix", 160), ("Philadelphia", 160), ("San Antonio", 145), ("San Diego", 139),
        ("Dallas", 130), ("Austin", 96), ("Jacksonville", 95), ("San Jose", 101),
        ("Fort Worth", 92), ("Columbus", 91), ("Charlotte", 87), ("Indianapolis", 88),
        ("San Francisco", 81), ("Seattle", 74), ("Denver", 72), ("Washington", 69),
        ("Boston", 65), ("El Paso", 68), ("Nashville", 69), ("Oklahoma City", 68),
        ("Las Vegas", 64), ("Portland", 65), ("Detroit", 63), ("Memphis", 63),
        ("Louisville", 62), ("Milwaukee", 57), ("Baltimore", 58), ("Albuquerque", 56),
        ("Tucson", 54), ("Fresno", 54), ("Sacramento", 52), ("Mesa", 50), ("Kansas City", 51),
        ("Atlanta", 50), ("Omaha", 48), ("Colorado Springs", 48), ("Raleigh", 47),
        ("Long Beach", 46), ("Virginia Beach", 46), ("Miami", 44), ("Oakland", 43),
        ("Minneapolis", 43), ("Tulsa", 41), ("Bakersfield", 40), ("Wichita", 39),
        ("Arlington", 39), ("St. Louis", 30), ("Salt Lake City", 20),
    ),
    "en_GB": (
        ("London", 890), ("Birmingham", 114), ("Manchester", 55), ("Leeds", 79),
        ("Glasgow", 63), ("Sheffield", 58), ("Bradford", 54), ("Liverpool", 50),
        ("Edinburgh", 52), ("Bristol", 46), ("Cardiff", 36), ("Leicester", 35),
        ("Coventry", 37), ("Nottingham", 33), ("Newcastle upon Tyne", 30), ("Belfast", 34),
        ("Brighton", 29), ("Hull", 26), ("Plymouth", 26), ("Stoke-on-Trent", 25),
        ("Wolverhampton", 26), ("Derby", 25), ("Swansea", 24), ("Southampton", 25),
        ("Salford", 25), ("Aberdeen", 20), ("Portsmouth", 21), ("York", 21),
        ("Peterborough", 20), ("Dundee", 15), ("Lancaster", 14), ("Oxford", 15),
        ("Newport", 15), ("Preston", 14), ("St Albans", 14), ("Norwich", 14), ("Chester", 12),
        ("Cambridge", 12), ("Exeter", 13), ("Gloucester", 12), ("Bath", 9), ("Canterbury", 5),
        ("Durham", 5), ("Inverness", 5), ("Lincoln", 10), ("Reading", 16),
        ("Milton Keynes", 23), ("Luton", 21), ("Sunderland", 17), ("Ipswich", 14),
        ("Worcester", 10),
    ),
    "de_DE": (
        ("Berlin", 366), ("Hamburg", 185), ("München", 149), ("Köln", 108),
        ("Frankfurt am Main", 76), ("Stuttgart", 63), ("Düsseldorf", 62), ("Leipzig", 60),
        ("Dortmund", 59), ("Essen", 58), ("Bremen", 57), ("Dresden", 56), ("Hannover", 54),
        ("Nürnberg", 52), ("Duisburg", 50), ("Bochum", 36), ("Wuppertal", 36),
        ("Bielefeld", 33), ("Bonn", 33), ("Münster", 32), ("Mannheim", 31), ("Karlsruhe", 31),
        ("Augsburg", 30), ("Wiesbaden", 28), ("Mönchengladbach", 26), ("Gelsenkirchen", 26),
        ("Aachen", 25), ("Braunschweig", 25), ("Kiel", 25), ("Chemnitz", 24),
        ("Halle (Saale)", 24), ("Magdeburg", 24), ("Freiburg im Breisgau", 23), ("Krefeld", 23),
        ("Mainz", 22), ("Lübeck", 22), ("Erfurt", 21), ("Oberhausen", 21), ("Rostock", 21),
        ("Kassel", 20), ("Hagen", 19), ("Potsdam", 18), ("Saarbrücken", 18), ("Hamm", 18),
        ("Ludwigshafen am Rhein", 17), ("Oldenburg", 17), ("Mülheim an der Ruhr", 17),
        ("Osnabrück", 16), ("Leverkusen", 16), ("Heidelberg", 16), ("Darmstadt", 16),
        ("Regensburg", 15), ("Würzburg", 13), ("Göttingen", 12),
    ),
}

UK_OUTWARD_CODES: tuple[str, ...] = (
    "SW1A", "EC1A", "W1A", "WC2N", "E1", "N1", "NW3", "SE10", "M1", "M14", "B1", "B33", "LS1",
    "LS6", "G2", "G12", "EH1", "EH8", "CF10", "BS1", "BS8", "NE1", "L1", "L18", "S1", "S10",
    "NG1", "LE1", "CV1", "OX1", "CB2", "YO1", "BN1", "PL1", "EX1", "AB10", "DD1", "BT1", "SO14",
    "PO1", "RG1", "MK9",
)
"""Real outward codes (area and district); the inward part is drawn, so units are made up."""

US_AREA_CODES: tuple[str, ...] = (
    "201", "202", "206", "212", "213", "214", "216", "303", "305", "312", "313", "314", "404",
    "415", "503", "504", "512", "602", "614", "617", "702", "703", "713", "718", "801", "808",
    "813", "858", "907", "917", "919", "971",
)
"""Area codes paired with exchange 555 and lines 0100-0199, the range reserved for fiction."""

GB_DRAMA_NUMBERS: tuple[tuple[str, str], ...] = (
    ("7700 900", "07700 900"), ("20 7946 0", "020 7946 0"), ("113 496 0", "0113 496 0"),
    ("114 496 0", "0114 496 0"), ("115 496 0", "0115 496 0"), ("116 496 0", "0116 496 0"),
    ("117 496 0", "0117 496 0"), ("118 496 0", "0118 496 0"), ("121 496 0", "0121 496 0"),
    ("131 496 0", "0131 496 0"), ("141 496 0", "0141 496 0"), ("151 496 0", "0151 496 0"),
    ("161 496 0", "0161 496 0"),
)
"""Ofcom drama ranges as (after +44, national) prefixes; three more digits complete each."""

DE_DRAMA_NUMBERS: tuple[tuple[str, str], ...] = (
    ("30 23125", "030 23125"), ("69 90009", "069 90009"), ("40 66969", "040 66969"),
    ("221 4710", "0221 4710"), ("89 99998", "089 99998"),
)
"""Bundesnetzagentur drama numbers (Amtsblatt 7/2021, Mitteilung 148/2021): Berlin, Frankfurt,
Hamburg, Köln, München, each prefix followed by 000-999."""
# fmt: on

EMAIL_DOMAINS: tuple[tuple[str, int], ...] = (
    ("example.com", 6),
    ("example.org", 2),
    ("example.net", 2),
)
"""RFC 2606 reserved domains; no real mailbox can exist there."""

URL_HOSTS: tuple[tuple[str, int], ...] = (
    ("www.", 6),
    ("", 2),
    ("shop.", 1),
    ("blog.", 1),
    ("docs.", 1),
)
URL_WORDS: tuple[str, ...] = (
    "about", "account", "blog", "cart", "catalog", "contact", "docs", "events", "faq", "help",
    "home", "news", "orders", "products", "profile", "search", "services", "settings", "store",
    "support", "team", "terms", "users", "videos",
)  # fmt: skip

CARD_PREFIXES: tuple[tuple[str, int, int], ...] = (
    ("411111", 16, 4),
    ("401288", 16, 2),
    ("555555", 16, 3),
    ("378282", 15, 1),
    ("371449", 15, 1),
    ("601111", 16, 1),
)
"""(test IIN, length, weight): issuer test prefixes (Visa, Mastercard, Amex, Discover)."""

IBAN_COUNTRIES: dict[str, tuple[tuple[str, int], ...]] = {
    "en_GB": (("GB", 1),),
    "de_DE": (("DE", 1),),
    "en_US": (("GB", 1), ("DE", 1)),
}
"""The US has no IBANs; en_US draws British and German ones."""

IBAN_GB_BANKS: tuple[str, ...] = ("XBNK", "XFIN", "XSAV", "XMPL")
"""Made-up British bank codes (an IBAN's bank code is the first four letters of the bank's BIC);
not those of any UK bank we know of, and the account digits are random."""
