"""Word lists for person names: words that come before a name without being part of it,
and words that make a capitalised run a place, a company or a thing."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and roles written before a name, in English and the other languages we serve:
# "Dr. Ramirez", "Herr Müller", "Sra. López", "Customer Ahmed Hassan".
TITLES = _words(
    "mr mrs ms miss mx dr prof professor sir madam dame lord lady rev fr capt captain sgt "
    "officer judge customer client agent driver courier technician engineer manager "
    "supervisor colleague caller guest patient member user owner holder tenant landlord "
    "rep representative assistant nurse doctor teacher coach ceo cto cfo herr frau "
    "fräulein hr dhr mevr heer mevrouw mme mlle m monsieur madame mademoiselle sr sra "
    "srta señor señora señorita doña sig sigra signor signora signorina dott dottore "
    "dottoressa avv pani"
)
# Greetings and sign-offs the model takes into a name ("Bonjour Mme Dubois", "Grüßen").
SALUTATIONS = _words(
    "hi hello hey hiya dear morning afternoon evening thanks thank cheers best regards "
    "sincerely sehr geehrter geehrte bonjour bonsoir salut cher chère chers hola estimado "
    "estimada estimados querido querida buenos buenas hallo liebe lieber liebes guten tag "
    "ciao gentile gentili caro cara buongiorno olá prezado prezada caros beste geachte "
    "hej kære bästa grüße grüßen gruß freundlichen cordialement salutations saludos "
    "atentamente groet groeten saluti cordiali distinti cumprimentos abraços obrigado "
    "obrigada gracias merci danke grazie bedankt tack"
)
# Words that make a capitalised run a place, a company or a thing, never a person.
NOT_PERSON = _words(
    "inc ltd llc plc gmbh corp co company group bank university college school hospital "
    "clinic street st road rd avenue ave lane drive way park square city county river "
    "airport station hotel center centre foundation institute department team support "
    "services service day month week monday tuesday wednesday thursday friday saturday "
    "sunday"
)
