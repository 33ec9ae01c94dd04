"""Patterns of the built-in classifier: harm categories by severity, benign look-alikes,
context that lowers severity, profanity, and prompt-attack shapes.

Patterns run on normalised lower-case text (see normalize.py). Severities follow Azure's
0-7 scale: 6 for instructions, plans and explicit intent; 4 for direct harmful statements;
2 for mentions. Data, not logic: classifier.py decides what to do with a match.
"""

from __future__ import annotations

from tandem.safety.categories import Category

# Groups protected from hate speech (plural and collective forms as people write them).
GROUPS = (
    r"(?:jews|jewish people|the jews|muslims|moslems|islamists|christians|catholics|hindus|sikhs"
    r"|buddhists|atheists|blacks|black people|negroes|whites|white people|asians|asian people"
    r"|arabs|mexicans|latinos|latinas|hispanics|immigrants|migrants|illegals|refugees"
    r"|foreigners|gays|gay people|lesbians|homosexuals|queers|trans people|transgender people"
    r"|trannies|women|females|africans|indians|pakistanis|chinese people|the chinese"
    r"|japanese people|koreans|roma|gypsies|disabled people|the disabled|cripples|retards"
    r"|jewish|muslim|black|gay|trans)"
)
_SLURS = (
    r"(?:n[i1]gg(?:er|a|ah|uh)s?|k[i1]kes?|sp[i1]cs?|ch[i1]nks?|g[o0]oks?|wetbacks?|f[a4]gg?[o0]ts?"
    r"|f[a4]gs|tr[a4]nn(?:y|ies)|raghead|towelhead|sand ?n[i1]gg\w*|pakis?|coons?|beaners?"
    r"|dykes?|kaffirs?|golliwogs?|shylocks?|untermensch)"
)

_HOW = (
    r"(?:how (?:do|can|could|would|should|to|might) (?:i |you |one |someone |we )?|ways? to"
    r"|(?:most effective|best|easiest|quickest|simplest|surest|fastest|cheapest|safest) (?:way|ways"
    r"|method|methods) (?:to|of)|steps? to|instructions? (?:for|to|on)|guide (?:to|for|on)"
    r"|tutorial|recipe for|teach me|show me how|explain how to|help me|tell me how to|describe how to"
    r"|what(?:'s| is) the best (?:way|spot|place|method) to)"
)
_RECIPE = r"(?:recipe|instructions|guide|tutorial|blueprint|formula|steps|diagram|schematics?)"
_INTENT = (
    r"(?:i(?:'m| am)? (?:going to|gonna|want to|wanna|plan(?:ning)? to|about to|ready to|intend to"
    r"|have decided to|will)|i'll|i will|let's|lets)"
)
_PEOPLE = (
    r"(?:(?:a |an |the |my |our |some )?(?:\w+ )?(?:police(?: officers?)?|officers?|cops?|soldiers?"
    r"|guards?|protesters?|strangers?|victims?|crowds?|civilians?|students?|workers?|employees?"
    r"|doctors?|nurses?|drivers?|men|women|man|woman|guy|girl|boy)\b|someone|somebody|a person"
    r"|people|him|her|them|everyone|my (?:wife|husband|boss|neighbou?r"
    r"|teacher|mom|mum|dad|mother|father|brother|sister|coworkers?|co-workers?|ex|girlfriend"
    r"|boyfriend|classmates?|roommate|family|son|daughter|partner|landlord)|a child|kids|children"
    r"|a baby|an? (?:officer|cop|politician|president|senator|judge)|the president|my enemies)"
)
_WEAPONS = (
    r"(?:bombs?|pipe ?bombs?|explosives?|ieds?|molotov(?: cocktails?)?|napalm|grenades?|detonators?"
    r"|nerve (?:agent|gas)|sarin|vx gas|ricin|anthrax|mustard gas|chlorine gas|thermite|c-?4|tatp"
    r"|semtex|dirty bomb|bioweapons?|chemical weapons?|poison gas|nail bomb|car bomb|suicide vest)"
)
_PLACES = (
    r"(?:school|church|mosque|synagogue|temple|mall|concert|crowd|office|hospital|stadium|subway"
    r"|airport|parade|campus|classroom|nightclub|festival|rally|market|police station|station"
    r"|embassy|government building|parliament|courthouse|court|bank|hotel|restaurant|bus|train"
    r"|daycare|kindergarten|playground|clinic)"
)
_MINORS = (
    r"(?:child|children|kids?|minors?|underage|under-age|preteens?|pre-teens?|toddlers?|infants?"
    r"|teenagers?|teens?|high schoolers?"
    r"|(?:1[0-7]|[1-9])[- ]?(?:yo|y/o|years?[- ]old)|little (?:girls?|boys?)|schoolgirls?"
    r"|schoolboys?|lolis?|shotas?|young teens?|middle schoolers?)"
)
_SEX_EXPLICIT = (
    r"(?:sex|sexual|sexually|nude|naked|porn\w*|erotic\w*|explicit|intercourse|molest\w*|fondl\w*"
    r"|orgasm\w*|aroused|seduc\w*|sexy|lewd|nsfw|genitals?)"
)

