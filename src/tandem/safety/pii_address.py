"""Street addresses read as address lines: a grammar of their parts, not whole examples.

An address line is built from parts that each have a few forms:

- a unit before or after the street ("Flat 2,", "Apt 4B", "Suite 3300", "#12");
- the street itself, in one of three word orders:
  * number first, street type last: "1200 N Elm Street", "33 Queen St W", "221B Baker Street";
  * street type first (Romance and Slavic languages), the number before or after:
    "12 rue de la Paix", "Calle Mayor 5", "Via Roma 10", "Rua Augusta 100", "ul. Długa 5";
  * street type as a suffix or a second word (Germanic and Nordic languages), number after:
    "Hauptstraße 12", "Keizersgracht 123", "Kungsgatan 12", "Berliner Straße 7";
- or a post office box: "PO Box 1234, Springfield, IL 62704";
- then, when written on the same line, the city, region and postcode in the order of the
  country's postcode: "Dallas, TX 75201", "Leeds LS6 2AB", "Toronto, ON M5H 2N2",
  "10115 Berlin", "1015 CJ Amsterdam", "1100-053 Lisboa", "111 43 Stockholm", "00-950 Warszawa",
  "Sydney NSW 2000", and a country name after the postcode.

Addresses written in lower case ("ship to 12 main st") are read case-blind, but only right
after words that announce an address ("ship to", "I live at", "address:").
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

ADDRESS_SCORE = 0.75

_STREET_TYPES = (
    "Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    "|Terrace|Ter|Terr|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Close|Crescent|Cres"
    "|Grove|Gardens|Gdns|Row|Mews|Hill|Walk|Rise|Parade|Pde|Trail|Trl|Pike|Alley|Plaza|Loop"
    "|Green|Broadway|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke|Causeway|Esplanade|Quay"
    "|Wharf|Embankment|Promenade|Crossing|Vale|Wynd|Brae"
)
_DIRECTIONS = r"N|S|E|W|NE|NW|SE|SW|North|South|East|West|Northeast|Northwest|Southeast|Southwest"
_TYPE_FIRST = (
    r"rue|avenue|av\.|ave\.|boulevard|bd\.?|bvd|place|pl\.|chemin|quai|all[ée]e|impasse|route"
    r"|cours|square|via|viale|v\.le|piazza|p\.za|piazzale|corso|largo|vicolo|lungomare|strada"
    r"|calle|c/|avenida|avda\.?|av\.?da|paseo|plaza|pza\.|carrera|camino|carretera|ronda"
    r"|traves[sí]a|rua|travessa|pra[çc]a|estrada|alameda|carrer|avinguda|passeig"
    r"|ulica|ul\.|aleja|al\.|plac|osiedle|ulice|nám\.|náměstí|bulevar|bulevardul"
)
_PARTICLE = (
    r"(?:de|del|della|delle|dei|degli|di|du|des|la|le|les|da|do|dos|das|d'|l'|el|en|i|y|e"
    r"|na|no|à|au|aux)"
)
_SUFFIXES = (
    r"straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee|steig|pfad|markt"
    r"|graben|straat|gracht|laan|plein|kade|singel|dijk|steeg|dreef|gatan|gata|vägen|väg"
    r"|gränd|torget|torg|vej|gade|allé|stræde|veien|vei|gaten|katu|tie|kuja|utca"
)
_SEPARATE_TYPES = r"Straße|Strasse|Str\.|Weg|Allee|Platz|Ring|Damm|Gasse|Ufer|Chaussee"

_W = r"[\p{Lu}\p{Ll}\p{Lm}'\u2019.-]"  # letters of a street or city name
_CAPWORD = rf"(?:\p{{Lu}}{_W}*|\d{{1,3}}(?:st|nd|rd|th)|[Oo]ld|[Nn]ew)"
_NUMBER = r"\d{1,5}(?:[A-Za-z](?![\p{L}\d]))?(?:[-/]\d{1,5}[A-Za-z]?)?"
_UNIT_WORD = (
    r"Flat|Apt|Apartment|Unit|Suite|Ste|Room|Rm|Floor|Fl|Level|Lvl|Building|Bldg|Shop"
    r"|Office|Dept|Box|Wohnung|Whg|Etage|Piso|Puerta|Bajo|Interno|Int|Scala|App|Appartement"
    r"|Bâtiment|Bât|Escalera|Esc|Andar|Apto"
)
_UNIT = (
    rf"(?:{_UNIT_WORD})\.? ?(?:No\.? ?)?[\w-]{{1,6}}|#\s?[\w-]{{1,6}}"
    r"|\d{1,2}(?:st|nd|rd|th) [Ff]loor"
)
_UNIT_BEFORE = rf"(?:(?:{_UNIT}),? )?"
_UNIT_AFTER = rf"(?:,? (?:{_UNIT}))?"

_ENGLISH = (
    rf"{_NUMBER},? (?:(?:{_DIRECTIONS})\.? )?(?:{_CAPWORD} ){{1,4}}"
    rf"(?:{_STREET_TYPES})\b\.?(?: (?:{_DIRECTIONS})\b\.?)?"
)
_NAME_RUN = rf"(?:{_PARTICLE}\s?)*{_CAPWORD}(?: (?:{_PARTICLE}\s?)*{_CAPWORD}){{0,4}}"
_TYPE = rf"(?i:{_TYPE_FIRST})"
_ROMANCE = (
    rf"(?:{_NUMBER}(?: bis| ter)?,? {_TYPE} {_NAME_RUN}"
    rf"|(?=\p{{Lu}}|(?:ul|al)\.){_TYPE} {_NAME_RUN},? (?:n\.?º? ?|nº ?|no\.? ?)?{_NUMBER})"
)
_GERMANIC = (
    rf"(?:\p{{Lu}}[\p{{Ll}}ßäöüåæøé-]{{3,}}(?:{_SUFFIXES})|{_CAPWORD} (?:{_SEPARATE_TYPES}))"
    rf" {_NUMBER}"
)

_CITY = rf"\p{{Lu}}{_W}*(?:[ -](?:{_PARTICLE}[ -])?\p{{Lu}}{_W}*){{0,2}}"
_US_STATE = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV"
    r"|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_CA_PROVINCE = r"AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT"
_AU_STATE = r"NSW|VIC|QLD|WA|SA|TAS|ACT|NT"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"
_TAIL_NORTH_AMERICA = (
    rf",? {_CITY},? (?:(?:{_US_STATE}|\p{{Lu}}\p{{Ll}}+(?: \p{{Lu}}\p{{Ll}}+)?)"
    rf" \d{{5}}(?:-\d{{4}})?"
    rf"|(?:{_CA_PROVINCE}),? [A-Z]\d[A-Z] ?\d[A-Z]\d|(?:{_US_STATE}|{_CA_PROVINCE})\b)"
)
_TAIL_UK = rf"(?:,? {_CITY})?,? {_UK_POSTCODE}\b"
_TAIL_AU = rf",? {_CITY},? (?:{_AU_STATE}),? \d{{4}}\b"
_EU_POSTCODE = (
    r"(?:[A-Z]{1,2}-)?(?:\d{5}|\d{4} ?[A-Z]{2}|\d{4}-\d{3}|\d{3} \d{2}|\d{2}-\d{3}|\d{4})"
)
_TAIL_EUROPE = rf",? {_EU_POSTCODE} {_CITY}"
_TAIL_CITY = rf", {_CITY}"
# A city then a numeric postcode, as in India, New Zealand, Brazil: "Bengaluru 560001".
_TAIL_CITY_POSTCODE = rf",? {_CITY},? (?:\d{{6}}|\d{{5}}|\d{{4}}|\d{{5}}-\d{{3}}|\d{{3}}-\d{{4}})\b"
_COUNTRY = (
    r"(?:,? (?:USA|U\.S\.A\.|US|United States|UK|U\.K\.|United Kingdom|England|Scotland|Wales"
    r"|Ireland|Canada|Australia|New Zealand|Germany|Deutschland|France|Spain|España|Italy"
    r"|Italia|Portugal|Netherlands|Nederland|Belgium|Austria|Österreich|Switzerland|Schweiz"
    r"|Suisse|Sweden|Sverige|Norway|Norge|Denmark|Danmark|Finland|Poland|Polska|Czechia"
    r"|Czech Republic|Brazil|Brasil|Mexico|México|India|South Africa))?"
)
_TAIL_LOCAL = rf"(?:(?:{_TAIL_EUROPE}|{_TAIL_NORTH_AMERICA}|{_TAIL_CITY_POSTCODE}){_COUNTRY})?"
_TAIL = (
    rf"(?:(?:{_TAIL_NORTH_AMERICA}|{_TAIL_AU}|{_TAIL_UK}|{_TAIL_EUROPE}|{_TAIL_CITY_POSTCODE})"
    rf"{_COUNTRY}|{_TAIL_CITY})?"
)
_PO_BOX = r"(?:P\.? ?O\.?|Post Office|PO) Box \d{1,6}"
_END = r"(?![\p{L}\d])"
_ADDRESS = (
    rf"(?<![\p{{L}}\d])(?:{_UNIT_BEFORE}{_ENGLISH}{_UNIT_AFTER}{_TAIL}{_END}"
    rf"|{_UNIT_BEFORE}{_ROMANCE}{_UNIT_AFTER}{_TAIL_LOCAL}{_END}"
    rf"|{_GERMANIC}{_UNIT_AFTER}{_TAIL_LOCAL}{_END}"
    rf"|{_PO_BOX}(?:(?:{_TAIL_NORTH_AMERICA}|{_TAIL_UK}|{_TAIL_AU}|{_TAIL_CITY_POSTCODE})"
    rf"{_COUNTRY})?{_END})"
)
_STRICT = regex.compile(_ADDRESS, regex.V0)
_LOOSE = regex.compile(_ADDRESS, regex.V0 | regex.IGNORECASE)
_CUE_WORDS = (
    r"address(?: is)?|addr|live (?:at|on|in)|lives (?:at|on)|living at|located (?:at|on)"
    r"|ship(?:ped)? (?:it )?to|send (?:it |them )?to|deliver(?:ed)? (?:it )?to|mail (?:it )?to"
    r"|post (?:it )?to|moved to|billing|shipping|residence|home is|office is|office at"
    r"|based at|come to|visit us at|find us at|pick ?up (?:at|from)|drop (?:it )?off at"
)
_CUE_ANYWHERE = regex.compile(rf"(?i)\b(?:{_CUE_WORDS})\b")
_CUE = regex.compile(rf"(?i)\b(?:{_CUE_WORDS})\s*[:,-]?\s*$")
# A word that ends a name-shaped city, since a city never holds one: ", and then".
_FUNCTION_WORDS = frozenset(
    {"a", "an", "and", "or", "but", "the", "to", "of", "in", "on", "at", "by", "for", "from"}
    | {"with", "is", "are", "was", "be", "it", "i", "we", "you", "he", "she", "they", "this"}
    | {"that", "my", "your", "our", "please", "thanks", "thank", "then", "so", "if", "as"}
    | {"not", "no"}
)


@dataclass(frozen=True)
class AddressSpan:
    start: int
    end: int
    score: float


def _trim(text: str) -> str:
    """Drops trailing comma-separated parts that are prose, not places, and a full stop."""
    while ", " in text:
        head, _, last = text.rpartition(", ")
        words = regex.findall(r"[\p{L}']+", last)  # as written: "ON" is Ontario, not "on"
        if any(c.isdigit() for c in last) or not any(w in _FUNCTION_WORDS for w in words):
            break
        text = head
    return text.rstrip(" ,.")


def find_addresses(text: str) -> list[AddressSpan]:
    """Address lines in `text`: capitalised ones anywhere, lower-case ones after a cue."""
    found = [_span(m.start(), m.group(0)) for m in _STRICT.finditer(text)]
    if _CUE_ANYWHERE.search(text) is None:
        return found
    for match in _LOOSE.finditer(text):
        start = match.start()
        if any(s.start <= start < s.end for s in found):
            continue
        if _CUE.search(text[max(0, start - 40) : start]) is None:
            continue
        found.append(_span(start, match.group(0)))
    return found


def _span(start: int, matched: str) -> AddressSpan:
    return AddressSpan(start, start + len(_trim(matched)), ADDRESS_SCORE)
