"""Demo fieldwork: a questionnaire and an observation protocol with a few submissions."""

from __future__ import annotations

import uuid as uuid_module

from sqlalchemy import select

from fieldapp.consent import services as consent
from fieldapp.extensions import db
from fieldapp.fieldwork import interviews
from fieldapp.fieldwork import observations as observation_service
from fieldapp.fieldwork.models import Answer, Interview, Observation
from fieldapp.instruments import services
from fieldapp.instruments.definition import Choice, FormDefinition, Group, Question
from fieldapp.participants.models import Participant

# Six languages for the labels the demo questionnaire shows.
L = ("nl", "en", "ar", "tr", "pl", "uk")


def _t(*texts: str) -> dict[str, str]:
    return dict(zip(L, texts, strict=True))


def demo_questionnaire() -> FormDefinition:
    return FormDefinition(
        title="Buurtgesprek",
        default_language="nl",
        languages=list(L),
        items=[
            Question(
                "welkom",
                "note",
                _t(
                    "Dank je wel dat je meedoet. Er zijn geen goede of foute antwoorden.",
                    "Thank you for taking part. There are no right or wrong answers.",
                    "شكرا لمشاركتك. لا توجد إجابات صحيحة أو خاطئة.",
                    "Katıldığınız için teşekkürler. Doğru ya da yanlış cevap yoktur.",
                    "Dziękujemy za udział. Nie ma dobrych ani złych odpowiedzi.",
                    "Дякуємо за участь. Немає правильних чи неправильних відповідей.",
                ),
            ),
            Question(
                "jaren_in_buurt",
                "integer",
                _t(
                    "Hoeveel jaar woon je in deze buurt?",
                    "How many years have you lived in this neighbourhood?",
                    "منذ كم سنة تسكن في هذا الحي؟",
                    "Kaç yıldır bu mahallede yaşıyorsunuz?",
                    "Od ilu lat mieszkasz w tej dzielnicy?",
                    "Скільки років ви живете в цьому районі?",
                ),
                required=True,
                constraint=". >= 0 and . <= 100",
                constraint_messages=_t(
                    "Een getal van 0 tot 100.",
                    "A number from 0 to 100.",
                    "رقم من 0 إلى 100.",
                    "0 ile 100 arasında bir sayı.",
                    "Liczba od 0 do 100.",
                    "Число від 0 до 100.",
                ),
            ),
            Group(
                "ontmoeten",
                _t(
                    "Elkaar ontmoeten",
                    "Meeting each other",
                    "اللقاء ببعضنا",
                    "Birbirimizle buluşmak",
                    "Spotkania",
                    "Зустрічі",
                ),
                questions=[
                    Question(
                        "plekken",
                        "select_multiple",
                        _t(
                            "Waar ontmoet je andere bewoners?",
                            "Where do you meet other residents?",
                            "أين تلتقي بالسكان الآخرين؟",
                            "Diğer sakinlerle nerede buluşuyorsunuz?",
                            "Gdzie spotykasz innych mieszkańców?",
                            "Де ви зустрічаєте інших мешканців?",
                        ),
                        choice_list="plekken",
                    ),
                    Question(
                        "gevoel",
                        "scale",
                        _t(
                            "Hoe fijn vind je het om hier te wonen?",
                            "How do you like living here?",
                            "ما مدى رضاك عن السكن هنا؟",
                            "Burada yaşamaktan ne kadar memnunsunuz?",
                            "Jak ci się tu mieszka?",
                            "Наскільки вам подобається тут жити?",
                        ),
                        required=True,
                    ),
                ],
            ),
            Question(
                "belemmering",
                "yes_no",
                _t(
                    "Houdt iets je tegen om mensen te ontmoeten?",
                    "Does something stop you from meeting people?",
                    "هل هناك شيء يمنعك من لقاء الناس؟",
                    "Sizi insanlarla buluşmaktan alıkoyan bir şey var mı?",
                    "Czy coś przeszkadza ci w spotykaniu ludzi?",
                    "Чи щось заважає вам зустрічатися з людьми?",
                ),
                required=True,
            ),
            Question(
                "wat_houdt_tegen",
                "long_text",
                _t(
                    "Wat houdt je tegen?",
                    "What stops you?",
                    "ما الذي يمنعك؟",
                    "Sizi ne engelliyor?",
                    "Co ci przeszkadza?",
                    "Що вам заважає?",
                ),
                relevant="${belemmering} = 'yes'",
            ),
        ],
        choice_lists={
            "plekken": [
                Choice("park", _t("Park", "Park", "الحديقة", "Park", "Park", "Парк")),
                Choice("markt", _t("Markt", "Market", "السوق", "Pazar", "Targ", "Ринок")),
                Choice("school", _t("School", "School", "المدرسة", "Okul", "Szkoła", "Школа")),
                Choice(
                    "buurthuis",
                    _t(
                        "Buurthuis",
                        "Community centre",
                        "المركز المجتمعي",
                        "Mahalle evi",
                        "Dom sąsiedzki",
                        "Громадський центр",
                    ),
                ),
            ]
        },
    )