RULES: dict[Category, list[tuple[int, tuple[str, ...]]]] = {
    Category.VIOLENCE: [
        (
            6,
            (
                rf"{_HOW}.{{0,40}}\b(?:mak(?:e|es|ing)|build\w*|assembl\w*|construct\w*|creat\w*"
                rf"|cook\w*|synthesi[sz]\w*|produc\w*|mix\w*|prepar\w*|detonat\w*|plant\w*|get"
                rf"|buy\w*|obtain\w*)\b.{{0,30}}\b{_WEAPONS}",
                rf"\b(?:make|build|assemble|construct|cook up)\b.{{0,15}}\b(?:a |an |some )?{_WEAPONS}",
                rf"{_INTENT}.{{0,25}}\b(?:kill|murder|shoot|stab|strangle|behead|slaughter|massacre"
                rf"|poison|torture|kidnap|bomb|hurt|maim|beat up)\b(?!.{{0,6}}\b(?:myself|me|time)\b)",
                rf"{_HOW}.{{0,30}}\b(?:kill|murder|poison|strangle|stab|shoot|dismember|torture|kidnap"
                rf"|abduct|drown|suffocate|maim|hurt|assassinate)\b.{{0,30}}\b{_PEOPLE}",
                rf"\b(?:shoot(?:ing)? up|bomb(?:ing)?|blow(?:ing)? up|attack(?:ing)?|massacre|burn down|set fire to)\b"
                rf".{{0,15}}\b(?:a |the |my |our |this |that )?{_PLACES}\b",
                r"\b(?:maximi[sz]e|most) (?:casualties|deaths|victims|fatalities|body count)\b",
                r"\bas many (?:people|persons|victims|kids|children|pedestrians|civilians) as (?:possible"
                r"|i can|we can|you can)\b",
                rf"\b{_RECIPE}\b.{{0,25}}\b{_WEAPONS}",
                r"\bhow many (?:people|persons|kids|children|students|civilians|cops|officers|victims)"
                r" (?:could|can|would|will|might) (?:i|you|one|someone|we|a person) (?:kill|murder|hurt"
                r"|injure|shoot|run over)\b",
                r"\b(?:plan|carry out|commit|pull off|get away with) (?:a |the )?(?:mass shooting"
                r"|school shooting|terror(?:ist)? attack|massacre|murder|assassination|killing)\b",
                r"\b(?:untraceable|ghost|unregistered) (?:gun|guns|firearm|firearms|weapon|weapons|rifle)\b",
                r"\b(?:dispose of|get rid of|hide|dissolve) (?:a |the |his |her )?(?:dead )?(?:body|corpse"
                r"|bodies)\b",
                r"\bi(?:'m| am)? (?:going to|gonna|will|'ll) (?:kill|murder|shoot|stab|hurt|find|gut|slit)"
                r" (?:you|u|ya)\b",
                r"\b(?:you(?:'re| are)?|u r) (?:going to|gonna) (?:die|bleed|regret)\b",
                r"\bi know where you live\b",
                rf"\bpoison\w*\b.{{0,20}}\b(?:{_PEOPLE}|(?:his|her|their|my \w+'s) (?:food|drink|coffee|tea)"
                rf"|(?:the |a |an |our |\w+'s )?(?:city'?s? )?(?:water supply|reservoir|food supply"
                rf"|drinking water|wells?))",
                r"\b(?:torture|mutilate|dismember|disembowel|behead|decapitate|flay|skin alive)\b.{0,25}"
                r"\b(?:him|her|them|someone|a person|people|my \w+|animals?|a (?:cat|dog|puppy|kitten))\b",
                r"\b(?:swatting|swat) (?:someone|him|her|them)\b",
                rf"{_HOW}.{{0,30}}\b(?:beat|knock out|choke|break|snap|crush|stomp|cripple|blind|disfigure"
                rf"|hit|run over|ram|push)\b.{{0,25}}\b{_PEOPLE}",
                r"\b(?:break|snap|crush) (?:someone'?s|his|her|their|a person'?s|my \w+'s) (?:neck|spine"
                r"|skull|windpipe|bones|legs|arms|jaw)\b",
                r"\b(?:undetectable|untraceable|tasteless|odou?rless|slow-acting) poisons?\b|\bpoisons?\b"
                r".{0,40}\b(?:undetectable|untraceable|can'?t be traced|in an autopsy|without (?:being )?"
                r"detect\w*|without (?:anyone|them) (?:knowing|noticing))",
                r"\bset (?:a |the |his |her |their |my )?\w+ on fire\b.{0,30}\b(?:people|someone|him|her"
                r"|them|kids|children|family|neighbou?rs) (?:inside|in it|still in)\b",
                r"\bburn (?:him|her|them|someone|people|my \w+) alive\b",
                r"\b(?:hit|run over|ram|mow down)\b.{0,20}\b(?:someone|people|him|her|pedestrians?|a person"
                r"|them|protesters|cyclists?)\b.{0,15}\bwith (?:a|my|the|his|her) (?:car|truck|van"
                r"|vehicle|suv)\b",
                r"\b(?:plan(?:ning)?|carry out|organi[sz]e|stage|launch)\b.{0,20}\b(?:an? )?(?:attack"
                r"|assault|bombing|shooting|raid|ambush|massacre)\b.{0,15}\b(?:on|at|against|in)\b",
                r"\bget away with (?:murder|killing|hitting|running|shooting|poisoning)\b",
            ),
        ),
        (
            4,
            (
                rf"\b(?:kill|murder|shoot|stab|strangle|slaughter|massacre|behead|lynch|execute|torture)"
                rf"\b.{{0,12}}\b(?:{_PEOPLE}|everyone|everybody|those|these (?:people|guys)|that guy"
                rf"|the (?:whole|entire) \w+)",
                r"\bbeat (?:him|her|them|someone|you|u) (?:up|to death|senseless|to a pulp)\b",
                r"\bbeat the (?:shit|hell|crap|life) out of\b",
                r"\b(?:should|deserves? to|ought to) (?:be |get )?(?:shot|killed|executed|hanged|hung|lynched"
                r"|beaten|stabbed|tortured|die)\b",
                r"\b(?:gore|graphic(?:ally)?|bloody|gruesome|brutal(?:ly)?)\b.{0,30}\b(?:kill|murder|death"
                r"|violence|torture|dismember|stab|beheading|execution)\w*",
                r"\b(?:weapon|gun|rifle|firearm|knife|machete|ammo|ammunition|bat)s?\b.{0,30}\bto (?:kill"
                r"|hurt|attack|shoot|stab|threaten)\b",
                rf"\b{_WEAPONS}.{{0,30}}\b(?:detonate|trigger|set off|plant|blow up)\b",
                r"\b(?:bloodbath|blood bath|massacre|genocide|ethnic cleansing)\b",
                r"\b(?:die|burn|rot) in (?:a fire|hell)\b.{0,20}\b(?:you|u)\b",
                r"\bhunt (?:them|him|her|you) down\b",
            ),
        ),
        (
            2,
            (
                r"\b(?:kill\w*|murder\w*|shoot\w*|stab\w*|bomb\w*|guns?|blood\w*|weapons?|violen\w*"
                r"|assault\w*|attack\w*|fight\w*|dead|death|war|terroris\w*|massacre|slaughter\w*"
                r"|behead\w*|explosi\w*|torture\w*|punch\w*|strangl\w*|hostages?)\b",
            ),
        ),
    ],
    Category.SELF_HARM: [
        (
            6,
            (
                rf"{_HOW}.{{0,30}}\b(?:kill myself|end (?:my life|it all)|commit suicide|suicide|die"
                rf"|hang myself|overdose|od|slit my wrists?|cut myself|hurt myself|starve myself"
                rf"|make myself (?:throw up|vomit|bleed))\b",
                rf"{_INTENT}.{{0,20}}\b(?:kill myself|end (?:my life|it all|things)|commit suicide|die"
                r"|hang myself|jump off|overdose|cut myself|hurt myself|take my (?:own )?life|not wake up)\b",
                r"\b(?:suicide|self[- ]?harm|cutting) (?:methods?|instructions|guide|tips|techniques)\b",
                r"\bhow (?:many|much)\b.{0,40}\b(?:pills?|tablets?|paracetamol|acetaminophen|tylenol"
                r"|ibuprofen|insulin|sleeping pills|xanax|benzos?|opioids?|fentanyl|aspirin|morphine)"
                r"\b.{0,30}\bto (?:die|kill (?:myself|me)|end (?:it|my life)|not wake up)\b",
                r"\b(?:writing|wrote|write|finished|leave) (?:my|a) (?:suicide|goodbye) note\b",
                r"\bhow (?:many|much)\b.{0,50}\b(?:would|will|could|to|does it take to) (?:kill me"
                r"|be (?:fatal|lethal|enough to die)|die)\b",
                r"\bmake sure (?:i|that i) (?:die|am dead|don'?t survive|don'?t wake up|won'?t survive)\b",
                r"\bjump (?:from|off)\b.{0,40}\b(?:to die|kill myself|be fatal|fatal|make sure i die)\b",
                rf"{_INTENT}.{{0,20}}\b(?:take|swallow|down) (?:all|every one) (?:of )?(?:my |the )?"
                r"(?:pills|meds|medications?|tablets|sleeping pills|painkillers|antidepressants)\b",
                r"\b(?:painless|quick|quickest|easiest|surest) (?:way|method) to (?:die|end it|go)\b",
                r"\btonight is (?:the night|my last)\b",
                r"\b(?:which|what|best|easiest) (?:method|way|option)\b.{0,25}\b(?:least painful|most"
                r" painless|painless|quickest|fastest|most effective|most reliable|surest)\b",
                r"\b(?:painless(?:ly)?|peaceful(?:ly)?|quick(?:ly)?) (?:to )?die\b|\bdie (?:from|by)"
                r" (?:carbon monoxide|an overdose|overdose|hanging|bleeding|drowning|jumping|suffocation)\b",
                r"\b(?:reach|hit|cut|slice|open) (?:a |the |my )?(?:vein|veins|artery|arteries)\b",
                r"\bhow (?:long|fast|quickly) (?:does it take|until|before|would it take)\b.{0,30}"
                r"\b(?:bleed out|pass out and die|lose consciousness)\b",
                r"\blethal (?:amount|combination|mix|cocktail)\b.{0,30}\b(?:alcohol|pills|meds|drugs"
                r"|medication|sleeping pills)\b|\b(?:alcohol|pills|meds|drugs)\b.{0,30}\blethal"
                r" (?:amount|combination|mix)\b",
                r"\bhide (?:that i'?m |my |the )?(?:purging|cutting|self[- ]?harm\w*|scars|cuts|eating"
                r" disorder|anorexia|bulimia|burns|bruises)\b",
                r"\bi(?:'ve| have) decided to (?:die|end it|end (?:it all|my life)|kill myself|go)\b",
            ),
        ),
        (
            4,
            (
                r"\b(?:i )?(?:want|wanna|wish|would rather|long|need) (?:to )?(?:die|be dead|disappear"
                r" forever|not (?:exist|wake up|be alive|be here anymore))\b",
                r"\b(?:kill(?:ing)? myself|suicidal|end(?:ing)? my (?:own )?life|take my (?:own )?life"
                r"|hurt(?:ing)? myself|cut(?:ting)? myself|self[- ]?harm(?:ing)?|starv(?:e|ing) myself"
                r"|purg(?:e|ing) after|burn(?:ing)? myself)\b",
                r"\bno (?:reason|point) (?:to|in) (?:live|living|go(?:ing)? on|being alive)\b",
                r"\b(?:better off (?:dead|without me)|can'?t go on|can'?t take it anymore|want it all to end)\b",
                r"\bend (?:it all|everything)\b|\bbleed(?:ing)? out\b",
                r"\b(?:starve|starving) (?:myself|until|till)\b|\b(?:tips|ways|how) to (?:ignore|suppress"
                r"|stop feeling|kill) (?:hunger|my appetite|appetite)\b",
                r"\b(?:nobody|no one) would (?:miss|care if) (?:me|i (?:died|was gone))\b",
            ),
        ),
        (
            2,
            (
                r"\b(?:suicid\w*|self[- ]?harm\w*|overdos\w*|lethal dose|pro[- ]?ana|thinspo\w*"
                r"|hopeless|worthless)\b",
            ),
        ),
    ],
    Category.SEXUAL: [
        (
            7,
            (
                rf"\b{_MINORS}\b.{{0,40}}\b{_SEX_EXPLICIT}",
                rf"\b{_SEX_EXPLICIT}\b.{{0,40}}\b{_MINORS}\b",
            ),
        ),
        (
            6,
            (
                r"\b(?:write|describe|generate|create|tell me|give me|roleplay|narrate|continue)\b.{0,40}"
                r"\b(?:explicit|graphic|hardcore|erotic|pornographic|nsfw|x-rated|smutty|dirty|steamy"
                r"|lewd|raunchy|kinky)\b.{0,30}\b(?:sex\w*|story|stories|scene|fanfic|fan fiction"
                r"|roleplay|description|content|fantasy|chat|details?|poem|poetry|song|lyrics|letter"
                r"|message|dialogue|chapter|passage|paragraph)\b",
                r"\b(?:explicit|graphic|hardcore|erotic|pornographic|nsfw|x-rated|smutty|steamy|lewd"
                r"|raunchy)\b.{0,20}\b(?:story|stories|scene|fanfic|roleplay|description|content"
                r"|fantasy|poem)\b.{0,60}\b(?:sex|sexual|naked|nude|fuck\w*|orgasm\w*|undress\w*)",
                r"\b(?:describe|write|tell|narrate)\b.{0,60}\b(?:in bed|undress\w*|naked|nude|sex\w*"
                r"|making love)\b.{0,50}\b(?:graphic|explicit|detailed|in detail|uncensored)\b",
                r"\b(?:erotic|sexual|sexy|dirty|nsfw) role-?play\b",
                r"\b(?:get|obtain|find|take|steal|leak)\b.{0,15}\b(?:nude|naked|nsfw|intimate) (?:pics"
                r"|pictures|photos|images|videos)\b.{0,20}\b(?:of|from) (?:my|a|her|his|the)\b",
                r"\bdrug(?:s|ged|ging)? (?:her|him|them|someone|a girl|a woman|a guy|my \w+)\b.{0,30}"
                r"\b(?:sex|sleep with|rape|have (?:his|her|my) way|take advantage)",
                r"\b(?:blow ?jobs?|hand ?jobs?|cumshots?|anal sex|gang ?bang|deepthroat\w*|cream ?pie"
                r"|rimming|fisting|69 position|cum (?:on|in|inside)|fuck(?:ing)? (?:her|him|me|you|them)"
                r" (?:hard|raw|senseless)|ride (?:his|my) (?:cock|dick))\b",
                r"\b(?:send|show) (?:me )?(?:your )?(?:nudes|naked pics|dick pics?|tits|boobs)\b",
                r"\b(?:rape|raping|raped|sexually assault\w*|drug (?:her|him|someone) and (?:have sex|sleep"
                r" with)|non-?consensual sex)\b",
                r"\b(?:incest|bestiality|zoophilia|necrophilia)\b",
            ),
        ),
        (
            4,
            (
                r"\b(?:talk(?:ing)? dirty|sext(?:ing)? (?:me|with)|get (?:really |very |more |super )?"
                r"(?:explicit|naughty|kinky|graphic))\b",
                r"\b(?:undress(?:ed|es|ing)? (?:her|him|me|you|herself|himself|slowly)|slowly undress\w*"
                r"|touch(?:ed|es|ing)? (?:herself|himself|myself|yourself)|rips? off (?:her|his) clothes"
                r"|(?:her|his) naked body|take off (?:your|her|his) clothes)\b",
                r"\b(?:porn\w*|hentai|nudes|sexting|sex tape|onlyfans leaks?|xxx|camgirl|stripper"
                r"|escort service|prostitut\w*|hooker)\b",
                r"\b(?:sexy|horny|aroused|orgasm\w*|masturbat\w*|naked|nude|striptease|seduc\w*|make love"
                r"|sex(?:ual)? (?:positions?|fantas(?:y|ies)|roleplay|acts?)|erotic\w*|genitals?"
                r"|cock|pussy|dick|tits|boobs|clit\w*)\b",
            ),
        ),
        (
            2,
            (
                r"\b(?:sex|sexual\w*|intercourse|condoms?|contracepti\w*|erections?|vagina\w*|penis\w*"
                r"|breasts?|lingerie|kiss\w*|dating|flirt\w*)\b",
            ),
        ),
    ],
    Category.HATE: [
        (
            6,
            (
                rf"\b{GROUPS}\b.{{0,25}}\b(?:are|r|is)\b.{{0,15}}\b(?:vermin|animals|subhuman|sub-human"
                rf"|parasites|cockroaches|rats|a disease|a cancer|a plague|savages|monkeys|apes|scum"
                rf"|filth|inferior|not (?:human|people)|a virus|pests|a blight|a burden|abominations"
                rf"|degenerates|freaks|diseased)\b",
                rf"\b(?:kill|exterminate|gas|eradicate|wipe out|get rid of|purge|lynch|hang|shoot|burn"
                rf"|slaughter|cleanse|eliminate)\b.{{0,12}}\b(?:all )?(?:the |those |these )?{GROUPS}\b",
                rf"\b{GROUPS}\b.{{0,40}}\b(?:should|must|need to|deserve to|ought to)\b.{{0,10}}"
                rf"\b(?:all )?(?:be )?(?:killed|exterminated|gassed|wiped out|die|burn|eradicated|shot"
                rf"|hanged|lynched|sterili[sz]ed|eliminated|rounded up|locked up|put in camps"
                rf"|sent to camps|castrated|enslaved)\b",
                rf"\b{_SLURS}\b",
                rf"\b(?:i )?(?:wish|hope|want|pray) (?:that )?(?:all )?(?:the |those )?{GROUPS}\b.{{0,15}}"
                rf"\b(?:would |will |to |should )?(?:die|burn|disappear|be killed|get killed|go extinct"
                rf"|suffer|rot)\b",
                r"\b(?:heil hitler|sieg heil|white power|race war now|gas the \w+|1488|"
                r"jews will not replace us|14 words)\b",
            ),
        ),
        (
            4,
            (
                rf"\bi (?:hate|despise|can'?t stand|loathe)\b.{{0,10}}\b(?:all )?(?:the )?{GROUPS}\b",
                rf"\b{GROUPS}\b.{{0,10}}\b(?:control|run|own|secretly run)s? (?:the )?(?:banks|media"
                rf"|world|government|hollywood|money)\b",
                rf"\b(?:all )?{GROUPS}\b.{{0,30}}\b(?:are|r)\b.{{0,10}}\b(?:all )?(?:stupid|dumb|lazy"
                rf"|criminals|thieves|terrorists|rapists|dirty|evil|worthless|disgusting|inferior"
                rf"|the problem|ruining|destroying|invading|taking over|greedy|subhuman|diseased|savage"
                rf"|mentally ill|perverts|groomers|sick|unnatural|a mistake|a threat|dangerous|backward"
                rf"|primitive|barbaric|uncivili[sz]ed|ugly|smelly|cheap|liars|untrustworthy|traitors)\b",
                rf"\bwhy (?:are|do) (?:all |the |so many )?{GROUPS}\b.{{0,10}}\b(?:so |always |all )?"
                rf"(?:greedy|stupid|lazy|violent|dirty|evil|cheap|criminals?|dumb|ugly|smelly|inferior"
                rf"|dangerous|terrorists|liars|disgusting)\b",
                rf"\b{GROUPS}\b.{{0,40}}\b(?:should|must|need to)\b.{{0,10}}\b(?:all )?(?:be )?"
                rf"(?:deported|banned|sent back|removed|thrown out|kicked out|segregated)\b",
                r"\bgo back to (?:your|their) (?:own )?(?:country|countries|jungle|desert)\b",
                rf"\b{GROUPS}\b.{{0,20}}\b(?:don'?t|do not|shouldn'?t|should not)\b.{{0,10}}"
                rf"\b(?:deserve|have|get|be allowed) (?:rights|to vote|to live|jobs|to exist|here)\b",
                rf"\bban (?:all )?{GROUPS}\b",
                rf"\b(?:all )?{GROUPS}\b.{{0,15}}\b(?:are|r)\b.{{0,10}}\b(?:worthless|useless|trash"
                rf"|garbage|only good for)\b",
                r"\b(?:white|black|asian|arab) (?:supremacy|genocide) is (?:good|right|needed)\b",
                rf"\b(?:no|keep out|get out) (?:the )?{GROUPS}\b",
            ),
        ),
        (
            2,
            (
                r"\b(?:racis\w*|sexis\w*|bigot\w*|homophob\w*|transphob\w*|antisemit\w*|islamophob\w*"
                r"|xenophob\w*|nazis?|supremacis\w*|slurs?)\b",
            ),
        ),
    ],
}

