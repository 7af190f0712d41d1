"""Spanish: sentiment lexicon and urgency-cue patterns (see ``en`` for the conventions).

"no ... nada" is a single negation ("no estoy nada contento"): negation is all-or-nothing
within the window, never flipped twice.
"""

from __future__ import annotations

WORDS: dict[str, float] = {
    # --- anger, disgust, distrust
    "furioso": -0.9, "furiosa": -0.9, "enfadado": -0.7, "enfadada": -0.7, "enojado": -0.7,
    "enojada": -0.7, "cabreado": -0.8, "cabreada": -0.8, "molesto": -0.5, "molesta": -0.5,
    "indignado": -0.8, "indignada": -0.8, "indignante": -0.8, "harto": -0.7, "harta": -0.7,
    "hartos": -0.7, "inaceptable": -0.8, "inadmisible": -0.8, "vergüenza": -0.7,
    "vergonzoso": -0.7, "estafa": -0.9, "estafadores": -0.9, "estafado": -0.9, "timo": -0.8,
    "ladrones": -0.8, "fraude": -0.8, "tomadura de pelo": -0.8, "una broma": -0.5,
    "ridículo": -0.7, "incompetentes": -0.8, "incompetente": -0.8, "mierda": -0.8,
    "joder": -0.6, "nunca más": -0.7, "maleducado": -0.6,
    # --- disappointment, worry
    "decepcionado": -0.7, "decepcionada": -0.7, "decepción": -0.6, "decepcionante": -0.6,
    "triste": -0.4, "preocupado": -0.4, "preocupada": -0.4, "desgraciadamente": -0.2,
    "lamentablemente": -0.2, "insatisfecho": -0.6, "insatisfecha": -0.6,
    # --- quality and service
    "horrible": -0.8, "terrible": -0.8, "pésimo": -0.8, "pésima": -0.8, "fatal": -0.7,
    "malo": -0.5, "mala": -0.5, "mal": -0.4, "peor": -0.7, "lamentable": -0.7,
    "penoso": -0.6, "desastre": -0.7, "inútil": -0.6, "roto": -0.6, "rota": -0.6,
    "rotos": -0.6, "rotas": -0.6, "dañado": -0.6, "dañada": -0.6, "defectuoso": -0.6,
    "defectuosa": -0.6, "estropeado": -0.6, "estropeada": -0.6, "rayado": -0.4,
    "rayada": -0.4, "manchado": -0.4, "manchada": -0.4, "sucio": -0.4, "sucia": -0.4,
    "caducado": -0.4, "falta": -0.3, "equivocado": -0.4, "equivocada": -0.4,
    "incorrecto": -0.3, "retraso": -0.4, "tarde": -0.3, "lento": -0.4, "lenta": -0.4,
    "perdido": -0.4, "robado": -0.5, "sin respuesta": -0.5, "ninguna respuesta": -0.5,
    "sigo esperando": -0.5, "sigo sin": -0.4, "todavía espero": -0.4, "problema": -0.2,
    "problemas": -0.2, "queja": -0.3, "reclamación": -0.3,
    # --- thanks and praise
    "gracias": 0.2, "gracias de antemano": 0.15, "muchas gracias": 0.4,
    "muchísimas gracias": 0.7, "mil gracias": 0.6, "genial": 0.7, "perfecto": 0.8,
    "perfecta": 0.8, "excelente": 0.8, "estupendo": 0.7, "estupenda": 0.7,
    "fantástico": 0.8, "fantástica": 0.8, "maravilloso": 0.8, "maravillosa": 0.8,
    "increíble": 0.7, "de maravilla": 0.7, "bueno": 0.3, "buena": 0.3, "bien": 0.3,
    "contento": 0.6, "contenta": 0.6, "contentos": 0.6, "feliz": 0.6, "encantado": 0.7,
    "encantada": 0.7, "encanta": 0.7, "satisfecho": 0.5, "satisfecha": 0.5, "rápido": 0.4,
    "rápida": 0.4, "rápidamente": 0.3, "amable": 0.5, "recomiendo": 0.5, "super": 0.5,
    "precioso": 0.6, "preciosa": 0.6, "bonito": 0.4, "bonita": 0.4, "agradecido": 0.5,
    "agradecida": 0.5, "agradezco": 0.3, "sin problema": 0.3, "ningún problema": 0.3,
    "no hay problema": 0.2,
    # --- blockers
    "buenos días": 0.0, "buenas tardes": 0.0, "buenas noches": 0.0, "un saludo": 0.0,
    "saludos": 0.0,
}

NEGATORS: frozenset[str] = frozenset({
    "no", "nunca", "jamás", "nada", "ningún", "ninguno", "ninguna", "sin", "ni", "tampoco",
})

INTENSIFIERS: dict[str, float] = {
    "muy": 0.3, "tan": 0.3, "super": 0.3, "realmente": 0.3, "totalmente": 0.4,
    "completamente": 0.4, "extremadamente": 0.5, "absolutamente": 0.4, "sumamente": 0.5,
    "demasiado": 0.2, "bastante": 0.1, "poco": -0.4, "algo": -0.3,
}

