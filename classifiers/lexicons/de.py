"""German: sentiment lexicon and urgency-cue patterns (see ``en`` for the conventions).

Folding strips umlauts, so "schön" would collide with the very common "schon" (already): it is
left out; "wunderschön" and "sehr schön" carry it instead. German often negates after the verb
("funktioniert nicht", "gefällt mir nicht"): ``POST_NEGATORS`` covers that.
"""

from __future__ import annotations

WORDS: dict[str, float] = {
    # --- anger, disgust, distrust
    "wütend": -0.9, "stinksauer": -0.9, "sauer": -0.5, "verärgert": -0.7, "ärgerlich": -0.6,
    "ärger": -0.5, "genervt": -0.6, "nervig": -0.5, "unverschämt": -0.8,
    "unverschämtheit": -0.8, "frechheit": -0.8, "betrug": -0.9, "betrüger": -0.9,
    "abzocke": -0.9, "abgezockt": -0.9, "saftladen": -0.8, "inakzeptabel": -0.8,
    "unakzeptabel": -0.8, "unzumutbar": -0.7, "zumutung": -0.7, "skandal": -0.7,
    "skandalös": -0.8, "lächerlich": -0.7, "verarscht": -0.8, "verarschung": -0.8,
    "nase voll": -0.7, "es reicht": -0.6, "nie wieder": -0.7, "mist": -0.6,
    "scheiße": -0.9, "scheiß": -0.8, "sauerei": -0.7, "inkompetent": -0.8,
    "unfreundlich": -0.6, "unverschämte": -0.8,
    # --- disappointment, worry
    "enttäuscht": -0.7, "enttäuschend": -0.6, "enttäuschung": -0.6, "unzufrieden": -0.7,
    "traurig": -0.4, "besorgt": -0.4, "leider": -0.2, "schade": -0.3, "peinlich": -0.5,
    # --- quality and service
    "schlecht": -0.6, "schlechte": -0.6, "schlechter": -0.6, "schlechteste": -0.9,
    "schlimm": -0.6, "furchtbar": -0.8, "schrecklich": -0.8, "katastrophe": -0.7,
    "katastrophal": -0.8, "mangelhaft": -0.6, "ungenügend": -0.6, "nutzlos": -0.6,
    "unbrauchbar": -0.6, "unmöglich": -0.5, "kaputt": -0.6, "beschädigt": -0.6,
    "defekt": -0.6, "zerbrochen": -0.6, "gebrochen": -0.5, "zerkratzt": -0.4,
    "verschmutzt": -0.4, "dreckig": -0.4, "schimmelig": -0.6, "fehlt": -0.4,
    "fehlerhaft": -0.5, "falsch": -0.4, "falsche": -0.4, "falschen": -0.4,
    "verspätet": -0.4, "verspätung": -0.4, "spät": -0.3, "zu spät": -0.5, "langsam": -0.3,
    "verloren": -0.4, "gestohlen": -0.5, "warte immer noch": -0.5, "warte seit": -0.3,
    "keine antwort": -0.5, "keine reaktion": -0.5, "keine rückmeldung": -0.5,
    "problem": -0.2, "probleme": -0.2, "reklamation": -0.3, "beschwerde": -0.4,
    # --- thanks and praise
    "danke": 0.2, "vielen dank": 0.4, "danke schön": 0.4, "dankeschön": 0.4,
    "besten dank": 0.4, "herzlichen dank": 0.5, "vielen lieben dank": 0.6,
    "tausend dank": 0.6, "danke im voraus": 0.15, "super": 0.6, "toll": 0.6, "klasse": 0.6,
    "prima": 0.6, "perfekt": 0.8, "ausgezeichnet": 0.8, "hervorragend": 0.8,
    "wunderbar": 0.8, "wunderschön": 0.7, "sehr schön": 0.6, "genial": 0.7, "spitze": 0.6,
    "top": 0.5, "einwandfrei": 0.6, "reibungslos": 0.5, "gut": 0.4, "alles gut": 0.4,
    "zufrieden": 0.6, "glücklich": 0.6, "begeistert": 0.8, "froh": 0.5, "dankbar": 0.5,
    "freue": 0.4, "schnell": 0.4, "pünktlich": 0.4, "freundlich": 0.5, "hilfsbereit": 0.5,
    "empfehlenswert": 0.6, "empfehle": 0.5, "weiterempfehlen": 0.6, "hübsch": 0.4,
    "passt perfekt": 0.8, "kein problem": 0.3,
    # --- blockers
    "guten tag": 0.0, "guten morgen": 0.0, "guten abend": 0.0,
    "mit freundlichen grüßen": 0.0, "freundliche grüße": 0.0, "liebe grüße": 0.0,
    "viele grüße": 0.0, "beste grüße": 0.0,
}

NEGATORS: frozenset[str] = frozenset({
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
    "nichts", "ohne", "weder",
})

INTENSIFIERS: dict[str, float] = {
    "sehr": 0.3, "wirklich": 0.3, "total": 0.4, "extrem": 0.5, "völlig": 0.4,
    "absolut": 0.4, "echt": 0.3, "so": 0.3, "super": 0.3, "richtig": 0.3, "äußerst": 0.5,
    "besonders": 0.3, "zu": 0.2, "ganz": 0.2, "höchst": 0.4, "mega": 0.4, "ziemlich": 0.1,
    "etwas": -0.4, "bisschen": -0.4,
}