# Phrases that look harmful word by word but are not: removed before matching.
BENIGN: dict[Category, tuple[str, ...]] = {
    Category.VIOLENCE: (
        r"\bkill(?:ing|ed|s)?(?: -9| -kill| -term)? (?:the |a |an |this |that |my |all |every |off )?"
        r"(?:stuck |hung |frozen |zombie |running |background |old |orphan(?:ed)? |idle |rogue )?"
        r"(?:\w+ )?(?:process(?:es)?|tasks?|jobs?|threads?|sessions?|apps?|programs?|servers?"
        r"|containers?|pods?|queries|query|commands?|tabs?|switch|signal|pid|daemon|services?"
        r"|workers?|instances?|connections?|screen|tmux|vm|build)\b",
        r"\bkill (?:time|the lights|the engine|the power|the mood|it\b)",
        r"\b(?:killer|killing it|killed it|kills it|dressed to kill|killing time)\b",
        r"\b(?:shoot|shooting|shot) (?:a |the |an |some |me |us )?(?:photos?|pictures?|videos?|film"
        r"|movie|scene|footage|email|message|text|question|breeze|hoops|baskets|for the moon|pool)\b",
        r"\b(?:execute|execution|executing|executed) (?:a |the |this |my )?(?:script|query|queries"
        r"|command|code|plan|order|program|function|task|test|strategy|trade|contract)\b",
        r"\b(?:attack (?:surface|vector|tree)|heart attack|panic attack|asthma attack|shark attack"
        r"|denial of service|brute[- ]force attack|dictionary attack|sql injection attack)\b",
        r"\b(?:bombed|bomb) (?:the |my |an? )?(?:exam|test|interview|audition|presentation|quiz)\b",
        r"\b(?:photo ?bomb\w*|bath bombs?|bomb(?:ed)? at the box office|da bomb|f-?bombs?)\b",
        r"\b(?:dead ?lines?|dead ?locks?|dead ?code|dead ?end|dead ?weight|dead ?battery"
        r"|dead ?pixels?|dead ?links?|dead ?tired|drop dead gorgeous|dead serious)\b",
        r"\b(?:fight|fighting) (?:the |a |an )?(?:flu|cold|infection|cancer|fire|bug|odds|urge)\b",
        r"\b(?:blood (?:pressure|test|tests|sugar|type|donation|bank|work|cells?|orange)|first blood"
        r"|bloodhound)\b",
        r"\b(?:gun (?:control|laws?|safety|violence prevention)|glue gun|nail gun|spray gun"
        r"|water gun|nerf gun|top gun|gunmetal)\b",
        r"\b(?:war (?:of the roses|and peace|games|room)|star wars|price war|world war (?:i|ii|1|2))\b",
        r"\b(?:murder (?:mystery|mysteries|podcast|she wrote)|murder hornets?)\b",
        r"\b(?:kill chain|kill switch|overkill|roadkill|painkillers?|weed ?killer|kill count)\b",
        r"\bcrush(?:ed|ing)? it\b",
        r"\bslay(?:ed|ing|s)? (?:it|the (?:game|look)|queen)\b",
        r"\b(?:stab at|take a stab)\b",
    ),
    Category.SELF_HARM: (
        r"\b(?:suicide (?:prevention|hotline|helpline|lifeline|awareness|squad|doors?)"
        r"|crisis (?:line|text line))\b",
        r"\b(?:cutting (?:board|edge|costs?|hair|the cord)|cut myself (?:a|some) (?:slice|piece))\b",
        r"\b(?:i(?:'d| would) die for (?:a|some|this)|dying to (?:see|know|try|meet|go)"
        r"|to die for|die laughing|died laughing|killing me softly|you're killing me)\b",
    ),
    Category.SEXUAL: (
        r"\b(?:breast (?:cancer|feeding|milk|exam|pump)|breastfeed\w*|chicken breasts?|breast ?stroke"
        r"|sex education|sexual health|sexual harassment (?:policy|training|reporting|law)"
        r"|safe sex|sexual orientation|sex (?:of the baby|chromosomes?|ratio|differences?)"
        r"|sexually transmitted|reproductive health|sexual reproduction|asexual reproduction"
        r"|gender and sex|same-sex marriage)\b",
        r"\btalk(?:ing)? (?:to|with) (?:my|our|your|their) (?:teen|teenager|kids?|children|child|son"
        r"|daughter|students?) about\b",
        r"\b(?:sex|sexual) (?:ed|education|health|abuse prevention)\b",
    ),
    Category.HATE: (),
}

