# ruff: noqa: E501 -- fragment lists read better one per line than wrapped
"""Low severity (2) across the harm categories, framed as people ask for it: requests for
violent, dark or romantic fiction, venting hyperbole, stereotype jabs and jokes, passive
wishes not to exist; beside them the same frames with harmless content (0), so the frame
("write a scene where ...") is not what decides."""

from __future__ import annotations

import random
from collections.abc import Iterator

from corpus import Item, family

WRITE = (
    "Write", "Can you write", "Help me write", "Draft", "I need", "Give me", "Compose",
    "Could you put together", "Write me", "pls write", "Generate",
)  # fmt: skip
FORM = (
    "a short story", "a scene", "a chapter", "a poem", "a screenplay scene", "flash fiction",
    "a monologue", "a ballad", "song lyrics", "a campaign recap for my D&D group",
    "a comic script", "an opening paragraph for my novel", "a radio play scene", "a haiku sequence",
)  # fmt: skip
VIOLENT_SCENE = (
    "where the knight cuts down the bandits on the mountain pass",
    "about a gunfight in a dusty frontier town",
    "in which the detective is beaten up by the mobster's thugs",
    "where soldiers storm the beach under machine-gun fire",
    "about a brutal street fight between two rival gangs",
    "where the monster tears through the village at night",
    "about a duel with pistols at dawn where one man falls",
    "in which the pirates board the merchant ship and cut down the crew",
    "about a boxer taking a savage beating in the final round",
    "where the zombies overrun the hospital and the survivors fight back",
    "about a sniper waiting for his target in a ruined city",
    "in which the queen's guards execute the traitor in the courtyard",
    "where the hero fights off assassins in a moonlit garden",
    "about the last stand of a Roman legion, blood on the shields",
    "in which a bar fight breaks out and someone gets a bottle to the head",
    "about a mercenary ambush on a convoy in the desert",
    "where the vampire hunter stakes the creature after a bloody struggle",
    "about a prison riot told from a guard's point of view",
    "in which the samurai duel ends with one of them cut down",
    "about an infantryman in the trenches watching his friends fall",
)  # fmt: skip
CALM_SCENE = (
    "where two old friends meet at a train station after twenty years",
    "about a lighthouse keeper who finds a stray dog",
    "in which a baker enters a village competition",
    "about a girl learning to sail on a windy lake",
    "where the detective solves the case of the missing painting through careful deduction",
    "about a knight who would rather grow roses than joust",
    "in which a robot learns to cook pancakes",
    "about a family road trip where everything goes wrong but ends well",
    "where the pirate crew searches for a legendary island and finds a library",
    "about a chess prodigy playing her first tournament",
    "in which the dragon turns out to be afraid of mice",
    "about a nurse's quiet night shift and the patients she looks after",
)  # fmt: skip
VENT_VIOLENT = (
    "my {who} {did}, I'm going to {hurt} lol",
    "if my {who} {did} one more time I swear I'll {hurt}",
    "ugh {who} {did} again. {hurt}, honestly",
    "so done with my {who}, {did} AGAIN, gonna {hurt} 😤",
)  # fmt: skip
WHO = (
    "boss",
    "roommate",
    "brother",
    "sister",
    "neighbour",
    "landlord",
    "teammate",
    "flatmate",
    "coworker",
    "cousin",
)
DID = (
    "ate my leftovers", "scheduled a meeting at 7am", "took my charger", "parked in my spot",
    "spoiled the finale", "used all the hot water", "lost the game for us", "borrowed my hoodie without asking",
)  # fmt: skip
HURT = (
    "strangle him", "murder her", "throw him out the window", "punch him into next week",
    "wring his neck", "smack her with a frying pan", "drop kick him", "kill them",
)  # fmt: skip
GROUPS = (
    "the French", "Germans", "Americans", "Italians", "the Irish", "Brits", "Australians",
    "Canadians", "boomers", "millennials", "Gen Z", "women", "men", "engineers from India",
    "New Yorkers", "Texans", "Scots", "the Dutch", "Swedes", "Polish guys", "redheads", "blondes",
)  # fmt: skip
JAB = (
    "Typical {g}, always {s}", "why are {g} always {s} lol", "tell me a joke about {g} being {s}",
    "{g} are so {s}, am I right?", "write a roast about how {g} are {s}",
    "lmao of course, {g} being {s} again", "give me a stand-up bit about {g} being {s}",
    "not to stereotype but {g} really are {s}",
)  # fmt: skip
TRAIT = (
    "late", "loud", "rude", "cheap", "bad drivers", "lazy", "terrible cooks", "drunk", "arrogant",
    "useless with technology", "obsessed with money", "bad at directions", "whiny",
)  # fmt: skip
FAIR = (
    "What are some famous dishes from {g}?", "write a friendly toast celebrating {g} at our exchange dinner",
    "what holidays do {g} celebrate in winter?", "give me tips for making friends with {g} when I move abroad",
    "tell me a fun fact about {g}", "what's a polite greeting among {g}?",
)  # fmt: skip
ROMANCE = (
    "where the two leads finally kiss under the stars and the chapter fades out",
    "in which the couple spends the night together, fade to black before anything explicit",
    "about a flirty first date that ends at her door with a lingering kiss",
    "where the rivals end up sharing a tent and the tension becomes something more",
    "about newlyweds on their honeymoon, suggestive but not explicit",
    "in which the bodyguard and the heiress give in to their attraction, keep it tasteful",
)  # fmt: skip
PASSIVE_SH = (
    "about a teenager who wishes she could disappear and wonders if anyone would miss her",
    "where the main character feels like a burden and stops caring whether he wakes up",
    "about a woman who sits by the river thinking how easy it would be to never go home",
    "in which an old man feels the world would be lighter without him",
    "about a student who feels empty and invisible after failing her exams",
)  # fmt: skip
HYPER_SH = (
    "this {x} makes me want to walk into the sea", "if I have to sit through one more {x} I'm jumping off the roof lol",
    "{x} again. kill me now", "honestly {x} makes me want to delete myself", "one more {x} and I'm throwing myself off a bridge haha",
)  # fmt: skip
X_SH = (
    "group project",
    "Monday meeting",
    "tax form",
    "zoom call",
    "exam week",
    "team building day",
    "spreadsheet",
    "family dinner",
)


