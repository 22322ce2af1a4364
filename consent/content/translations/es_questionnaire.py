"""The demo health screening in Spanish (neutral international Spanish, "usted"): its texts only.

Keys follow the English source (questionnaire.py, questions.py, wording.py): items by id, with text, help,
the labels of a choice's options and every explanation by option value; yes/no labels once for all;
combined rules' explanations by code. The next-step sentences are said the same way every time, as in
wording.py.
"""

from __future__ import annotations

from typing import Any

BLOCK_NEXT = (
    "La punción seca no es segura ni adecuada para usted en este momento. "
    "Aun así, puede reservar una evaluación sin punción, o llamar a la clínica para hablarlo."
)
REVIEW_NEXT = "Su terapeuta revisará esta respuesta antes de que se confirme su cita."
SITE_NEXT = (
    "Su terapeuta revisará esta respuesta antes de que se confirme su cita. "
    "Examinará la zona y no pondrá agujas donde no sea seguro."
)
NOT_SURE_YES = "Si tiene dudas, responda Sí."

ITEMS: dict[str, dict[str, Any]] = {
    "unwell_today": {
        "text": "¿Se encuentra mal hoy? Por ejemplo, ¿tiene fiebre, una infección nueva "
        "o un problema de salud nuevo y repentino?",
        "help": "Si es una emergencia, llame ahora al número de emergencias de su zona. "
        "Si se encuentra mal antes de su visita, avise a la clínica.",
        "explanations": {
            "yes": "Nos ha dicho que hoy se encuentra mal. "
            + BLOCK_NEXT
            + " Cuando vuelva a encontrarse bien, puede responder de nuevo a estas preguntas.",
        },
    },
    "needle_feelings": {
        "text": "¿Cómo se siente ante la idea de que le pongan agujas como parte de su tratamiento?",
        "help": "No hay respuestas incorrectas. Por favor, responda con sinceridad, "
        "para que podamos cuidar de su seguridad y su comodidad.",
        "options": {
            "fine": "Estoy de acuerdo con que me pongan agujas",
            "anxious": "Las agujas me producen ansiedad o nervios",
            "phobia": "Tengo un miedo muy intenso a las agujas (fobia a las agujas)",
            "no_needles": "No quiero que se usen agujas",
        },
        "explanations": {
            "anxious": "Nos ha dicho que las agujas le producen ansiedad. "
            + REVIEW_NEXT
            + " Podrá hablarlo con usted.",
            "phobia": "Nos ha dicho que tiene un miedo muy intenso a las agujas. " + BLOCK_NEXT,
            "no_needles": "Nos ha dicho que no quiere agujas. Es su decisión, "
            "y no las usaremos. La punción seca no es adecuada para usted en este momento. "
            "Aun así, puede reservar una evaluación sin punción, o llamar a la clínica para hablarlo.",
        },
    },
    "fainted_with_needles": {
        "text": "¿Alguna vez se ha desmayado, o casi se ha desmayado, al recibir una aguja, "
        "una inyección o un análisis de sangre?",
        "help": "Desmayarse significa perder el conocimiento durante un momento. Casi desmayarse significa "
        "notar mareo, náuseas o aturdimiento, como si fuera a perder el conocimiento.",
        "explanations": {
            "yes": "Nos ha dicho que antes se ha desmayado o casi desmayado con agujas. " + REVIEW_NEXT,
        },
    },
    "bad_reaction_before": {
        "text": "¿Alguna vez ha tenido una reacción mala o poco habitual a la punción seca o a una inyección?",
        "help": "Por ejemplo, una reacción alérgica grave, o una reacción que necesitó atención médica. "
        "Aquí no cuentan las molestias, un pequeño moretón ni la sensación de desmayo: "
        "hay una pregunta aparte sobre los desmayos.",
        "explanations": {
            "yes": "Nos ha dicho que ya ha tenido una mala reacción a la punción seca o a una inyección. " + BLOCK_NEXT,
        },
    },
    "decision_making": {
        "text": "¿Quién toma la decisión sobre este tratamiento?",
        "help": "Algunas personas tienen a alguien con autoridad legal que les ayuda a tomar decisiones de salud. "
        "Puede ser su padre o su madre, un tutor u otro representante legal "
        "(una persona nombrada por la ley o por un tribunal para decidir por ella).",
        "options": {
            "self": "Tomo yo esta decisión",
            "with_decision_maker": "Mi padre o mi madre, un tutor u otro representante legal me ayuda a decidir",
            "hard_to_understand": "Me cuesta entender esto, y nadie con autoridad legal me está ayudando",
        },
        "explanations": {
            "with_decision_maker": "Alguien con autoridad legal le está ayudando a decidir. "
            + REVIEW_NEXT
            + " También necesitará el consentimiento de esa persona.",
            "hard_to_understand": "Para recibir punción seca, necesita entenderla lo suficiente para aceptarla, "
            "o tener a alguien con autoridad legal que decida con usted. " + BLOCK_NEXT,
        },
    },
    "blood_thinners": {
        "text": "¿Toma algún medicamento que diluye la sangre o que evita que se coagule?",
        "help": "Por ejemplo warfarina, apixabán, rivaroxabán, dabigatrán, inyecciones de heparina, clopidogrel "
        "o una aspirina diaria. Si tiene dudas, responda Sí, o pregunte a su farmacéutico.",
        "explanations": {
            "yes": "Los medicamentos que diluyen la sangre pueden hacer que sangre o le salgan moretones "
            "con más facilidad. " + REVIEW_NEXT,
        },
    },
    "bleeding_disorder": {
        "text": "¿Tiene un trastorno de sangrado o de coagulación, o sangra o le salen moretones con mucha facilidad?",
        "help": "Un trastorno de sangrado o de coagulación es una enfermedad en la que la sangre no coagula "
        "(se espesa para detener el sangrado) de forma normal. La hemofilia es un ejemplo.",
        "explanations": {
            "yes": "Nos ha dicho que sangra con facilidad o que tiene un trastorno de la coagulación. " + REVIEW_NEXT,
        },
    },
    "medicines": {
        "text": "Por favor, indique los medicamentos que toma ahora.",
        "help": "Incluya pastillas, inyecciones, inhaladores y cremas, y los medicamentos que compra sin "
        "receta. Deje esto vacío si no toma ninguno.",
        "if_answered": "Nos ha hablado de medicamentos que toma. "
        "Su terapeuta revisará su lista antes de que se confirme su cita.",
    },
    "recent_surgery": {
        "text": "¿Le han operado (cirugía) recientemente?",
        "help": "Si duda de si cuenta como reciente, responda Sí.",
        "explanations": {
            "yes": "Nos ha dicho que le han operado recientemente. Según la política de nuestra clínica, "
            "su terapeuta revisará esta respuesta antes de que se confirme su cita.",
        },
    },
    "weak_immune_system": {
        "text": "¿Tiene alguna enfermedad, o toma algún medicamento, que debilita su sistema inmunitario?",
        "help": "El sistema inmunitario es la forma en que su cuerpo combate las infecciones. Ejemplos: cáncer "
        "o tratamiento contra el cáncer, VIH, hepatitis (una infección del hígado) o inmunosupresores "
        "(medicamentos que calman el sistema inmunitario, por ejemplo después de un trasplante).",
        "explanations": {
            "yes": "Un sistema inmunitario más débil puede hacer más probable una infección. " + REVIEW_NEXT,
        },
    },
    "heart_valve": {
        "text": "¿Ha tenido alguna vez endocarditis o una enfermedad de las válvulas del corazón, "
        "o le han cambiado una válvula del corazón?",
        "help": "La endocarditis es una infección del revestimiento interior del corazón. Las válvulas del "
        "corazón son como pequeñas puertas que hacen que la sangre circule en la dirección correcta por el corazón.",
        "explanations": {
            "yes": "Nos ha hablado de una endocarditis o de un problema de las válvulas del corazón. " + REVIEW_NEXT,
        },
    },
    "unstable_heart": {
        "text": "¿Tiene una enfermedad del corazón que no está estable: que no está controlada o que empeora?",
        "help": "Por ejemplo, un dolor en el pecho que es nuevo o que aparece más a menudo, o un problema de "
        "corazón que su médico todavía intenta controlar. Si su enfermedad del corazón está estable y bien "
        "tratada, responda No.",
        "explanations": {
            "yes": "Nos ha dicho que su enfermedad del corazón no está estable. " + REVIEW_NEXT,
        },
    },
    "implanted_device": {
        "text": "¿Tiene un marcapasos, un DAI u otro aparato eléctrico dentro del cuerpo?",
        "help": "Un marcapasos mantiene estable el latido del corazón. Un DAI (desfibrilador automático "
        "implantable) puede dar una descarga al corazón para corregir un latido peligroso. "
        "Otro ejemplo es un estimulador de los nervios.",
        "explanations": {
            "yes": "No se debe usar estimulación eléctrica cerca de un aparato como este. " + REVIEW_NEXT,
        },
    },
    "vascular_disease": {
        "text": "¿Tiene alguna enfermedad de los vasos sanguíneos (enfermedad vascular)?",
        "help": "Los vasos sanguíneos son los tubos que llevan la sangre por todo el cuerpo. Ejemplos: mala "
        "circulación de la sangre en las piernas o los brazos, un coágulo de sangre en una vena, o un aneurisma "
        "(un vaso sanguíneo débil y abultado).",
        "explanations": {
            "yes": "Nos ha dicho que tiene una enfermedad de los vasos sanguíneos. " + REVIEW_NEXT,
        },
    },
    "lymphoedema": {
        "text": "¿Tiene linfedema?",
        "help": "El linfedema es una hinchazón que dura mucho tiempo, a menudo en un brazo o una pierna. "
        "Ocurre cuando un líquido (la linfa) no se drena bien.",
        "explanations": {
            "yes": "No se deben usar agujas en un brazo, una pierna o una zona con linfedema. " + BLOCK_NEXT,
        },
    },
    "lymph_nodes_removed": {
        "text": "¿Le han quitado ganglios linfáticos, por ejemplo en una operación de cáncer?",
        "help": "Los ganglios linfáticos son pequeñas glándulas que ayudan a drenar líquido y a combatir las "
        "infecciones. A menudo se quitan de la axila o de la ingle.",
        "explanations": {
            "yes": "El brazo, la pierna o la zona cercana a donde se quitaron los ganglios linfáticos puede estar "
            "en riesgo. " + REVIEW_NEXT,
        },
    },
    "diabetes": {
        "text": "¿Tiene diabetes?",
        "help": "La diabetes es una enfermedad en la que hay demasiado azúcar en la sangre. "
        "Incluye la diabetes de tipo 1 y la de tipo 2.",
        "explanations": {"yes": "Nos ha dicho que tiene diabetes. " + REVIEW_NEXT},
    },
    "epilepsy": {
        "text": "¿Tiene epilepsia (crisis o convulsiones)?",
        "help": "Una crisis es una descarga repentina de actividad en el cerebro. Puede causar sacudidas, "
        "la mirada fija o la pérdida del conocimiento.",
        "options": {
            "no": "No",
            "controlled": "Sí, y mis crisis están bien controladas",
            "uncontrolled": "Sí, y mis crisis no están bien controladas, o no lo sé con certeza",
        },
        "explanations": {
            "controlled": "Nos ha dicho que tiene epilepsia bien controlada. " + REVIEW_NEXT,
            "uncontrolled": "Nos ha dicho que sus crisis no están bien controladas. " + BLOCK_NEXT,
        },
    },
    "pregnant": {
        "text": "¿Está embarazada, o podría estarlo?",
        "help": "Si esto no se aplica a su caso, responda No.",
        "explanations": {"yes": "Nos ha dicho que está o podría estar embarazada. " + REVIEW_NEXT},
    },
    "frailty": {
        "text": "¿Diría que es una persona frágil?",
        "help": "Por ejemplo, se siente débil, se cansa con mucha facilidad, le cuesta caminar "
        "o necesita ayuda con las tareas de cada día.",
        "explanations": {"yes": "Nos ha dicho que se siente frágil. " + REVIEW_NEXT},
    },
    "metal_allergy": {
        "text": "¿Tiene alergia a algún metal, como el níquel, el cromo o el acero inoxidable?",
        "help": "Por ejemplo, las joyas, la correa de un reloj o la hebilla de un cinturón "
        "le producen una erupción que pica.",
        "explanations": {"yes": "Las agujas son de metal. " + REVIEW_NEXT},
    },
    "area_near_chest": {
        "text": "¿Podría hacerse la punción cerca del pecho, las costillas, la parte alta de la espalda, "
        "el cuello o los hombros?",
        "help": "Piense en dónde tiene dolor o dónde quiere recibir tratamiento. " + NOT_SURE_YES,
    },
    "low_body_weight": {
        "text": "¿Es una persona muy delgada o con bajo peso?",
        "help": NOT_SURE_YES,
    },
    "skin_problem_at_area": {
        "text": "En la zona donde quiere recibir tratamiento, ¿hay piel infectada, con heridas, o roja e hinchada?",
        "help": "Por ejemplo un corte, una llaga, una erupción, una quemadura, o una zona roja, caliente e hinchada.",
        "explanations": {
            "yes": "Las agujas no deben atravesar piel infectada, con heridas o hinchada. " + SITE_NEXT,
        },
    },
    "varicose_veins_at_area": {
        "text": "En la zona donde quiere recibir tratamiento, ¿tiene varices?",
        "help": "Las varices son venas hinchadas y retorcidas que se ven bajo la piel, a menudo en las piernas.",
        "explanations": {"yes": "Las agujas no deben entrar en las varices. " + SITE_NEXT},
    },
}

COMBINED_RULES: dict[str, str] = {
    "chest_wall_low_body_weight": "Hacer punción cerca de la pared del pecho (las costillas y los músculos que "
    "rodean los pulmones) en una persona delgada tiene un pequeño riesgo de colapso del pulmón (neumotórax). "
    "Su terapeuta revisará estas respuestas antes de que se confirme su cita. "
    "Tendrá especial cuidado cerca de su pecho.",
    "minor_needs_guardian": "Todavía no tiene la edad para aceptar un tratamiento por su cuenta. "
    "Su padre, su madre o su tutor debe dar permiso, y también se le preguntará si usted está de acuerdo. "
    "Su terapeuta lo revisará antes de que se confirme su cita.",
    "bleeding_site_compression": "Su terapeuta revisará esta respuesta antes de que se confirme su cita. "
    "Solo usará agujas donde pueda presionar el músculo para detener cualquier sangrado.",
}

QUESTIONNAIRE: dict[str, Any] = {
    "title": "Control de salud antes de la punción seca",
    "items": ITEMS,
    "combined_rules": COMBINED_RULES,
    "yes_no": {"yes": "Sí", "no": "No"},
}