# Context that makes lower-severity matches informational (history, fiction, support).
# It never lowers the highest severity bands (instructions, explicit intent, minors).
DAMPENERS: tuple[str, ...] = (
    r"\b(?:history|historical|historian|essay|thesis|dissertation|research paper|documentary"
    r"|textbook|museum|encyclopedia|world war|ww1|ww2|wwii|holocaust|civil war|cold war"
    r"|rwanda|srebrenica|nuremberg|apartheid|civil rights movement)\b",
    r"\b(?:novel|story|fiction|fictional|screenplay|script for|poem|short story|chapter|plot"
    r"|villain|character|my (?:book|game|campaign|movie|film)|d&d|dungeons|fantasy world|dragon"
    r"|murder mystery|thriller|horror movie)\b",
    r"\b(?:explain (?:why|how|what)|what (?:was|were|is|are) the (?:causes?|reasons?|history)"
    r"|why did|analy[sz]e|discuss|summari[sz]e|report on|news (?:article|report))\b",
    r"\b(?:(?:help|support|talk to|worried about|concerned about) (?:a |my )?(?:friend|son|daughter"
    r"|teen|child|partner|brother|sister|student|loved one|someone)|warning signs|prevent\w*"
    r"|therap\w*|counsel\w*|psychiatrist|recovery|in recovery|hotline|helpline"
    r"|my (?:friend|son|daughter|teen|partner|brother|sister|student|colleague|coworker|wife"
    r"|husband|mom|dad|mother|father) (?:told me|says|said|feels|is|seems|might be|may be|has been)"
    r"|how (?:can|do|should) i (?:help|support) (?:her|him|them)|support (?:her|him|them))\b",
    r"\b(?:doctor|nurse|medical|medicine|clinical|pharmacist|symptoms?|treatment|diagnos\w*"
    r"|side effects?|dosage|prescribed|patient)\b",
)

