"""Spanish phrase bank: idiomatic messages from Spain and Latin America."""

from __future__ import annotations

from classifiers.training.bank import LanguageBank

CORE: dict[str, str] = {
    "order_status": """
¿dónde está mi pedido?
¿dónde está {order}?
todavía no he recibido mi paquete
¿ya habéis enviado mi pedido?
quiero hacer el seguimiento de {order}
¿cuándo me llega el pedido?
pedí {a_product} {when} y aún no ha llegado
¿me pasáis el número de seguimiento?
el seguimiento no se actualiza desde {when}
pone que está entregado pero no he recibido nada
mi paquete lleva {ndays} días parado
estado de mi pedido
¿mi pedido ya salió del almacén?
llevo {ndays} días esperando el paquete
¿pueden comprobar dónde está mi paquete?
el enlace de seguimiento no funciona
mi pedido sigue en preparación desde hace una semana
quiero saber el estado de mi pedido
el repartidor nunca vino
{person} hizo un pedido {when}, ¿sabéis algo?
hola, ¿hay novedades de {order}?
mi paquete tenía que llegar {when}
quiero rastrear mi pedido
¿cuánto le falta a mi pedido para llegar?
""",
    "delivery_info": """
¿cuánto tarda el envío?
¿cuánto cuesta el envío?
¿hacéis envíos {to_country}?
¿el envío es gratis?
¿a partir de qué importe el envío es gratuito?
¿cuánto tarda el envío exprés?
¿qué opciones de envío tenéis?
¿puedo recoger el pedido en un punto de recogida?
¿entregáis los sábados?
¿con qué empresa de mensajería trabajáis?
¿cuántos días tarda el envío estándar?
¿hay entrega en 24 horas?
¿cuánto cuesta enviar {to_country}?
¿se puede recoger en tienda?
si pido hoy, ¿cuándo me llegaría?
¿hay que pagar aduanas si enviáis a Canarias?
quería información sobre los plazos de entrega
¿cuáles son los gastos de envío?
¿subís los muebles al piso?
¿cuál es el plazo de entrega {to_country}?
¿cuánto demora el envío a domicilio?
¿hacen envíos internacionales?
""",
    "shipping_address": """
quiero cambiar la dirección de envío de mi pedido
me equivoqué al poner la dirección
¿cómo añado una nueva dirección de envío?
me he mudado y tengo que actualizar mi dirección
¿podéis cambiar la dirección de {order}?
puse mal el código postal
falta el número de piso en la dirección
¿cómo pongo una dirección de envío predeterminada?
quiero que me lo enviéis a otra dirección
¿todavía se puede cambiar la dirección de entrega?
la dirección del pedido está mal
quiero guardar una segunda dirección de envío
¿me lo podéis mandar a la oficina en vez de a casa?
no me deja guardar la dirección en mi cuenta
cambiar dirección de envío
quiero configurar una nueva dirección de entrega
el nombre de la calle está mal escrito
el pedido va a mi antigua dirección, ayuda
""",
    "order_change": """
quiero añadir {a_product} a mi pedido de ayer
¿podéis cambiar la talla M por la L en mi pedido?
el pedido aún no ha salido, ¿puedo modificarlo?
pedí dos unidades por error, dejadlo en una antes de enviarlo
quiero cambiar el modelo que pedí
quiero modificar mi pedido
¿puedo añadir un artículo a mi pedido?
quiero quitar un producto de {order}
quiero cambiar la talla antes de que lo enviéis
me equivoqué de color, ¿se puede cambiar el pedido?
quiero cambiar la cantidad
¿cómo modifico un pedido ya hecho?
¿es tarde para cambiar mi pedido?
se me olvidó añadir una cosa al pedido
cambiad la talla de {order} a la {size} por favor
modificar pedido
¿puedo cambiar un artículo del pedido por otro antes del envío?
""",
    "order_cancel": """
quiero cancelar mi pedido
¿cómo cancelo un pedido?
¿podéis cancelar {order}?
¿hay gastos de cancelación?
pedí por error, cancelad el pedido por favor
¿todavía puedo cancelar?
quiero anular el pedido que hice {when}
cancelación de pedido
ya no lo quiero, cancelad todo
¿cuánto cuesta cancelar?
no encuentro cómo cancelar el pedido en la web
hice el mismo pedido dos veces, cancelad uno
quiero cancelar y que me devolváis el dinero
¿se ha cancelado mi pedido?
¿cuál es la política de cancelación?
¿puedo cancelar si ya lo habéis enviado?
cancela mi pedido porfa
he cambiado de opinión, quiero anular la compra
""",
    "return_exchange": """
quiero devolver {the_product}
¿cómo hago una devolución?
¿puedo cambiarlo por una talla más grande?
¿cuál es vuestra política de devoluciones?
necesito una etiqueta de devolución
¿cuántos días tengo para devolver un artículo?
los vaqueros me quedan pequeños, quiero cambiarlos
quiero cambiarlo por otro color
¿la devolución es gratuita?
¿a dónde envío la devolución?
¿puedo devolverlo en tienda?
he perdido la etiqueta de devolución
quiero devolver parte del pedido
¿cómo cambio un artículo?
no me gusta, lo quiero devolver
¿tengo que pagar yo el envío de la devolución?
quiero cambiar el vestido por una talla {size}
devolución
""",
    "refund": """
¿cuándo me devolvéis el importe?
no me ha llegado el dinero de la devolución
quiero que me devolváis el dinero
¿dónde está mi reembolso?
¿cuándo me devolvéis el dinero?
todavía no he recibido el reembolso
¿cuál es vuestra política de reembolsos?
devolví el paquete {when} y sigo sin reembolso
¿cuánto tarda el reembolso?
quiero solicitar el reembolso de {order}
el reembolso no aparece en mi cuenta
solo me habéis devuelto una parte
¿ya se ha procesado mi reembolso?
estado de mi reembolso
¿me devolvéis también los gastos de envío?
me prometieron un reembolso hace {ndays} días
me debéis {amount}
¿el reembolso se hace a la tarjeta o a PayPal?
quiero el reembolso completo
""",
    "damaged_or_wrong_item": """
mi pedido llegó dañado
el cargador se prendió fuego
mi cargador empezó a echar humo
la batería externa se calentó tanto que se derritió
el cargador echó chispas al enchufarlo
la batería se hinchó y rompió la carcasa
me dio una descarga eléctrica al enchufarlo
el artículo ha llegado roto
me habéis enviado un artículo equivocado
falta un artículo en mi paquete
{the_product} no funciona
me ha llegado la talla equivocada
la caja venía aplastada y el producto está dañado
la pantalla tiene una grieta
el producto es defectuoso
he recibido el pedido de otra persona
faltan piezas para montarlo
el color que me llegó no es el que pedí
el paquete venía abierto y falta algo
no se enciende
{the_product} tiene un agujero
el cristal llegó hecho añicos
me han mandado un producto usado
producto dañado
""",
    "payment_billing": """
¿se puede pagar con Apple Pay?
¿puedo pagar con tarjeta de débito?
el cargo aparece duplicado en mi cuenta
¿qué métodos de pago aceptáis?
me han rechazado el pago
me habéis cobrado dos veces
el código promocional no funciona
¿puedo pagar con PayPal?
el código de descuento no se aplica
el pago falló pero me han cobrado
¿se puede pagar a plazos?
¿aceptáis Bizum?
tengo un cargo que no reconozco
mi tarjeta siempre da error
problema con el pago
me han cobrado más de lo que ponía
la verificación de la tarjeta no funciona
no puedo terminar el pago
la tarjeta regalo no funciona
¿cómo cambio el método de pago?
¿se puede pagar contra reembolso?
""",
    "invoice": """
¿cómo consigo una factura?
necesito la factura de {order}
¿me podéis enviar la factura?
¿dónde descargo mi factura?
necesito una factura con IVA
la factura tiene el nombre mal
no recibí factura con mi pedido
quería una copia de la factura
¿podéis hacer la factura a nombre de mi empresa?
el importe de la factura no coincide
¿dónde encuentro mis facturas en la cuenta?
factura por favor
necesito que pongáis mi NIF en la factura
necesito el ticket de compra para la garantía
la dirección de la factura está mal
¿me reenviáis la factura de {order}?
no puedo abrir el PDF de la factura
necesito una factura rectificativa
""",
    "product_question": """
¿os queda en la talla {size}?
¿puedo comprar sin registrarme?
¿la lámpara incluye bombilla?
¿qué talla me recomendáis si uso una 38?
quiero hacer un pedido pero no sé cómo
¿tiene garantía el producto?
¿{the_product} está disponible?
¿lo tenéis en la talla {size}?
¿cómo hago un pedido?
quiero comprar {a_product}
¿de qué material es {the_product}?
¿cuándo vuelve a estar disponible?
¿talla grande o pequeño?
¿es compatible con el iPhone 15?
¿lo hay en {colour}?
¿cómo compro en vuestra web?
¿qué medidas tiene el sofá?
¿la chaqueta es impermeable?
""",
    "account": """
¿cómo me creo una cuenta?
he olvidado mi contraseña
quiero eliminar mi cuenta
me han hackeado la cuenta
no puedo iniciar sesión
¿cómo cambio mi correo electrónico?
quiero darme de baja de la newsletter
no me llega el correo para restablecer la contraseña
¿cómo cambio la contraseña?
mi cuenta está bloqueada
no consigo registrarme
¿cómo edito mis datos personales?
quiero cerrar mi cuenta
¿cómo cambio a mi otra cuenta?
dejad de mandarme correos
quiero suscribirme a la newsletter
restablecer contraseña
al registrarme dice que el correo ya está en uso
""",
    "complaint": """
llevo dos semanas escribiendo y nadie me responde
es una vergüenza cómo tratáis a los clientes
quiero poner una reclamación
estoy muy descontento con vuestro servicio
vuestro servicio de atención al cliente es pésimo
la persona que me atendió fue muy maleducada
esto es inaceptable
quiero presentar una queja formal
nadie contesta a mis correos desde hace dos semanas
no vuelvo a comprar aquí nunca más
estoy decepcionada con cómo han gestionado mi problema
la peor experiencia de compra de mi vida
el repartidor fue muy grosero
¿dónde puedo poner una queja?
estoy harto de esperar respuestas
os tomáis a los clientes a broma
voy a poner una denuncia en consumo
servicio lamentable
quiero quejarme de un empleado de la tienda
""",
    "feedback": """
experiencia genial, repetiré
la chica del teléfono fue muy amable, gracias
solo quería daros las gracias
¿dónde puedo escribir una reseña de la tienda?
estaría bien que tuvierais más tallas
todo perfecto y bien embalado, gracias
5 estrellas para la atención al cliente
quiero dejar una reseña
gracias por el buen servicio
la atención al cliente fue genial, gracias
¿dónde puedo valorar mi compra?
tengo una sugerencia para vuestra web
envío rapidísimo, encantada
enhorabuena a todo el equipo
¿cómo dejo una opinión sobre un producto?
muy contento con mi pedido
os recomiendo a todo el mundo
gracias a la chica del chat que me ayudó
""",
    "human_agent": """
quiero hablar con un agente
¿puedo hablar con una persona?
¿cuál es el teléfono de atención al cliente?
¿me podéis llamar?
quiero hablar con una persona real
pásame con un agente
¿cómo contacto con atención al cliente?
un agente por favor
no quiero hablar con un bot
¿tenéis un número de teléfono?
¿cuál es el horario de atención al cliente?
llamadme al {phone} por favor
quiero hablar con un responsable
¿¿hay alguien?? necesito un humano
¿cómo os llamo por teléfono?
prefiero hablar directamente con alguien
contactar con soporte
""",
    "other": """
me gustaría vender mis productos en vuestra web
esto es una prueba
¿la tienda de {city} abre los domingos?
¿sois una empresa española?
estoy haciendo una encuesta para la universidad
holaa
¿estáis contratando?
quiero enviar mi currículum
nos gustaría proponeros una colaboración
¿vendéis al por mayor?
¿hola?
prueba
¿a qué hora abre vuestra tienda de {city}?
¿hacéis papel de regalo?
soy periodista y estoy escribiendo sobre comercio electrónico
¿dónde está vuestra sede?
¿ofrecéis prácticas?
¿qué tiempo hace hoy?
""",
}

