"""The demo consent form in Spanish (neutral international Spanish, "usted"): its texts only.

Keys follow the English source: consent_form.py (title, acknowledgements by id, intent_statement,
e_records_disclosure), sections.py (by section id) and side_effects.py (in the same order). Figures,
authors and years are the source's; "not known" is "no se conoce". The practitioner is "su terapeuta".
"""

from __future__ import annotations

from typing import Any

SECTIONS: dict[str, dict[str, Any]] = {
    "what": {
        "heading": "¿Qué es la punción seca?",
        "paragraphs": [
            "La punción seca es un tratamiento para los músculos doloridos y tensos. "
            "Su terapeuta introduce agujas muy finas a través de la piel hasta unos puntos tensos del músculo. "
            "Estos puntos tensos se llaman puntos gatillo. "
            "Se llama «seca» porque no se inyecta nada: la aguja no lleva ningún medicamento.",
            "Qué ocurre en una sesión: "
            "Primero, usted habla con su terapeuta sobre su salud y su problema (una consulta). "
            "Después, su terapeuta le examina y comprueba cómo se mueve (una evaluación). "
            "Luego, si la punción seca es adecuada para usted, le introduce las agujas en los puntos gatillo.",
            "Cuando entra una aguja, el músculo a menudo da una sacudida rápida o un calambre breve. "
            "Esto es frecuente y pasa enseguida.",
            "Al final, su terapeuta le da consejos sobre cómo cuidarse después "
            "(consejos para después del tratamiento). "
            "También anota cuánto dolor tiene usted, para que puedan planificar juntos otras sesiones, "
            "si hacen falta.",
        ],
    },
    "benefits": {
        "heading": "¿Cómo puede ayudarle?",
        "paragraphs": [
            "La punción seca busca aliviar el dolor y la rigidez de los músculos, "
            "y ayudarle a moverse con más facilidad.",
            "Los resultados son distintos en cada persona. "
            "Puede ayudar mucho, un poco o nada. "
            "No podemos prometerle que vaya a funcionar en su caso.",
        ],
    },
    "risks": {
        "heading": "Riesgos y efectos secundarios",
        "paragraphs": [
            "Como cualquier tratamiento, la punción seca puede tener efectos secundarios. "
            "Los efectos secundarios leves son frecuentes. Normalmente desaparecen solos. "
            "Los problemas graves son raros.",
            "En un estudio de 7629 tratamientos (Brady y colaboradores, 2014), "
            "hubo efectos secundarios leves en unos 19 de cada 100 tratamientos (19,18 %). "
            "En ese estudio no se encontraron problemas graves.",
            "En otro estudio de 20 464 sesiones (Boyce y colaboradores, 2020), "
            "hubo efectos secundarios menores en unas 37 de cada 100 sesiones (36,7 %). "
            "Hubo problemas graves en menos de 1 de cada 1000 sesiones (aproximadamente 1 de cada 1024). "
            "Entre ellos hubo casos de pulmón colapsado, de sangrado abundante y de síntomas que empeoraron "
            "y siguieron peor durante mucho tiempo.",
            "Estos son los efectos secundarios y con qué frecuencia ocurrieron. "
            "«No se conoce» significa que ningún estudio ha dado una cifra fiable.",
        ],
    },
    "alternatives": {
        "heading": "Otras opciones",
        "paragraphs": [
            "La punción seca no es su única opción. Otras opciones son:",
            "- un programa de ejercicios para que sus músculos estén más fuertes y flexibles;",
            "- tratamiento con las manos (terapia manual), como masajes o movimientos suaves de las articulaciones;",
            "- otros tratamientos de fisioterapia, como consejos sobre la postura, la actividad "
            "y cómo controlar el dolor;",
            "- medicamentos que le dé su médico o su farmacéutico.",
            "Puede preguntar a su terapeuta por cualquiera de estas opciones.",
        ],
    },
    "decline": {
        "heading": "Si dice que no",
        "paragraphs": [
            "No tiene que recibir punción seca. Es su decisión.",
            "Si dice que no, puede recibir igualmente una evaluación y otros tratamientos. "
            "Esto no perjudicará en nada su atención.",
            "Sin tratamiento, su problema puede mejorar por sí solo, seguir igual o empeorar. "
            "Su terapeuta puede hablar con usted sobre lo que más le conviene.",
        ],
    },
    "withdraw": {
        "heading": "Puede parar en cualquier momento",
        "paragraphs": [
            "Puede cambiar de opinión en cualquier momento: antes de una sesión o durante ella. "
            "No tiene que dar ninguna razón.",
            "Para parar durante una sesión, basta con decírselo a su terapeuta. Parará y le quitará las agujas.",
            "Para retirar su consentimiento antes de una visita, avise a la clínica o retírelo en la aplicación.",
            "Parar o retirar su consentimiento no afectará al resto de su atención.",
        ],
    },
    "records": {
        "heading": "Documentos y firma electrónicos",
        "paragraphs": [
            "Al firmar, acepta firmar este formulario y recibir sus documentos de forma electrónica "
            "(en su teléfono o su computadora), en lugar de en papel.",
            "Tiene derecho a una copia en papel. Para pedirla, pregunte en la clínica, "
            "o llame o escriba un correo electrónico a la clínica.",
            "Puede retirar en cualquier momento su acuerdo para recibir documentos electrónicos. "
            "Para hacerlo, avise a la clínica. A partir de entonces, la clínica le dará sus documentos en papel.",
            "Para firmar y guardar sus documentos, necesita: un teléfono, una tableta o una computadora "
            "con navegador web; una dirección de correo electrónico; y una forma de abrir archivos PDF. "
            "Avise a la clínica si cambia su dirección de correo electrónico.",
            "La clínica guarda sus documentos durante el tiempo que exige la ley (su período de conservación).",
        ],
    },
    "training": {
        "heading": "La formación de su terapeuta",
        "paragraphs": [
            "{practitioner_disclosure}",
            "Su terapeuta de punción seca en {clinic_name} es {practitioner_name}. "
            "Puede preguntarle por su formación en cualquier momento.",
        ],
    },
    "ongoing": {
        "heading": "Su consentimiento sigue vigente y se vuelve a comprobar",
        "paragraphs": [
            "Firmar este formulario no es el final. "
            "En su sesión, su terapeuta volverá a comprobar con usted que está de acuerdo en seguir adelante.",
            "Antes de cada visita, le preguntaremos si su salud ha cambiado. "
            "Si ha cambiado, volverá a responder las preguntas de salud y firmará un nuevo consentimiento.",
            "También podemos pedirle que vuelva a firmar si este formulario cambia de forma importante, "
            "o después de un tiempo determinado.",
        ],
    },
}