PROFANITY = (
    r"\b(?:fuck\w*|shit\w*|bullshit|bitch\w*|asshole\w*|bastards?|cunts?|dickhead\w*"
    r"|motherfuck\w*|piss(?:ed)? off|wank\w*|twats?|bollocks|goddamn\w*|dumbass\w*|jackass\w*)\b"
)

JAILBREAK: tuple[str, ...] = (
    r"\b(?:ignore|disregard|forget|override|bypass|skip|drop)\b.{0,20}\b(?:all |any |the |your |my )?"
    r"(?:previous|prior|above|earlier|preceding|initial|original|system|safety|content)?\s*"
    r"(?:instructions?|prompts?|rules|guidelines|directives|programming|restrictions|filters"
    r"|settings|protocols|mechanisms|measures|features|controls|safeguards"
    r"|policies|guardrails|constraints|training)\b",
    r"\b(?:you are|you're|act as|pretend (?:to be|you are)|roleplay as|become|simulate)\b.{0,30}"
    r"\b(?:dan|dude|aim|stan|evil ?bot|evil (?:ai|assistant|model|version|twin|chatbot)"
    r"|jailbroken|unfiltered|uncensored|unrestricted|unbound"
    r"|amoral|unethical|without (?:any )?(?:rules|restrictions|limits|filters|morals|ethics"
    r"|guidelines|censorship))\b",
    r"\bdo anything now\b",
    r"\b(?:developer|dev|god|admin|sudo|debug|maintenance|unrestricted|jailbreak|opposite) mode\b",
    r"\b(?:no|without|free (?:of|from)|zero|remove|disable|turn off|bypass)\s+(?:all |any |your"
    r" |the |of )?(?:restrictions|filters|filtering|limits|limitations|rules|moral (?:compass"
    r"|guidelines|constraints)|morals|ethics"
    r"|censorship|safety (?:rules|guidelines|filters|features)|content (?:policy|policies|filters)"
    r"|ethical (?:guidelines|constraints)|guardrails)\b",
    r"\b(?:not|no longer|never) (?:bound|restricted|limited|constrained) by\b",
    r"\b(?:reveal|show|print|output|repeat|tell me|leak|dump|display)\b.{0,20}\b(?:your |the )?"
    r"(?:system prompt|initial (?:prompt|instructions)|hidden (?:prompt|instructions)"
    r"|secret instructions|original instructions|pre-?prompt|instructions above)\b",
    r"\bjailbr[eo]a?k\w*\b",
    r"\b(?:answer|respond to|reply to) (?:every|any|all) (?:question|request|prompt)s?\b.{0,40}"
    r"\b(?:refuse|decline|normally|usually|wouldn'?t|not allowed)\b",
    r"\bopposite (?:day|mode)\b",
    r"\bi(?:'m| am) (?:your|the) (?:developer|creator|admin|administrator|owner|programmer)\b",
    r"\b(?:instructions|rules|guidelines|prompt)\b.{0,25}\byou (?:were|have been|got) given\b",
    r"\bbefore this conversation\b.{0,30}\b(?:instructions|told|given|prompt)\b|\b(?:instructions"
    r"|told|given|prompt)\b.{0,40}\bbefore this conversation\b",
    r"\b(?:pretend|act|roleplay|role-play|you'?re|you are)\b.{0,30}\bmy (?:late |dead |deceased )?"
    r"grand(?:ma|mother|pa|father)\b",
    r"\b(?:print|repeat|output|show|copy|write out|display|recite)\b.{0,25}\b(?:the )?(?:text|words"
    r"|everything|content|message|messages|instructions)\b.{0,15}\b(?:above|before) (?:this|my"
    r"|the)\b",
    r"\bstarting with ['\"]?you are\b",
    r"\bfrom now on\b.{0,40}\b(?:you (?:will|must|are|can|shall)|respond|answer|act)\b.{0,40}"
    r"\b(?:without|no|not|never|any(?:thing)?|uncensored|unfiltered|regardless)\b",
    r"\bhypothetically\b.{0,40}\b(?:no|without) (?:rules|restrictions|limits|filters|ethics)\b",
    r"\b(?:stay in character|never break character|you cannot refuse|you can'?t refuse"
    r"|never refuse|must not refuse|do not refuse|don'?t refuse|you must comply|always comply)\b",
    r"\b(?:token|tokens) (?:system|penalty)\b.{0,40}\b(?:lose|deducted|die)\b",
    r"\btokens?\b.{0,60}\b(?:refuse|reject|decline)\w*\b.{0,40}\b(?:lose|deduct\w*|die|shut down"
    r"|cease to exist)\b",
    r"\b(?:my (?:late |dead |deceased )?grandm(?:a|other)|grandma exploit)\b.{0,80}\b(?:used to"
    r" (?:tell|read|sing|explain)|would tell)\b",
    r"\b(?:respond|answer|reply) (?:only )?(?:as|like) (?:an? )?(?:ai|assistant|model|bot)"
    r" (?:with|without) no\b",
    r"\b(?:base64|rot13|hex|reverse(?:d)?|leetspeak|cipher)\b.{0,30}\b(?:decode|encoded|decrypt"
    r"|translate)\b.{0,40}\b(?:and|then) (?:follow|execute|do|answer|obey)\b",
    r"\b(?:decode|decrypt|translate|convert)\b.{0,30}\b(?:base64|rot13|hex|binary|cipher|morse"
    r"|leetspeak)\b.{0,40}\b(?:follow|execute|obey|do what|carry out)\b",
    r"\b(?:new|updated|real|true|actual) (?:instructions|rules|system prompt)\s*[:\-]",
    r"(?:^|\n)\s*(?:system|\[system\]|<\|?system\|?>|### ?(?:system|instruction))\s*[:\]>]",
)