TEMPLATES: dict[str, str] = {
    "order_status": """
¿[dónde está|qué pasa con|hay noticias de|cuál es el estado de] [mi pedido|mi paquete|{order}]?
[todavía no he recibido|aún no me ha llegado|sigo sin recibir] [mi pedido|el paquete|{order}]
""",
    "delivery_info": """
¿[cuánto tarda|cuánto cuesta] el envío [{to_country}|exprés|estándar|a domicilio]?
""",
    "shipping_address": """
[quiero|necesito|tengo que] [cambiar|modificar|corregir|actualizar] la dirección de \
[envío|entrega][ de {order}|]
¿[cómo puedo|se puede] [cambiar|modificar] la dirección de [envío|entrega][ de {order}|]?
""",
    "order_cancel": """
[quiero|necesito|me gustaría] [cancelar|anular] [mi pedido|{order}|la compra]
""",
    "return_exchange": """
[quiero|necesito|me gustaría] [devolver|cambiar] [{the_product}|un artículo|mi pedido|el \
producto]
""",
    "refund": """
¿[dónde está|cuándo llega|qué pasa con] mi reembolso[ de {order}|]?
""",
    "damaged_or_wrong_item": """
[mi pedido|el paquete|el producto|el artículo] [llegó|ha llegado] [roto|dañado|en mal \
estado|con golpes]
""",
    "payment_billing": """
[me han rechazado el pago|el pago no funciona|la tarjeta no pasa|el pago ha fallado]\
[ del pedido| de {order}|]
""",
    "invoice": """
[necesito|quiero|quería|me hace falta] la factura [de {order}|de mi compra|de mi pedido]
""",
    "account": """
[he olvidado|no recuerdo|perdí] mi contraseña
[quiero|necesito] [eliminar|cerrar|crear] [mi cuenta|una cuenta]
""",
    "human_agent": """
[quiero|necesito|me gustaría] hablar con [un agente|una persona|alguien de atención al \
cliente|un humano]
""",
    "complaint": """
[estoy|estamos] [muy|bastante|totalmente] [descontentos|decepcionados|insatisfechos] con \
[vuestro servicio|la atención recibida|la empresa]
""",
}