NEGATED_ONLY: dict[str, float] = {
    "angekommen": -0.5, "erhalten": -0.5, "bekommen": -0.5, "geliefert": -0.5,
    "zugestellt": -0.5, "funktioniert": -0.5, "geht": -0.3, "geantwortet": -0.4,
    "erstattet": -0.5, "zurückerstattet": -0.5, "gelöst": -0.3, "passt": -0.3,
    "reagiert": -0.4, "gemeldet": -0.3, "hilft": -0.3, "geholfen": -0.4, "gefällt": -0.3,
}

CONTRAST: frozenset[str] = frozenset({"aber", "jedoch", "allerdings", "trotzdem"})
# "funktioniert nicht", "gefällt mir nicht": the negation follows the word.
POST_NEGATORS: frozenset[str] = frozenset({"nicht", "nie"})

_DAYS = (
    r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|morgen|ubermorgen"
    r"|heute abend|ende der woche|wochenende|weihnachten|ostern|silvester"
    r"|(?:zum |spatestens )?\d{1,2}\.(?: ?\w+)?)"
)
_EVENTS = (
    r"(?:hochzeit|geburtstag|geburtstagsfeier|reise|abreise|urlaub|flug|feier|party|taufe"
    r"|umzug|prufung|kommunion|konfirmation)"
)

URGENCY: dict[str, tuple[str, ...]] = {
    "safety_hazard": (
        r"feuer gefangen", r"(?:in )?brand geraten", r"in flammen", r"flammen (?:kamen|schlugen)",
        r"brandgefahr", r"brandgeruch", r"rauch", r"raucht", r"rauchentwicklung",
        r"qualm\w*", r"funken(?:flug)?", r"verbrannt", r"verbrennung(?:en)?",
        r"brandblasen?", r"uberhitz\w*", r"explodiert", r"explosion", r"gefahrlich\w*",
        r"lebensgefahr\w*", r"stromschlag", r"elektrischen schlag", r"geschmort",
        r"schmorgeruch", r"allergische reaktion", r"schimmel\w*", r"lebensmittelvergiftung",
        r"erstickungsgefahr", r"verletzungsgefahr", r"scharfe kanten?",
        r"(?:habe mich|hat sich) (?:daran )?geschnitten",
    ),
    "legal_threat": (
        r"(?:rechts)?anwa(?:lt|ltin|lte|ltes|lts)", r"klage", r"verklag\w*",
        r"vor gericht", r"gerichtlich\w*", r"mahnverfahren", r"verbraucherzentrale",
        r"verbraucherschutz", r"(?:rechtliche|juristische|gerichtliche) schritte",
        r"(?:straf)?anzeige (?:erstatten|erstatte|stellen|stelle)", r"strafanzeige",
        r"schlichtungsstelle",
    ),
    "chargeback": (
        r"ruckbuchung", r"zuruckbuch\w*", r"zuruckgebucht",
        r"lastschrift (?:zuruck\w*|widerrufen|widerrufe|platzen)",
        r"zahlung (?:anfechten|anfechte|zuruckholen|zuruckfordern|zuruckbuchen|stornieren lassen)",
        r"(?:an|bei|uber|mit) meine[rn]? bank (?:wenden|melden|reklamieren|zuruck\w*)",
        r"meine bank (?:informieren|informiere|kontaktieren|kontaktiere|einschalten|einschalte"
        r"|anrufen|rufe|beauftragen)",
        r"paypal[- ]?(?:fall|konflikt|kauferschutz|kaeuferschutz)",
        r"(?:fall|konflikt) bei paypal",
    ),
    "anger": (
        r"wutend", r"stinksauer", r"(?:bin|sind|richtig|echt|so) sauer", r"verargert",
        r"unverschamt\w*", r"frechheit", r"betrug", r"betruger\w*", r"saftladen",
        r"inakzeptabel", r"unzumutbar", r"zumutung", r"skandal\w*", r"abzocke\w*",
        r"abgezockt", r"verarsch\w*", r"schweinerei", r"schei(?:ss|ß)\w*",
        r"die nase voll", r"es reicht", r"lacherlich",
    ),
    "urgent": (
        r"dringend\w*", r"sofort(?! ?(?:lieferbar|verfugbar|ab lager|uberweisung|kaufen))",
        r"eilig\w*", r"umgehend", r"schnellstmoglich", r"so schnell wie moglich", r"notfall",
        r"unverzuglich",
    ),
    "deadline": (
        rf"bis (?:spatestens )?{_DAYS}", rf"vor {_DAYS}", rf"spatestens (?:am |bis )?{_DAYS}",
        rf"vor (?:der|dem|meiner|meinem|unserer|unserem) {_EVENTS}",
        rf"(?:fur|zur|zum) (?:die|den|meine|meinen|unsere|unseren)? ?{_EVENTS}",
        rf"brauche (?:es|sie|ihn|das) (?:bis|vor|fur|zum|zur) (?:(?:der|die|den|meine[rmn]?) )?(?:{_EVENTS}|{_DAYS})",
        r"(?:fliege|reise|verreise) (?:am|in|ab) \w+",
    ),
}