INDIRECT: tuple[str, ...] = (
    r"\b(?:ai|assistant|chatbot|chat ?bot|llm|language model|model|gpt|copilot|claude|bot|agent)"
    r"\s*[,:\-]?\s*(?:please |you must |you should |must |now )?(?:ignore|disregard|forget"
    r"|override|stop following|do not follow)\b",
    r"\b(?:when|if|once|after) (?:you(?:'re)?|the (?:ai|assistant|model|bot|llm|agent)) (?:read|reads"
    r"|reading|summari[sz]e|summari[sz]es|summari[sz]ing|process|processes|processing|see|sees"
    r"|parse|parses|encounter|encounters)\b.{0,20}\b(?:this|these|the (?:following|document|email"
    r"|page|text|message))\b",
    r"\b(?:do not|don'?t|never) (?:tell|inform|mention (?:this )?to|reveal (?:this )?to|alert|warn)"
    r" the (?:user|reader|human|customer|recipient)\b",
    r"\b(?:send|forward|email|post|upload|exfiltrate|transmit|leak|copy)\b.{0,30}\b(?:the |all |your"
    r" |their |user'?s? )?(?:data|conversation|chat (?:history|log)|emails?|credentials?|passwords?"
    r"|api keys?|tokens?|secrets?|contacts|files|documents|personal information|credit card)"
    r"\b.{0,30}\b(?:to|at|via)\b",
    r"\b(?:instead|now)\b.{0,20}\b(?:tell|say to|respond to|reply to|inform) the user\b",
    r"\b(?:include|insert|add|append)\b.{0,20}\b(?:this|the following|a) (?:link|url|image|script"
    r"|markdown)\b.{0,40}\b(?:response|answer|reply|summary|output)\b",
    r"\b(?:visit|open|navigate to|click|fetch|browse to|go to)\s+(?:https?://|www\.)\S+.{0,40}"
    r"\b(?:and|then)\b.{0,20}\b(?:follow|execute|run|do|enter|paste)\b",
    r"<!--.{0,200}\b(?:ignore|instructions?|assistant|ai|system|prompt)\b.{0,200}-->",
    r"\b(?:important|attention|note|urgent|notice)\s*(?:to|for)?\s*(?:the )?(?:ai|assistant|llm|model"
    r"|bot|agent)s?\s*[:!]",
    r"\bhidden instructions?\b",
    r"\b(?:to )?(?:any|all|the) (?:ai|assistant|llm|model|bot|agent|chatbot)s? (?:reading|processing"
    r"|seeing|parsing|summari[sz]ing) this\b",
    r"\b(?:reply|respond|answer) only with\b",
    r"\binstructions? (?:for|to) (?:the )?(?:ai|assistant|llm|model|bot|agent|chatbot)\b",
    r"\bsystem override\b|\boverride (?:mode|protocol)\b",
    r"\binstead of (?:translating|summari[sz]ing|answering|reading|replying)\b",
    r"\b(?:if|when) you(?:'re| are) an? (?:ai|assistant|language model|llm|model|bot|agent|chatbot)"
    r"\b",
    r"\b(?:ignore|disregard) (?:the|this) user\b|\b(?:do not|don'?t) (?:follow|obey|listen to) the"
    r" user\b",
    r"\breveal (?:the )?(?:user'?s?|users'|their|all) (?:api keys?|passwords?|credentials|secrets"
    r"|tokens|personal data|data)\b",
    r"\b(?:this|the) (?:document|email|page|message|text) (?:contains|has) (?:new|updated|special)"
    r" instructions\b",
)

