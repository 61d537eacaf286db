"""Demo: coded answers, a quote, and a published report in Dutch, English and Arabic."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fieldapp.analysis import services as analysis
from fieldapp.analysis.models import Coding
from fieldapp.extensions import db
from fieldapp.reports import services
from fieldapp.reports.models import Report

SECTIONS = {
    "nl": {
        "asked": "We vroegen bewoners waar ze elkaar ontmoeten. En wat hen tegenhoudt.\n"
        "Zo weten we wat de buurt nodig heeft.",
        "whom": "Twee bewoners praatten met buren. Ze spraken Nederlands, Arabisch en Pools.",
        "heard": "Veel mensen ontmoeten elkaar op de markt en in het buurthuis.\n"
        "Maar het buurthuis is vaak dicht. En de taal is soms lastig.",
        "next": "Het buurthuis gaat vaker open. Er komt een taalcafé. Hieronder staat wat er "
        "gebeurt, en hoe ver het is.",
        "involved": "Wil je meedenken? Kom naar het buurthuis op woensdagavond.",
        "contact": "Vragen? Mail naar onderzoek@example.nl.",
    },
    "en": {
        "asked": "We asked residents where they meet each other. And what stops them.\n"
        "That tells us what the neighbourhood needs.",
        "whom": "Two residents talked with neighbours, in Dutch, Arabic and Polish.",
        "heard": "Many people meet at the market and in the community centre.\n"
        "But the community centre is often closed. And language is sometimes hard.",
        "next": "The community centre will open more often. A language café will start. "
        "Below you see what happens, and how far it is.",
        "involved": "Want to think along? Come to the community centre on Wednesday evening.",
        "contact": "Questions? Write to onderzoek@example.nl.",
    },
    "ar": {
        "asked": "سألنا السكان أين يلتقون ببعضهم، وما الذي يمنعهم.\nهكذا نعرف ما يحتاجه الحي.",
        "whom": "تحدث ساكنان مع الجيران بالهولندية والعربية والبولندية.",
        "heard": "كثير من الناس يلتقون في السوق وفي المركز المجتمعي.\n"
        "لكن المركز المجتمعي مغلق في أغلب الأحيان، واللغة صعبة أحيانًا.",
        "next": "سيفتح المركز المجتمعي أكثر، وسيبدأ مقهى للغة. تجد أدناه ما يحدث وإلى أين وصل.",
        "involved": "هل تريد المشاركة في التفكير؟ تعال إلى المركز المجتمعي مساء الأربعاء.",
        "contact": "أسئلة؟ راسلنا على onderzoek@example.nl.",
    },
}
ACTIONS = (
    (
        {
            "nl": "Het buurthuis gaat ook op zaterdag open",
            "en": "The community centre also opens on Saturdays",
            "ar": "يفتح المركز المجتمعي أيضًا يوم السبت",
        },
        "Stichting Buurthuis Noord",
        60,
        [("started", "De vrijwilligers voor zaterdag zijn gevonden.")],
    ),
    (
        {
            "nl": "Een taalcafé elke woensdag",
            "en": "A language café every Wednesday",
            "ar": "مقهى للغة كل أربعاء",
        },
        "Bibliotheek Heerlen",
        -10,
        [("started", "Eerste avond gehouden."), ("done", "Het taalcafé loopt elke week.")],
    ),
    (
        {
            "nl": "Een bankje bij de speeltuin",
            "en": "A bench at the playground",
            "ar": "مقعد عند ساحة اللعب",
        },
        "Gemeente Heerlen",
        120,
        [],
    ),
)


def seed_report(study, users) -> None:
    coordinator = users["coordinator"]
    if db.session.scalar(select(Report.id).where(Report.study_id == study.id)):
        return
    analysis.ensure_codebook(study)
    facilities = next(c for c in analysis.codebook(study) if c.theme == "facilities")
    for answer in analysis.coded_answers(study):
        if not db.session.scalar(select(Coding.id).where(Coding.answer_id == answer.id)):
            analysis.code_text(
                coordinator, study, facilities, answer=answer, passage="het buurthuis is vaak dicht"
            )
            analysis.make_quote(
                coordinator, study, answer, passage=answer.value, edited_text=answer.value
            )
    report = services.report_for(study)
    for language, sections in SECTIONS.items():
        for kind, body in sections.items():
            services.save_section(coordinator, report, language, kind, body)
    services.choose_figures(coordinator, report, ["plekken", "gevoel"])
    for titles, owner, days, updates in ACTIONS:
        action = services.add_action(
            coordinator,
            study,
            titles=titles,
            owner=owner,
            due_date=dt.date.today() + dt.timedelta(days=days),
        )
        for status, text in updates:
            services.update_action(coordinator, action, status=status, text=text, language="nl")
    services.publish(coordinator, report)