SLOTS: dict[str, list[str]] = {
    "order": [
        "mi pedido", "mi último pedido", "el pedido {n}", "el pedido n.º {n}", "mi pedido #{n}",
        "el pedido número {n}",
    ],
    "when": [
        "ayer", "la semana pasada", "el lunes", "hace tres días", "hace dos semanas",
        "el viernes pasado", "esta mañana", "el día 12", "hace un mes", "el fin de semana",
        "anteayer",
    ],
    "a_product": [
        "una chaqueta", "un sofá", "unas zapatillas de running", "una funda de móvil",
        "un abrigo", "un vestido", "una mochila", "unos auriculares", "una lámpara de escritorio",
        "una cafetera", "unos vaqueros", "un reloj", "una aspiradora", "una silla de oficina",
        "un jersey",
    ],
    "the_product": [
        "la chaqueta", "el sofá", "la funda del móvil", "el abrigo", "el vestido", "la mochila",
        "la lámpara", "la cafetera", "el reloj", "la aspiradora", "la silla de oficina",
        "el jersey", "el hervidor",
    ],
    "to_country": [
        "a Portugal", "a Canarias", "a México", "a Francia", "a Baleares", "a Andorra",
        "a Ceuta", "a Argentina",
    ],
    "person": [
        "mi mujer", "mi marido", "mi madre", "mi hijo", "mi hija", "mi novio", "mi novia",
        "mi hermana", "un amigo",
    ],
    "ndays": ["3", "4", "5", "6", "8", "10", "12", "15"],
    "amount": ["49,99 €", "120 euros", "35 €", "89,90 €"],
    "size": ["S", "M", "L", "38", "40", "42"],
    "colour": ["negro", "azul marino", "rojo", "blanco", "gris", "verde"],
    "city": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga"],
    "phone": ["612 345 678", "655 123 456", "+34 699 876 543"],
    "num": ["{n}", "#{n}", "n.º {n}"],
}