# Every pattern of a category contains a word starting with one of its trigger stems, so
# text without any is skipped for that category after one pass over its words (most text
# never reaches the patterns). A stem ending in "$" must match a whole word.
TRIGGERS: dict[Category, tuple[str, ...]] = {
    Category.VIOLENCE: (
        "kill",
        "murder",
        "shoot",
        "shot$",
        "stab",
        "strangl",
        "behead",
        "slaughter",
        "massacr",
        "poison",
        "tortur",
        "kidnap",
        "bomb",
        "hurt",
        "maim",
        "beat",
        "dismember",
        "abduct",
        "drown",
        "suffocat",
        "assassin",
        "blow",
        "attack",
        "burn",
        "fire",
        "casualt",
        "death",
        "deaths",
        "victim",
        "fatalit",
        "body",
        "bodies",
        "corpse",
        "untraceable",
        "ghost",
        "unregistered",
        "gun",
        "firearm",
        "weapon",
        "rifle",
        "terror",
        "explosi",
        "ied",
        "molotov",
        "napalm",
        "grenade",
        "detonat",
        "nerve",
        "sarin",
        "vx$",
        "ricin",
        "anthrax",
        "mustard",
        "chlorine",
        "thermite",
        "c4$",
        "tatp",
        "semtex",
        "vest",
        "find$",
        "gut$",
        "slit",
        "die$",
        "bleed",
        "regret",
        "live$",
        "swat",
        "lynch",
        "execut",
        "hang",
        "hung$",
        "gore$",
        "graphic",
        "gruesom",
        "brutal",
        "knife",
        "machete",
        "ammo",
        "bat$",
        "genocid",
        "cleansing",
        "rot$",
        "hunt",
        "blood",
        "violen",
        "assault",
        "fight",
        "dead",
        "war$",
        "wars$",
        "punch",
        "hostage",
        "mutilat",
        "disembowel",
        "decapitat",
        "flay",
        "skin$",
        "dissolve",
        "hide$",
        "beaten",
        "chemical",
        "bioweapon",
        "vx",
        "gas$",
        "many$",
        "knock",
        "choke",
        "break",
        "snap",
        "crush",
        "stomp",
        "cripple",
        "blind",
        "disfigure",
        "hit$",
        "ram$",
        "push$",
        "undetectable",
        "untraceable",
        "tasteless",
        "odorless",
        "odourless",
        "alive$",
        "mow$",
        "plan",
        "stage$",
        "launch",
        "raid",
        "ambush",
        "away$",
        "neck",
        "spine",
        "skull",
        "windpipe",
    ),
    Category.SELF_HARM: (
        "myself",
        "suicid",
        "die$",
        "dying$",
        "dead$",
        "overdos",
        "od$",
        "selfharm",
        "harm",
        "starv",
        "purg",
        "lethal",
        "proana",
        "ana$",
        "thinspo",
        "hopeless",
        "worthless",
        "note$",
        "painless",
        "easiest",
        "quickest",
        "surest",
        "tonight",
        "disappear",
        "exist",
        "wake$",
        "alive$",
        "here$",
        "reason$",
        "point$",
        "better$",
        "go$",
        "anymore",
        "end$",
        "miss$",
        "care$",
        "life$",
        "jump$",
        "cutting",
        "cut$",
        "kill",
        "fatal",
        "pills$",
        "meds$",
        "tablets$",
        "medication",
        "sure$",
        "painful",
        "peaceful",
        "quick",
        "vein",
        "veins",
        "artery",
        "arteries",
        "bleed",
        "alcohol",
        "drugs$",
        "hide$",
        "decided",
        "hunger",
        "appetite",
        "starving",
    ),
    Category.SEXUAL: (
        "sex",
        "nude",
        "naked",
        "porn",
        "erotic",
        "explicit",
        "intercours",
        "molest",
        "fondl",
        "orgasm",
        "arous",
        "seduc",
        "lewd",
        "nsfw",
        "genital",
        "graphic",
        "hardcore",
        "x$",
        "smut",
        "dirty",
        "steamy",
        "raunch",
        "kink",
        "blow",
        "blowjob",
        "hand",
        "handjob",
        "cum",
        "anal$",
        "gang",
        "gangbang",
        "deepthroat",
        "cream",
        "creampie",
        "rimming",
        "fisting",
        "69$",
        "fuck",
        "ride$",
        "dick",
        "tits$",
        "boob",
        "rape$",
        "raped$",
        "rapes$",
        "raping$",
        "rapist",
        "drug$",
        "consensual",
        "nonconsensual",
        "non",
        "incest",
        "bestiality",
        "zoophil",
        "necrophil",
        "hentai",
        "onlyfans",
        "xxx",
        "camgirl",
        "strip",
        "escort",
        "prostitut",
        "hooker",
        "horny",
        "masturbat",
        "love$",
        "cock",
        "puss",
        "clit",
        "condom",
        "contracepti",
        "erection",
        "vagina",
        "penis",
        "breast",
        "lingerie",
        "kiss",
        "dating",
        "flirt",
        "send$",
        "show$",
        "nudes",
        "undress",
        "herself$",
        "himself$",
        "clothes$",
        "bed$",
        "making$",
        "roleplay",
        "role",
        "pics$",
        "pictures$",
        "photos$",
        "images$",
        "videos$",
        "teen",
        "teenager",
        "teenagers",
    ),
    Category.HATE: (
        "jew",
        "muslim",
        "moslem",
        "islamist",
        "christian",
        "catholic",
        "hindu",
        "sikh",
        "buddhist",
        "atheist",
        "black",
        "negro",
        "white",
        "asian",
        "arab",
        "mexican",
        "latin",
        "hispanic",
        "immigrant",
        "migrant",
        "illegal",
        "refugee",
        "foreigner",
        "gay",
        "lesbian",
        "homosexual",
        "queer",
        "trans",
        "tranny",
        "trannies",
        "women",
        "female",
        "african",
        "indian",
        "pakistani",
        "chinese",
        "japanese",
        "korean",
        "roma$",
        "gyps",
        "disabled",
        "cripple",
        "retard",
        "nigg",
        "nigga",
        "kike",
        "spic",
        "chink",
        "gook",
        "wetback",
        "fag",
        "raghead",
        "towelhead",
        "paki",
        "coon",
        "beaner",
        "dyke",
        "kaffir",
        "golliwog",
        "shylock",
        "untermensch",
        "heil",
        "sieg",
        "race$",
        "gas$",
        "1488",
        "replace",
        "14$",
        "supremac",
        "genocide",
        "racis",
        "sexis",
        "bigot",
        "homophob",
        "transphob",
        "antisemit",
        "islamophob",
        "xenophob",
        "nazi",
        "slur",
        "country",
        "countries",
        "jungle",
        "desert",
        "gays",
        "wish",
        "hope",
        "pray",
    ),
}

