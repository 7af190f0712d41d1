"""Urgency cue patterns (regular expressions over folded text: lower case, no accents)."""

SAFETY_HAZARD = [
    r"caught (?:on )?fire", r"(?:on|in) flames", r"burst into flames", r"smok(?:e|ed|ing) (?:came|coming|out|from)",
    r"started smoking", r"sparks?(?:ed|ing)? (?:came|flew|from|out)", r"\bsparking\b",
    r"burn(?:ed|t|s)? (?:my|his|her|our|the child|the baby|himself|herself|myself)",
    r"overheat(?:ed|ing|s)?", r"explod(?:ed|es|ing)", r"electric(?:al)? shock", r"electrocut",
    r"choking (?:hazard|risk)", r"(?:my|the) (?:child|kid|son|daughter|baby) (?:choked|swallowed)",
    r"allergic reaction", r"went to (?:the )?(?:hospital|a&e|er)\b", r"(?:is|it's|its) dangerous",
    r"safety (?:hazard|issue|risk)", r"fire hazard", r"mou?ld (?:in|on) (?:the )?food",
    r"a pris feu", r"prend feu", r"\bfumee\b", r"etincelles?", r"brule(?:e|s)? (?:ma|mon|mes|la main)",
    r"surchauff", r"\bdangereu(?:x|se)\b", r"decharge electrique", r"\bexplose",
    r"feuer gefangen", r"in flammen", r"\brauch\b", r"\bfunken\b", r"verbrannt", r"uberhitz",
    r"\bgefahrlich\b", r"stromschlag", r"explodiert",
    r"se (?:incendio|prendio fuego)", r"\bhumo\b", r"\bchispas\b", r"quemad[oa]", r"sobrecalent",
    r"\bpeligros[oa]\b", r"descarga electrica", r"\bexploto\b",
]
LEGAL_THREAT = [
    r"\blawyers?\b", r"\battorneys?\b", r"\bsolicitors?\b", r"\bsue\b", r"\bsuing\b", r"lawsuit",
    r"legal action", r"small claims", r"\bcourt\b", r"trading standards", r"consumer protection",
    r"\bbbb\b", r"better business bureau", r"\bftc\b", r"ombudsman", r"report (?:you|this) to",
    r"\bavocat", r"poursuites?", r"\btribunal\b", r"mise en demeure", r"\bdgccrf\b",
    r"action en justice", r"porter plainte", r"\banwalt", r"\bklage\b", r"verklagen",
    r"verbraucherzentrale", r"rechtliche schritte", r"\bgericht\b", r"\babogad[oa]s?\b",
    r"\bdemanda(?:re|r)?\b", r"denunciar", r"\bocu\b", r"acciones legales", r"\bconsumo\b",
]
CHARGEBACK = [
    r"charge ?back", r"dispute (?:the |this |a )?(?:charge|payment|transaction)",
    r"dispute (?:it )?with (?:my|the) (?:bank|card)", r"(?:call|contact|tell|phone) my bank",
    r"reverse (?:the|this) (?:charge|payment)", r"paypal (?:claim|dispute|case)",
    r"open(?:ed|ing)? a (?:claim|dispute) (?:with|on) paypal", r"card issuer",
    r"retrofacturation", r"contester (?:le|la|ce) (?:paiement|prelevement|transaction|debit)",
    r"faire opposition", r"(?:appeler|contacter) ma banque",
    r"ruckbuchung", r"lastschrift (?:zuruck|widerruf)", r"zahlung (?:anfechten|zuruckbuchen|zuruckholen)",
    r"(?:meine|die) bank (?:einschalten|kontaktieren|anrufen)",
    r"contracargo", r"reclamar al banco", r"anular el cargo", r"disputa (?:el|con)",
    r"(?:llamar|contactar) (?:a )?mi banco",
]
ANGER = [
    r"\bfurious\b", r"\bangry\b", r"\blivid\b", r"\bdisgusted\b", r"\bunacceptable\b",
    r"\bridiculous\b", r"\bscam(?:mers?)?\b", r"\bfraud\b", r"\bworst\b", r"fed up",
    r"sick and tired", r"\bwtf\b", r"\bdamn\b", r"\bbloody\b", r"\bcrap\b", r"\bjoke\b",
    r"\bfurieu(?:x|se)\b", r"\binadmissible\b", r"\bhonteux\b", r"\barnaque\b", r"ras le bol",
    r"n'importe quoi", r"\bwutend\b", r"\bunverschamt\b", r"\bfrechheit\b", r"\bbetrug\b",
    r"\bsaftladen\b", r"\binakzeptabel\b", r"\bfurios[oa]\b", r"\bindignad[oa]\b",
    r"\binaceptable\b", r"\bverguenza\b", r"\bestafa\b", r"\bhart[oa]\b",
]
URGENT = [
    r"\burgent(?:ly)?\b", r"\basap\b", r"\bimmediately\b", r"\bemergency\b", r"right now",
    r"\burgente?\b", r"au plus vite", r"\bimmediatement\b", r"\bdringend\b", r"\bsofort\b",
    r"\beilig\b", r"cuanto antes", r"\binmediatamente\b", r"lo antes posible",
]
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|the weekend)"
DEADLINE = [
    rf"\b(?:by|before|until) {_DAYS}\b", r"\b(?:by|before) (?:the )?\d{1,2}(?:st|nd|rd|th)\b",
    r"\b(?:by|before) (?:christmas|xmas|new year|easter|thanksgiving|black friday)\b",
    r"before (?:my|our|the) (?:flight|wedding|birthday|trip|holiday|vacation|party|event|exam)",
    r"need (?:it|them|this) (?:for|by) (?:my|our|the|a) \w+", r"leaving (?:on|for) ",
    r"\bin \d+ days?\b",
    r"avant (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|noel|le \d{1,2})",
    r"pour (?:le|mon|ma|notre) (?:mariage|anniversaire|voyage|depart)",
    r"(?:bis|vor) (?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|morgen|weihnachten)",
    r"fur (?:die|meine|unsere) (?:hochzeit|reise|geburtstagsfeier)",
    r"antes (?:del|de) (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|navidad)",
    r"para (?:la|mi|nuestra) (?:boda|fiesta|viaje|cumpleanos)",
]
