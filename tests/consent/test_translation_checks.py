"""The pure checks a translation passes before it is saved: structure, blanks and figures."""

from __future__ import annotations

from consent.translation_checks import figure_problems, numbers, structure_problems


def test_figures_read_the_same_in_english_spanish_and_french() -> None:
    english = numbers("about 8 in 100 treatments (7.55%, Brady 2014); under 1 in 1,000 sessions (1 in 1,024)")
    spanish = numbers("unas 8 de cada 100 (7,55 %, Brady 2014); menos de 1 de cada 1.000 sesiones (1 de cada 1024)")
    french = numbers("environ 8 sur 100 (7,55 %, Brady 2014) ; moins de 1 sur 1 000 séances (1 sur 1 024)")

    assert english == spanish == french


def test_a_lost_or_changed_figure_is_named() -> None:
    source = [{"effect": "Bruising", "how_often": "about 8 in 100 (7.55%)", "note": "Gone in 72 hours."}]
    translated = [{"effect": "Hematoma", "how_often": "unas 8 de cada 100", "note": "Desaparece en 48 horas."}]

    problems = figure_problems(source, translated)

    assert len(problems) == 2
    assert "7.55" in problems[0] and "72" in problems[1]


def test_texts_may_change_but_codes_values_and_blanks_may_not() -> None:
    source = {"items": [{"id": "a", "text": "At {clinic_name}?", "options": [{"value": "yes", "label": "Yes"}]}]}
    fine = {"items": [{"id": "a", "text": "¿En {clinic_name}?", "options": [{"value": "yes", "label": "Sí"}]}]}
    wrong = {"items": [{"id": "a", "text": "¿En la clínica?", "options": [{"value": "sí", "label": "Sí"}]}]}
    texts = frozenset({"text", "label"})

    assert structure_problems(source, fine, texts=texts) == []
    problems = structure_problems(source, wrong, texts=texts)
    assert [p.split(":")[0] for p in problems] == ["items[0].text", "items[0].options[0].value"]