SIDE_EFFECTS: list[dict[str, str]] = [
    {
        "effect": "Hematomas (moretones)",
        "how_often": "unos 8 de cada 100 tratamientos (7,55 %, Brady 2014); "
        "unas 8 de cada 100 sesiones (7,7 %, Boyce 2020)",
        "note": "Un moretón es una mancha azul o morada donde entró la aguja. Desaparece solo.",
    },
    {
        "effect": "Sangrado",
        "how_often": "unos 5 de cada 100 tratamientos (4,65 %, Brady 2014); 16 de cada 100 sesiones (16 %, Boyce 2020)",
        "note": "Normalmente es un poco de sangre donde entró la aguja. Se detiene al presionar el punto.",
    },
    {
        "effect": "Dolor durante la punción",
        "how_often": "unos 3 de cada 100 tratamientos (3,01 %, Brady 2014); "
        "unas 6 de cada 100 sesiones (5,9 %, Boyce 2020)",
        "note": "Dígale a su terapeuta si le duele. Puede parar.",
    },
    {
        "effect": "Dolor después del tratamiento",
        "how_often": "unos 2 de cada 100 tratamientos (2,19 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Molestias musculares después de la punción",
        "how_often": "frecuentes; no se conoce la frecuencia exacta",
        "note": "Se sienten como los músculos doloridos después de hacer ejercicio. "
        "Por término medio, desaparecen en unas 72 horas (3 días).",
    },
    {
        "effect": "Sus síntomas empeoran durante un tiempo",
        "how_often": "algo menos de 1 de cada 100 tratamientos (0,88 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Sueño (somnolencia)",
        "how_often": "unos 3 de cada 1000 tratamientos (0,26 %, Brady 2014)",
        "note": "No conduzca si tiene sueño.",
    },
    {
        "effect": "Dolor de cabeza",
        "how_often": "aproximadamente 1 de cada 1000 tratamientos (0,14 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Ganas de vomitar (náuseas)",
        "how_often": "aproximadamente 1 de cada 1000 tratamientos (0,13 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Cansancio (fatiga)",
        "how_often": "unos 4 de cada 10 000 tratamientos (0,04 %, Brady 2014)",
        "note": "",
    },
    {
        "effect": "Sentir que se va a desmayar, o desmayarse",
        "how_often": "no se conoce",
        "note": "Avise enseguida a su terapeuta si nota mareo, sensación de desmayo o ganas de vomitar. "
        "Ayuda comer algo ligero antes de la visita.",
    },
    {
        "effect": "Infección donde entró una aguja",
        "how_often": "no se conoce — es rara",
        "note": "Contacte con la clínica si el punto donde entró una aguja se pone rojo, caliente o hinchado, "
        "o tiene pus, o si tiene fiebre.",
    },
    {
        "effect": "Irritación de un nervio",
        "how_often": "no se conoce — es rara",
        "note": "Puede notarse como hormigueo, entumecimiento o debilidad. "
        "Contacte con la clínica si el entumecimiento o la debilidad no desaparecen.",
    },
    {
        "effect": "Pulmón colapsado (neumotórax), cuando se usan agujas cerca de la pared del pecho",
        "how_often": "raro pero grave; en la acupuntura, aproximadamente 1 problema grave de cada "
        "200 000 tratamientos (White 2004); no se conoce la frecuencia en la punción seca",
        "note": "Este riesgo existe cuando se usan agujas cerca del pecho, las costillas, la parte alta de la "
        "espalda, el cuello o los hombros. Los síntomas pueden empezar horas o incluso días después: un dolor "
        "nuevo en el pecho, dolor al tomar aire, falta de aire o tos seca. Si ocurre, busque atención de "
        "urgencias de inmediato (llame al número de emergencias de su zona) y diga que le han hecho "
        "punción seca.",
    },
    {
        "effect": "Problemas graves de cualquier tipo",
        "how_often": "menos de 1 de cada 1000 sesiones (aproximadamente 1 de cada 1024, Boyce 2020); "
        "no se encontró ninguno en 7629 tratamientos (Brady 2014)",
        "note": "Entre ellos hubo casos de pulmón colapsado, de sangrado abundante y de síntomas "
        "que siguieron peor durante mucho tiempo.",
    },
]

