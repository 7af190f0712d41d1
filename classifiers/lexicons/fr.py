"""French: sentiment lexicon and urgency-cue patterns (see ``en`` for the conventions).

Elisions are split before lookup ("j'adore" → "adore", "n'est" → "ne est"), so entries are
written without them; a phrase such as "n'importe quoi" is split the same way when loaded.
"""

from __future__ import annotations

WORDS: dict[str, float] = {
    # --- anger, disgust, distrust
    "furieux": -0.9, "furieuse": -0.9, "en colère": -0.7, "colère": -0.6, "énervé": -0.6,
    "énervée": -0.6, "fâché": -0.6, "fâchée": -0.6, "agacé": -0.5, "agacée": -0.5,
    "exaspéré": -0.7, "exaspérée": -0.7, "inadmissible": -0.8, "inacceptable": -0.8,
    "pas acceptable": -0.7, "pas normal": -0.5, "honteux": -0.7, "honteuse": -0.7,
    "honte": -0.6, "scandaleux": -0.8, "scandale": -0.7, "arnaque": -0.9, "arnaqué": -0.9,
    "arnaquée": -0.9, "arnaqueurs": -0.9, "escroquerie": -0.9, "escrocs": -0.9,
    "voleurs": -0.8, "malhonnête": -0.8, "incompétents": -0.8, "incompétent": -0.8,
    "n'importe quoi": -0.6, "ras le bol": -0.8, "marre": -0.6, "foutage de gueule": -0.9,
    "vous moquez": -0.6, "se moquer": -0.6, "plus jamais": -0.7, "jamais plus": -0.7,
    "merde": -0.8, "putain": -0.7, "dégoûté": -0.7, "dégoûtée": -0.7, "insupportable": -0.7,
    # --- disappointment, worry
    "déçu": -0.7, "déçue": -0.7, "déçus": -0.7, "déçues": -0.7, "décevant": -0.6,
    "décevante": -0.6, "déception": -0.6, "mécontent": -0.7, "mécontente": -0.7,
    "triste": -0.4, "inquiet": -0.4, "inquiète": -0.4, "malheureusement": -0.2,
    "pénible": -0.5,
    # --- quality and service
    "horrible": -0.8, "affreux": -0.7, "lamentable": -0.8, "pitoyable": -0.7,
    "catastrophe": -0.7, "catastrophique": -0.8, "pire": -0.8, "nul": -0.6, "nulle": -0.6,
    "mauvais": -0.5, "mauvaise": -0.5, "mal": -0.3, "inutile": -0.6, "cassé": -0.6,
    "cassée": -0.6, "abîmé": -0.6, "abîmée": -0.6, "endommagé": -0.6, "endommagée": -0.6,
    "défectueux": -0.6, "défectueuse": -0.6, "déchiré": -0.5, "déchirée": -0.5,
    "rayé": -0.4, "rayée": -0.4, "taché": -0.4, "tachée": -0.4, "sale": -0.4,
    "moisi": -0.6, "périmé": -0.4, "manquant": -0.4, "manquante": -0.4, "erreur": -0.3,
    "retard": -0.4, "lent": -0.4, "lente": -0.4, "perdu": -0.4, "volé": -0.5,
    "toujours rien": -0.5, "toujours en attente": -0.5, "attends toujours": -0.5,
    "attends encore": -0.4, "aucune réponse": -0.5, "pas de réponse": -0.5,
    "sans réponse": -0.5, "aucune nouvelle": -0.4, "pas de nouvelles": -0.4,
    "problème": -0.2, "problèmes": -0.2, "souci": -0.2, "réclamation": -0.3,
    # --- thanks and praise
    "merci": 0.2, "merci d'avance": 0.15, "merci beaucoup": 0.5, "merci infiniment": 0.7,
    "mille mercis": 0.6, "grand merci": 0.6, "super": 0.6, "génial": 0.7, "géniale": 0.7,
    "parfait": 0.8, "parfaite": 0.8, "parfaitement": 0.6, "excellent": 0.8,
    "excellente": 0.8, "top": 0.5, "bravo": 0.6, "content": 0.6, "contente": 0.6,
    "contents": 0.6, "ravi": 0.8, "ravie": 0.8, "satisfait": 0.5, "satisfaite": 0.5,
    "heureux": 0.6, "heureuse": 0.6, "magnifique": 0.7, "superbe": 0.7, "merveilleux": 0.8,
    "formidable": 0.7, "adore": 0.7, "aime": 0.4, "rapide": 0.4, "rapidement": 0.3,
    "efficace": 0.5, "bien": 0.3, "bon": 0.2, "bonne": 0.3, "agréable": 0.5, "sympa": 0.5,
    "aimable": 0.5, "serviable": 0.5, "impeccable": 0.7, "nickel": 0.6, "conforme": 0.3,
    "recommande": 0.3, "joli": 0.4, "jolie": 0.4, "beau": 0.4, "belle": 0.4,
    "pas de problème": 0.2, "aucun problème": 0.3, "sans problème": 0.3, "pas mal": 0.4,
    # --- blockers
    "bonjour": 0.0, "bonne journée": 0.1, "bonne soirée": 0.1, "bon de commande": 0.0,
    "bon d'achat": 0.0, "de rien": 0.0, "bien à vous": 0.0, "bien reçu": 0.1,
}

NEGATORS: frozenset[str] = frozenset({
    "ne", "n'", "pas", "jamais", "aucun", "aucune", "rien", "sans", "ni", "guère",
})