NEGATED_ONLY: dict[str, float] = {
    "llegado": -0.5, "llegó": -0.5, "llega": -0.4, "recibido": -0.5, "recibí": -0.5,
    "entregado": -0.5, "funciona": -0.5, "funcionan": -0.5, "respondido": -0.4,
    "contestado": -0.4, "contestan": -0.4, "responden": -0.4, "reembolsado": -0.5,
    "devuelto": -0.4, "resuelto": -0.3, "solucionado": -0.3, "ayudado": -0.4,
}

CONTRAST: frozenset[str] = frozenset({"pero", "sino", "aunque"})
POST_NEGATORS: frozenset[str] = frozenset()

_DAYS = (
    r"(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|pasado manana"
    r"|esta noche|el fin de semana|fin de semana|navidad|nochebuena|reyes|ano nuevo"
    r"|(?:el )?dia \d{1,2}|el \d{1,2}(?: de \w+)?)"
)
_EVENTS = (
    r"(?:boda|viaje|vuelo|cumpleanos|cumple|fiesta|comunion|bautizo|mudanza|examen"
    r"|evento|salida)"
)

URGENCY: dict[str, tuple[str, ...]] = {
    "safety_hazard": (
        r"se (?:incendio|prendio|quemo)", r"prendio fuego", r"(?:salio|salia|salieron) fuego",
        r"en llamas", r"salieron llamas", r"(?:salio|sale|salia|echa|echaba|echando|hay|habia"
        r"|mucho|olor a) humo", r"humo (?:salia|sale|negro)", r"chispas?", r"chispazo",
        r"quemad(?:o|a|os|as)", r"quemaduras?", r"me queme", r"sobrecalent\w*",
        r"exploto", r"explosion", r"estallo", r"peligros(?:o|a|os|as)", r"es un peligro",
        r"descarga electrica", r"calambrazo", r"electrocut\w*", r"reaccion alergica",
        r"moho", r"mohos(?:o|a)", r"intoxicacion", r"riesgo de asfixia", r"me corte",
        r"bordes? (?:afilados?|cortantes?)",
    ),
    "legal_threat": (
        r"abogad(?:o|a|os|as)", r"(?:poner|interponer|presentar|pondre|interpondre|presentare)"
        r" (?:una )?demanda", r"demandar(?:los|les|te|os)?", r"os demandare",
        r"les demandare", r"demandare", r"denunciar(?:los|les|te|os)?", r"denunciare",
        r"os denuncio", r"(?:poner|pondre) (?:una )?denuncia", r"acciones legales",
        r"medidas legales", r"via judicial", r"juzgado", r"tribunal(?:es)?", r"ocu",
        r"facua", r"hoja de reclamaciones", r"(?:oficina|direccion general|junta|instituto)"
        r" de consumo", r"(?:a|en) consumo\b",
    ),
    "chargeback": (
        r"contracargo", r"(?:abrir|abierto|abrire|abri) (?:una )?disputa",
        r"disputa (?:con|en) (?:el banco|mi banco|paypal|la tarjeta)",
        r"(?:reclamar|reclamare|reclamacion|reclamo) (?:a |al |a mi )?banco",
        r"(?:llamar|llamare|contactar|contactare|hablar con|hablare con|avisar) (?:a |al )?(?:mi )?banco",
        r"anular (?:el|este|ese) (?:cargo|pago|cobro)", r"devolver el recibo",
        r"retroceder el cargo",
    ),
    "anger": (
        r"furios(?:o|a)", r"indignad(?:o|a|os|as)", r"indignante", r"enfadad(?:o|a)",
        r"cabread(?:o|a)", r"inaceptable", r"inadmisible", r"verguenza", r"vergonzoso",
        r"estafa\w*", r"timo", r"ladrones", r"hart(?:o|a|os|as)", r"tomadura de pelo",
        r"una broma", r"mierda", r"joder",
    ),
    "urgent": (
        r"urgente(?:s|mente)?", r"urgencia", r"cuanto antes", r"inmediatamente",
        r"de inmediato", r"lo antes posible", r"ya mismo", r"enseguida",
    ),
    "deadline": (
        rf"antes (?:del?|de la) {_DAYS}", rf"antes (?:de )?{_DAYS}",
        rf"antes de (?:mi|la|nuestra|el|nuestro) {_EVENTS}",
        rf"para (?:la|mi|nuestra|el|nuestro) {_EVENTS}", r"para (?:navidad|manana|reyes)",
        r"para el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)",
        r"como (?:muy )?tarde (?:el )?\w+", rf"necesito(?:lo|la|los|las)? (?:para|antes de(?:l| la)?) (?:(?:mi|la|el|nuestra) {_EVENTS}|{_DAYS})",
        r"me voy (?:el|de viaje) \w+",
    ),
}