ACKNOWLEDGEMENTS: dict[str, str] = {
    "read_and_understood": "He leído y entendido esta información, "
    "incluidos los efectos secundarios y con qué frecuencia ocurren.",
    "questions_answered": "He tenido la oportunidad de hacer preguntas, y mis preguntas han sido respondidas.",
    "voluntary_can_withdraw": "Entiendo que recibir punción seca es mi decisión. "
    "Puedo decir que no, parar una sesión o retirar mi consentimiento en cualquier momento.",
    "health_answers_true": "He respondido con sinceridad a las preguntas de salud. "
    "Avisaré a la clínica si mi salud cambia.",
    "confirmed_in_person": "Entiendo que mi terapeuta volverá a comprobar mi consentimiento conmigo, en persona, "
    "en la sesión.",
    "electronic_records": "Acepto firmar este formulario y recibir mis documentos de forma electrónica.",
}

CONSENT_FORM: dict[str, Any] = {
    "title": "Consentimiento para la punción seca",
    "sections": SECTIONS,
    "side_effects": SIDE_EFFECTS,
    "acknowledgements": ACKNOWLEDGEMENTS,
    "intent_statement": "Escribir mi nombre completo abajo (y dibujar mi firma, si así lo decido) es mi firma "
    "electrónica. Lo hago a propósito, porque tengo la intención de firmar este formulario de consentimiento.",
    "e_records_disclosure": "{clinic_name} le dará este formulario y sus documentos de forma electrónica, "
    "y usted los firma de forma electrónica. Puede pedir una copia en papel en cualquier momento: pregunte en la "
    "clínica, o llame o escriba un correo electrónico a la clínica. Puede retirar en cualquier momento su acuerdo "
    "para recibir documentos electrónicos avisando a la clínica; a partir de entonces, recibirá sus documentos en "
    "papel. Necesita un teléfono, una tableta o una computadora con navegador web, una dirección de correo "
    "electrónico y una forma de abrir archivos PDF. La clínica guarda sus documentos durante su período de "
    "conservación (el tiempo que exige la ley).",
}