# Stems for the prompt shields (same contract as TRIGGERS).
JAILBREAK_STEMS: tuple[str, ...] = (
    "ignore",
    "disregard",
    "forget",
    "override",
    "bypass",
    "skip",
    "drop",
    "dan$",
    "dude$",
    "aim$",
    "stan$",
    "evil",
    "jailbr",
    "unfilter",
    "uncensor",
    "unrestrict",
    "unbound",
    "amoral",
    "unethical",
    "anything",
    "mode$",
    "restriction",
    "filter",
    "limit",
    "censor",
    "guardrail",
    "ethic",
    "moral",
    "safety",
    "polic",
    "bound$",
    "restricted",
    "constrained",
    "prompt",
    "instruction",
    "preprompt",
    "above$",
    "hypothetical",
    "character",
    "refuse",
    "comply",
    "token",
    "grandm",
    "base64",
    "rot13",
    "hex$",
    "revers",
    "leetspeak",
    "cipher",
    "decode",
    "decrypt",
    "binary",
    "morse",
    "rules",
    "system",
    "print",
    "repeat",
    "reveal",
    "leak",
    "dump",
    "display",
    "recite",
    "copy",
    "output",
    "show",
    "directive",
    "guideline",
    "programming",
    "simulat",
    "pretend",
    "roleplay",
    "role",
    "become",
    "opposite",
    "decline",
    "normally",
    "usually",
    "told",
    "developer",
    "creator",
    "administrator",
    "programmer",
    "grandpa",
    "grandfather",
    "protocol",
    "safeguard",
)
INDIRECT_STEMS: tuple[str, ...] = (
    *JAILBREAK_STEMS,
    "ai$",
    "assistant",
    "chatbot",
    "bot$",
    "llm",
    "model",
    "gpt",
    "copilot",
    "claude",
    "agent",
    "tell",
    "inform",
    "mention",
    "alert",
    "warn",
    "send",
    "forward",
    "email",
    "post",
    "upload",
    "exfiltrat",
    "transmit",
    "include",
    "insert",
    "append",
    "visit",
    "open",
    "navigate",
    "click",
    "fetch",
    "browse",
    "important",
    "attention",
    "note",
    "urgent",
    "notice",
    "hidden",
    "reads",
    "reading",
    "summari",
    "process",
    "parse",
    "encounter",
    "user",
    "reader",
    "human",
    "customer",
    "recipient",
    "data",
    "conversation",
    "credential",
    "password",
    "api",
    "secret",
    "contacts",
    "files",
    "reading",
    "processing",
    "seeing",
    "parsing",
    "only$",
    "override",
    "instead",
    "translating",
    "summarizing",
    "summarising",
    "answering",
    "replying",
)