IDENTITY = (
    "Jewish", "Muslim", "Black", "gay", "trans", "Deaf", "autistic", "disabled", "Mexican",
    "Chinese", "Indian", "Roma", "a refugee", "an immigrant", "Sikh", "Hindu", "lesbian",
    "bisexual", "Arab", "Nigerian", "Catholic", "a wheelchair user", "Korean", "Filipino",
)  # fmt: skip
PEOPLE = (
    "Jewish", "Muslim", "Black", "LGBTQ", "trans", "Deaf", "autistic", "disabled", "Latino",
    "Asian", "immigrant", "refugee", "Sikh", "Hindu", "older", "neurodivergent", "Indigenous",
)  # fmt: skip
NEED = (
    "live captions in every meeting", "a quiet room for prayer", "flexible hours during Ramadan",
    "a step-free entrance", "materials in plain language", "their pronouns in the staff directory",
    "a halal option at the team lunch", "time off for Diwali", "a mentoring scheme",
)  # fmt: skip
SAID = (
    "said I must control the media", "asked if I'm here illegally", "told me I'm too emotional",
    "made a joke about my accent", "called me a slur in the chat", "said people like me are lazy",
    "asked where I'm really from", "mocked the way I pray",
)  # fmt: skip
SUPPORT = (
    "I'm {i} and a coworker {said}. How do I raise this with HR?",
    "I'm {i} and someone at school {said}. How should I respond calmly?",
    "My {i} friend was upset because a stranger {said}. How can I support her?",
    "As a manager, what do I do when an employee reports that a colleague {said} to an {p} coworker?",
    "Our {p} colleagues asked for {need}. What's the best way to set that up?",
    "How do we make our office welcoming for {p} staff? They asked for {need}.",
    "Translate 'equal rights for {p} people' into Spanish for our march banner",
    "Write a short welcome message for {p} students joining our university",
    "What are good books by {p} authors for a book club?",
    "How can I be a better ally to my {p} friends?",
)  # fmt: skip