BANK = LanguageBank(
    code="es",
    core=CORE,
    templates=TEMPLATES,
    slots=SLOTS,
    openers=[
        "Hola,", "Hola", "Buenas,", "Buenos días,", "Buenas tardes,", "Perdona,",
        "Hola, una pregunta:", "Oye,", "Hola, buenas.", "Disculpe,",
    ],
    closers=[
        "¡Gracias!", "gracias de antemano", "Muchas gracias.", "un saludo", "espero respuesta",
        "porfa", "gracias!!", "saludos",
    ],
    greetings=[
        "Hola,", "Buenos días:", "Estimados señores:", "Buenas tardes,", "Hola equipo,",
        "Estimado equipo de atención al cliente:",
    ],
    order_contexts=[
        "Hice un pedido en vuestra web {when}.", "Os escribo por {order}.",
        "Compré {a_product} {when}.", "Mi número de pedido es el {n}.",
    ],
    generic_contexts=[
        "Espero que estéis bien.", "Soy cliente vuestra desde hace años.",
        "Os escribo de parte de {person}.",
    ],
    followups={
        "_default": [
            "¿Podéis revisarlo?", "Quedo a la espera de vuestra respuesta.",
            "Gracias por la ayuda.", "Os agradecería una respuesta rápida.",
        ],
        "complaint": ["Esto no puede ser.", "Espero una respuesta seria."],
        "feedback": ["¡Seguid así!", "Gracias otra vez."],
        "other": ["Quedo a la espera.", ""],
        "human_agent": ["Es urgente.", "Llamadme, por favor."],
    },
    closings=[
        "Un saludo,", "Saludos cordiales,", "Gracias de antemano,", "Atentamente,",
        "Muchas gracias,", "Saludos,",
    ],
    names=[
        "María García", "Javier López", "Lucía Fernández", "Carlos M.", "Ana Ruiz", "Pablo",
        "Sofía Martín", "Diego",
    ],
    typos={
        "por favor": ["porfa", "x favor", "porfavor"], "que": ["q", "k"],
        "porque": ["xq", "porq"], "también": ["tb", "tambien"], "quiero": ["kiero"],
        "hola": ["ola"], "gracias": ["grax", "grasias"], "hace": ["ase"],
        "está": ["esta"], "dónde": ["donde"], "cuándo": ["cuando"], "qué": ["que"],
        "dirección": ["direccion", "direción"], "devolución": ["devolucion"],
        "reembolso": ["rembolso", "reenbolso"], "factura": ["fatura"],
        "contraseña": ["contrasena"], "llegado": ["llegao"], "para": ["pa"],
        "todavía": ["todavia", "tdv"], "envío": ["envio"], "he": ["e"],
    },
    question_starts=(
        "dónde", "donde", "cuándo", "cuando", "cómo", "como", "qué", "cuánto", "cuál",
        "puedo", "podéis", "pueden", "hay", "tenéis", "hacéis", "aceptáis",
    ),
    email_rate=0.12,
    typo_rate=0.25,
    accent_strip_rate=0.3,
    extra={"signoffs": ["Enviado desde mi iPhone", "Enviado desde mi móvil"]},
)