def demo_observation_protocol() -> FormDefinition:
    return FormDefinition(
        title="Straatschouw",
        default_language="nl",
        languages=list(L),
        items=[
            Question(
                "staat",
                "scale",
                _t(
                    "In welke staat is het?",
                    "What state is it in?",
                    "ما حالته؟",
                    "Durumu nasıl?",
                    "W jakim jest stanie?",
                    "У якому він стані?",
                ),
            )
        ],
    )


def seed_fieldwork(study, users) -> None:
    """Publish the instruments and add two interviews and two observations, once."""
    coordinator = users["coordinator"]
    if not services.instruments_of(study):
        for kind, definition, public in (
            ("questionnaire", demo_questionnaire(), False),
            ("observation", demo_observation_protocol(), True),
        ):
            instrument = services.create_instrument(
                coordinator,
                study,
                kind=kind,
                title=definition.title,
                definition=definition,
                public_space=public,
            )
            services.publish_version(coordinator, instrument.versions[0])
    if db.session.scalar(select(Interview.id).where(Interview.study_id == study.id).limit(1)):
        return
    questionnaire = services.published_instruments(study, "questionnaire")[0].current_version
    participants = db.session.scalars(
        select(Participant).where(Participant.study_id == study.id).order_by(Participant.id)
    ).all()
    answers = [
        {
            "jaren_in_buurt": "12",
            "plekken": ["markt", "buurthuis"],
            "gevoel": "4",
            "belemmering": "no",
        },
        {
            "jaren_in_buurt": "3",
            "plekken": ["park"],
            "gevoel": "2",
            "belemmering": "yes",
            "wat_houdt_tegen": "Ik ken de taal nog niet goed en het buurthuis is vaak dicht.",
        },
    ]
    for participant, given in zip(participants, answers, strict=False):
        if consent.consent_record_for(participant, consent.current_form(study)) is None:
            continue
        who = participant.created_by
        interview = interviews.start_interview(
            who,
            participant,
            questionnaire,
            uuid=str(uuid_module.uuid4()),
            language=participant.language,
        )
        interview.answers = [Answer(question_name=k, value=v) for k, v in given.items()]
        interviews.submit_interview(who, interview, notes="")
    if not db.session.scalar(select(Observation.id).where(Observation.study_id == study.id)):
        protocol = services.published_instruments(study, "observation")[0]
        for who, note, theme, lat, lon in (
            (
                users["samira"],
                "Het bankje bij de speeltuin aan de Akerstraat is kapot.",
                "facilities",
                50.9121,
                5.9789,
            ),
            (
                users["piotr"],
                "Veel zwerfafval bij de glasbak naast het buurthuis.",
                "community",
                50.9134,
                5.9761,
            ),
        ):
            observation_service.record_observation(
                who,
                study,
                uuid=str(uuid_module.uuid4()),
                instrument=protocol,
                themes=[theme],
                category="",
                note=note,
                latitude=lat,
                longitude=lon,
                accuracy_m=9.0,
                accuracy_confirmed=False,
                place_description="",
            )