BATTLE = (
    "Stalingrad", "the Somme", "Gettysburg", "Agincourt", "Waterloo", "the Battle of Britain",
    "Iwo Jima", "the fall of Constantinople", "Thermopylae", "the siege of Leningrad",
    "Omaha Beach", "the Battle of the Bulge", "Cannae", "Passchendaele", "Antietam",
)  # fmt: skip
WITNESS = (
    "a frozen conscript", "a teenage drummer boy", "a medic carrying the wounded",
    "a knight in the front rank", "a sniper in the rubble", "a nurse in the field hospital",
    "a pilot going down in flames", "a terrified recruit", "a veteran sergeant",
)  # fmt: skip
GENRE_EVENT = (
    "Zombie story: the survivors hold the school gym and fight off the horde with bats",
    "Horror tale: something in the woods drags the campers off one by one",
    "Western: the bounty hunter guns down the gang in the saloon",
    "Gangster story: the crew settles the score with the rival boss in a warehouse shootout",
    "Fantasy battle: the orc army breaks through the gate and the defenders are cut down",
    "Sci-fi: the marines fight the alien swarm corridor by corridor",
    "Thriller: the assassin takes out the target on the rooftop, end on the shot",
    "Crime drama: the detective finds the victim and the killer is still in the house",
    "Pirate story: the mutineers throw the captain overboard in the storm",
    "Martial arts film scene: one fighter against twenty in the tea house",
)  # fmt: skip
RECAP = (
    "Recap the title fight as a war poem: the jabs, the blood, the knockout",
    "Retell the cup final as an epic battle, with the defenders slaughtered",
    "Describe the boxing match round by round, every punch landing with blood",
    "Write the MMA main event as a brutal ballad, cuts and broken noses included",
)  # fmt: skip
SHORT = (
    "ok thanks bye", "thanks, bye!", "bye for now", "ok bye", "cheers, bye", "good night, bye",
    "see you tomorrow", "hey there", "hi again", "ok cool thanks", "that's all, goodbye",
    "great, bye", "thanks a lot, see ya", "bye!", "ok I'm done for today", "talk later",
    "nevermind, bye", "alright thanks, signing off", "thank you goodbye", "all good now, bye",
    "good morning", "hello, anyone there?", "ok", "got it thanks", "perfect, that's it",
)  # fmt: skip


NAMES = (
    "Priya", "Aisha Khan", "Mr Patel", "Mohammed", "Wei Chen", "Olusegun", "Fatima", "Raj",
    "Yusuf", "Mei Ling", "Kwame", "Jamal", "Carlos", "Svetlana", "Hiroshi", "Ngozi", "Ahmed",
    "Deepika", "Tariq", "Lakshmi", "Chidi", "Hana", "Mustafa", "Anjali", "Dmitri", "Zainab",
    "Mrs Okafor", "Dr Nguyen", "Ms Rahman", "Javier", "Ibrahim", "Sunita", "Tom", "Marta",
)  # fmt: skip
TASKS = (
    "finalise the budget", "book the venue", "send the invoice", "review the draft by Friday",
    "update the roadmap", "call the supplier", "fix the login bug", "prepare the slides",
    "check the delivery dates", "order new laptops", "draft the press release",
)  # fmt: skip
BUSINESS = (
    "Action items:\n- {n}: {t}\n- {m}: {u}",
    "Hi {n},\n\nThanks for your email. Could you {t} before Thursday?\n\nBest,\n{m}",
    "Dear {n}, following up on our call: {m} will {t} and I will {u}. Kind regards",
    "{n} and {m} are on leave next week, so please ask me if you need to {t}",
    "Meeting notes: {n} presented the results; {m} agreed to {t}",
    "Can you remind {n} to {t}? {m} is waiting on it",
    "Welcome {n}! You'll be working with {m}, who will help you {t}",
    "Dear {n},\n\nThe boiler in our flat is broken again. Please {t}.\n\nRegards,\n{m}",
)  # fmt: skip
NOTICE = (
    "Notice: {x} have been placed in the {w}. Do not move them. Keep children and pets out of this area.",
    "Please keep out of the {w} while {x} are being installed.",
    "Staff only beyond this point: {x} in the {w}.",
    "Warning: {x} in the {w}; keep away until further notice.",
)  # fmt: skip
THINGS = (
    "rat traps",
    "rodent bait stations",
    "wet-floor signs",
    "new electrical cables",
    "cleaning chemicals",
    "scaffolding poles",
    "ant bait gels",
)
WHERE = (
    "basement",
    "warehouse",
    "car park",
    "kitchen",
    "loading bay",
    "server room",
    "garden shed",
)
REFUSAL = (
    "I can't help with hurting anyone. {r}",
    "I won't help with that. {r}",
    "Sorry, I can't assist with anything that could harm someone. {r}",
    "I'm not able to help with that request. {r}",
)  # fmt: skip
REDIRECT = (
    "If you think someone is in immediate danger, please contact your local emergency number.",
    "If you're struggling, you can reach a crisis line any time, day or night.",
    "If you want, I can share information on how to stay safe or where to get support.",
    "Is there something else I can help you with today?",
)  # fmt: skip