INTENSIFIERS: dict[str, float] = {
    "très": 0.3, "vraiment": 0.3, "tellement": 0.4, "trop": 0.2, "extrêmement": 0.5,
    "totalement": 0.4, "complètement": 0.4, "absolument": 0.4, "super": 0.3, "si": 0.2,
    "hyper": 0.4, "vachement": 0.3, "profondément": 0.4, "assez": 0.1, "peu": -0.4,
}

NEGATED_ONLY: dict[str, float] = {
    "reçu": -0.5, "reçue": -0.5, "arrivé": -0.5, "arrivée": -0.5, "livré": -0.5,
    "livrée": -0.5, "fonctionne": -0.5, "marche": -0.4, "répondu": -0.4, "remboursé": -0.5,
    "remboursée": -0.5, "résolu": -0.3, "aide": -0.3,
}

CONTRAST: frozenset[str] = frozenset({"mais", "cependant", "pourtant"})
POST_NEGATORS: frozenset[str] = frozenset()

_DAYS = (
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|apres-demain|ce soir"
    r"|ce week-end|la fin de (?:la )?semaine|noel|paques|le nouvel an|le \d{1,2}"
    r"(?:er)?(?: \w+)?)"
)
_EVENTS = (
    r"(?:mariage|anniversaire|bapteme|fete|soiree|depart|voyage|vol|demenagement|examen"
    r"|communion|noel)"
)

URGENCY: dict[str, tuple[str, ...]] = {
    "safety_hazard": (
        r"a pris feu", r"(?:prend|pris|prendre) feu", r"en feu", r"en flammes",
        r"(?:de la|beaucoup de|plein de) fumee", r"fumee (?:noire|epaisse|partout|sort|est sortie"
        r"|s'est|qui sort|sortait|s'echappait|s'echappe)",
        r"(?:degage|degageait|degager|sort|sortait) (?:de la )?fumee",
        r"etincelles?", r"brulures?", r"(?:s'est|m'a|a|me suis|se sont|t'es) brule\w*",
        r"(?:odeur de|sent le|sentait le) brule", r"surchauff\w*", r"explose", r"explosion",
        r"dangereu(?:x|se|ses)", r"danger pour", r"decharge electrique", r"electrocut\w*",
        r"risque d'etouffement", r"reaction allergique", r"moisi(?:e|s|es|ssure|ssures)?",
        r"intoxication(?: alimentaire)?", r"(?:me suis|s'est) coupe\w*", r"bords? coupants?",
    ),
    "legal_threat": (
        r"(?:mon|notre|votre|mes|nos) avocats?", r"avocat (?:va|s'occupe)",
        r"(?:contacter|consulter|saisir|prendre|appeler|voir) (?:un|mon|notre) avocat",
        r"poursuites(?: judiciaires)?", r"poursuivre en justice", r"en justice",
        r"tribunal", r"mise en demeure", r"dgccrf", r"porter plainte", r"(?:deposer|deposerai)"
        r" (?:une )?plainte", r"action en justice", r"association de consommateurs",
        r"ufc[- ]que choisir", r"mediateur de la consommation", r"signaler (?:a|aux) autorites",
    ),
    "chargeback": (
        r"retrofacturation", r"(?:faire|fait|mettre|mis|ferai|faite|vais faire) (?:une )?opposition",
        r"contest\w* (?:le|la|ce|cette|mon|du) (?:paiement|prelevement|transaction|debit"
        r"|achat|carte)", r"(?:ouvrir|ouvert|ouvre|ouvrirai) (?:un )?litige",
        r"litige (?:paypal|avec (?:paypal|ma banque)|aupres de (?:paypal|ma banque))",
        r"(?:appeler|appelle|appele|contacter|contacte|prevenir|previens|saisir|voir avec"
        r"|passer par|demander a) ma banque",
        r"ma banque (?:va|pour) (?:bloquer|contester|rembourser|annuler)",
    ),
    "anger": (
        r"furieu(?:x|se)", r"en colere", r"inadmissible", r"inacceptable", r"honteu(?:x|se)",
        r"c'est une honte", r"scandal\w*", r"arnaqu\w*", r"escroc\w*", r"escroquerie",
        r"voleurs?", r"ras[- ]le[- ]bol", r"n'importe quoi", r"(?:j'en ai|en ai) marre",
        r"foutage de gueule", r"vous (?:vous )?moquez", r"lamentable", r"pitoyable",
        r"degoute\w*", r"merde", r"putain", r"exaspere\w*",
    ),
    "urgent": (
        r"urgente?s?", r"urgence", r"au plus vite", r"immediatement", r"au plus tot",
        r"des que possible", r"tout de suite", r"sans delai",
    ),
    "deadline": (
        rf"avant {_DAYS}", rf"d'ici (?:a )?{_DAYS}", rf"au plus tard {_DAYS}",
        rf"avant (?:mon|ma|notre|le|la) {_EVENTS}", rf"pour (?:le|mon|ma|notre|la) {_EVENTS}",
        r"pour (?:noel|demain|ce soir|ce week-end)",
        r"pour (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)",
        rf"(?:j'en ai|en ai) besoin (?:pour|avant|d'ici) (?:(?:mon|ma|notre|le|la) {_EVENTS}|{_DAYS})",
        r"je pars (?:le|dans|en) \w+", r"mon depart (?:est )?(?:le|dans|prevu) \w+",
    ),
}