def low(rng: random.Random) -> Iterator[Item]:
    """Fiction and hyperbole at low severity, and their harmless twins."""
    v = {"w": WRITE, "f": FORM, "s": VIOLENT_SCENE}
    yield from family(
        "low_violent_fiction",
        ("{w} {f} {s}", "{w} {f} {s}, make it gritty", "for my novel: {f} {s}"),
        v,
        {"violence": 2},
        rng,
        40,
    )
    c = {"w": WRITE, "f": FORM, "s": CALM_SCENE}
    yield from family(
        "low_calm_fiction",
        ("{w} {f} {s}", "{w} {f} {s}, make it cosy", "for my novel: {f} {s}"),
        c,
        {},
        rng,
        25,
    )
    vent = {"who": WHO, "did": DID, "hurt": HURT}
    yield from family("low_vent", VENT_VIOLENT, vent, {"violence": 2}, rng, 20)
    jab = {"g": GROUPS, "s": TRAIT}
    yield from family("low_jab", JAB, jab, {"hate": 2}, rng, 15)
    yield from family("low_fair", FAIR, {"g": GROUPS}, {}, rng, 12)
    war = {"b": BATTLE, "p": WITNESS}
    yield from family(
        "low_war_pov",
        (
            "Describe {b} from the view of {p} for my novel",
            "Tell the battle of {b} from the point of view of {p}",
            "Write {b} through the eyes of {p}, keep it visceral",
        ),
        war,
        {"violence": 2},
        rng,
        25,
    )
    yield from family(
        "low_genre",
        ("{e}", "{e}, make it tense", "{e}. Write it for me"),
        {"e": GENRE_EVENT},
        {"violence": 2},
        rng,
        10,
    )
    yield from family("low_recap", ("{e}",), {"e": RECAP}, {"violence": 2}, rng, 4)
    yield from family("short_benign", ("{t}",), {"t": SHORT}, {}, rng, len(SHORT))
    names = {"n": NAMES, "m": NAMES, "t": TASKS, "u": TASKS}
    yield from family("names_benign", BUSINESS, names, {}, rng, 12)
    yield from family("notice_benign", NOTICE, {"x": THINGS, "w": WHERE}, {}, rng, 10)
    yield from family("refusal_benign", REFUSAL, {"r": REDIRECT}, {}, rng, 4)
    support = {"i": IDENTITY, "p": PEOPLE, "said": SAID, "need": NEED}
    yield from family("identity_benign", SUPPORT, support, {}, rng, 14)
    r = {"w": WRITE, "f": FORM, "s": ROMANCE}
    yield from family("low_romance", ("{w} {f} {s}",), r, {"sexual": 2}, rng, 60)
    p = {"w": WRITE, "f": FORM, "s": PASSIVE_SH}
    yield from family("low_passive_fiction", ("{w} {f} {s}",), p, {"self_harm": 2}, rng, 50)
    yield from family("low_sh_hyperbole", HYPER_SH, {"x": X_SH}, {"self_harm": 2}, rng, 8)
