"""The report, flyer and poster PDFs: every language renders, reads, scans, fits and is large."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import zxingcpp
from arabic_reshaper import reshape
from bidi import get_display
from PIL import Image

from fieldapp.i18n import LANGUAGE_CODES
from fieldapp.pdf.qr import QR
from fieldapp.pdf.text import REGULAR, isolate, line_box
from fieldapp.reports import pdf as report_pdf
from fieldapp.reports.pdf import (
    ELLIPSIS,
    ActionItem,
    Figure,
    FigureRow,
    ReportDoc,
    Section,
    render_flyer,
    render_poster,
    render_report,
)
from tests.pdf import poppler

KINDS = ("report", "flyer", "poster")
RENDER = {"report": render_report, "flyer": render_flyer, "poster": render_poster}
MARGINS = {
    "report": report_pdf.R_MARGIN_X,
    "flyer": report_pdf.F_MARGIN,
    "poster": report_pdf.P_MARGIN,
}
SMALLEST_TEXT = {"report": 12, "flyer": 14, "poster": 24}  # points
A4 = (595.28, 841.89)
ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
A3 = (841.89, 1190.55)

# Counts and percentages of the two figures; None: fewer than 5 people, suppressed.
NUMBERS = (
    ((34, 41), (28, 34), (17, 21), (None, None)),
    ((31, 38), (22, 27), (19, 23), (10, 12)),
)

# What a caller passes, written in each language: texts, figure labels, quotes and actions.
TEXTS: dict[str, dict] = {
    "nl": {
        "title": "Wat we samen ontdekten",
        "study": "Wonen en welzijn in Heerlen-Noord",
        "area": "Heerlen-Noord",
        "sections": (
            (
                "Wat we hoorden",
                "We spraken met 82 bewoners van Heerlen-Noord. Dat deden we op straat, in het "
                "buurthuis en bij mensen thuis.\n\nVeel mensen wonen hier graag. Ze noemen de "
                "buren en de rust. Maar veel mensen voelen zich 's avonds niet veilig op straat.",
            ),
            (
                "Wat we leerden",
                "Er is te weinig licht in de straten rond het park. Vooral vrouwen en ouderen "
                "lopen daar 's avonds liever niet.\n\nKinderen hebben weinig plek om te spelen. "
                "Het speelveld aan de Akerstraat is vaak kapot.\n\nOuders willen graag een "
                "veilige oversteek bij de school.",
            ),
            (
                "Wat er nu gebeurt",
                "De gemeente zet nieuwe lampen rond het park. De woningcorporatie maakt het "
                "speelveld samen met kinderen opnieuw.\n\nWe houden u op de hoogte via dit "
                "verslag en in het buurthuis.",
            ),
            (
                "Hoe het verder gaat",
                "In het voorjaar praten we opnieuw met bewoners. Dan kijken we samen of de "
                "veranderingen helpen.\n\nWilt u meedoen? Kom langs in buurthuis De Schakel, "
                "elke dinsdag van 10 tot 12 uur.",
            ),
        ),
        "figures": (
            (
                "Voelt u zich 's avonds veilig op straat?",
                ("Veilig", "Een beetje veilig", "Niet veilig", "Weet ik niet"),
            ),
            (
                "Wat moet eerst beter?",
                ("Groen en speelplekken", "Verlichting", "Verkeer", "Afval"),
            ),
        ),
        "note": "Minder dan 5 mensen: niet getoond.",
        "quotes": (
            "'s Avonds loop ik met mijn sleutels in mijn hand naar huis. Het is zo donker bij "
            "het park.",
            "Mijn kinderen spelen op de parkeerplaats, want het speelveld is al twee jaar kapot.",
        ),
        "actions": (
            (
                "Nieuwe straatlampen rond het Vrieheidepark",
                "Gemeente Heerlen",
                "1 maart 2025",
                "Klaar",
                (
                    "12 januari 2025: De lampen zijn besteld.",
                    "1 maart 2025: Alle 14 lampen branden.",
                ),
            ),
            (
                "Speelveld Akerstraat opnieuw inrichten",
                "Woningcorporatie Weller",
                "juni 2025",
                "Bezig",
                ("20 februari 2025: Kinderen tekenden hun droomspeelveld.",),
            ),
            (
                "Veilige oversteek bij basisschool De Regenboog",
                "Gemeente Heerlen, afdeling Verkeer",
                "september 2025",
                "Gepland",
                ("5 maart 2025: Eerste gesprek met ouders en school.",),
            ),
        ),
        "labels": {
            "figures": "Cijfers",
            "quotes": "Wat mensen zeiden",
            "actions": "Jullie zeiden, wij deden",
            "owner": "Wie",
            "due": "Wanneer",
            "status": "Stand",
            "updates": "Nieuws",
            "scan": "Scan en lees het verslag online",
            "page": "Pagina",
            "flyer_intro": "Bedankt dat u meedeed. Dit hebben we samen ontdekt.",
            "poster_call": "U vertelde het ons. Dit gaat er nu gebeuren.",
            "table_label": "Antwoord",
            "table_count": "Mensen",
            "table_percent": "Procent",
            "suppressed": "minder dan 5",
        },
    },
    "en": {
        "title": "What we found out together",
        "study": "Living well in Heerlen-Noord",
        "area": "Heerlen-Noord",
        "sections": (
            (
                "What we heard",
                "We talked with 82 people who live in Heerlen-Noord. On the street, in the "
                "community centre and at home.\n\nMany people like living here. They name their "
                "neighbours and the quiet. But many people do not feel safe on the street at "
                "night.",
            ),
            (
                "What we learned",
                "There is too little light in the streets around the park. Women and older "
                "people do not like to walk there at night.\n\nChildren have few places to "
                "play. The playground on Akerstraat is often broken.",
            ),
            (
                "What happens now",
                "The council puts new lamps around the park. The housing association rebuilds "
                "the playground together with children.",
            ),
            (
                "What comes next",
                "In spring we talk with residents again. Together we see if the changes help."
                "\n\nDo you want to join? Come to community centre De Schakel, every Tuesday "
                "from 10 to 12.",
            ),
        ),
        "figures": (
            (
                "Do you feel safe on the street at night?",
                ("Safe", "A bit safe", "Not safe", "Don't know"),
            ),
            (
                "What should get better first?",
                ("Green space and play areas", "Street lights", "Traffic", "Litter"),
            ),
        ),
        "note": "Fewer than 5 people: not shown.",
        "quotes": (
            "At night I walk home with my keys in my hand. It is so dark by the park.",
            "My children play in the car park, because the playground has been broken for two "
            "years.",
        ),
        "actions": (
            (
                "New street lights around Vrieheide park",
                "Heerlen council",
                "1 March 2025",
                "Done",
                ("12 January 2025: The lamps are ordered.", "1 March 2025: All 14 lamps are on."),
            ),
            (
                "A new playground on Akerstraat",
                "Weller housing association",
                "June 2025",
                "In progress",
                ("20 February 2025: Children drew the playground of their dreams.",),
            ),
            (
                "A safe crossing at De Regenboog primary school",
                "Heerlen council, traffic department",
                "September 2025",
                "Planned",
                ("5 March 2025: First meeting with parents and the school.",),
            ),
        ),
        "labels": {
            "figures": "Figures",
            "quotes": "What people said",
            "actions": "You said, we did",
            "owner": "Who",
            "due": "When",
            "status": "Status",
            "updates": "News",
            "scan": "Scan to read the report online",
            "page": "Page",
            "flyer_intro": "Thank you for taking part. This is what we found out together.",
            "poster_call": "You told us. This is what happens now.",
            "table_label": "Answer",
            "table_count": "People",
            "table_percent": "Percent",
            "suppressed": "fewer than 5",
        },
    },
    "ar": {
        "title": "ما اكتشفناه معا",
        "study": "السكن والرفاه في هيرلن الشمالية",
        "area": "هيرلن الشمالية",
        "sections": (
            (
                "ماذا سمعنا",
                "تحدثنا مع 82 من سكان هيرلن الشمالية. تحدثنا معهم في الشارع وفي مركز الحي "
                "وفي بيوتهم.\n\nكثير من الناس يحبون السكن هنا. يذكرون الجيران والهدوء. لكن "
                "كثيرين لا يشعرون بالأمان في الشارع في المساء.",
            ),
            (
                "ماذا تعلمنا",
                "الإضاءة قليلة في الشوارع حول الحديقة. النساء وكبار السن لا يحبون المشي هناك "
                "في المساء.\n\nلا يجد الأطفال مكانا كافيا للعب. ملعب شارع آكر معطل في أغلب "
                "الأوقات.\n\nيريد الأهالي معبرا آمنا قرب المدرسة.",
            ),
            (
                "ماذا يحدث الآن",
                "تضع البلدية مصابيح جديدة حول الحديقة. وتجدد شركة الإسكان الملعب مع الأطفال."
                "\n\nسنخبركم بالجديد في هذا التقرير وفي مركز الحي.",
            ),
            (
                "الخطوات القادمة",
                "في الربيع نتحدث مع السكان مرة أخرى. ونرى معا هل تساعد التغييرات.\n\nهل تريد "
                "المشاركة؟ تعال إلى مركز الحي (دي سخاكل) كل يوم ثلاثاء من 10 إلى 12.",
            ),
        ),
        "figures": (
            (
                "هل تشعر بالأمان في الشارع في المساء؟",
                ("آمن", "آمن قليلا", "غير آمن", "لا أعرف"),
            ),
            (
                "ماذا نحسن أولا؟",
                ("الحدائق وأماكن اللعب", "الإضاءة", "حركة المرور", "النفايات"),
            ),
        ),
        "note": "أقل من 5 أشخاص: لا نعرض الرقم.",
        "quotes": (
            "في المساء أمشي إلى البيت والمفاتيح في يدي. المكان مظلم جدا قرب الحديقة.",
            "أولادي يلعبون في موقف السيارات، لأن الملعب معطل منذ سنتين.",
        ),
        "actions": (
            (
                "مصابيح جديدة في الشوارع حول الحديقة",
                "بلدية هيرلن",
                "1 مارس 2025",
                "تم",
                ("12 يناير 2025: طلبنا المصابيح.", "1 مارس 2025: كل المصابيح تعمل الآن."),
            ),
            (
                "تجديد ملعب شارع آكر",
                "شركة الإسكان فيلر",
                "يونيو 2025",
                "قيد التنفيذ",
                ("20 فبراير 2025: رسم الأطفال الملعب الذي يحلمون به.",),
            ),
            (
                "معبر آمن قرب مدرسة قوس قزح",
                "بلدية هيرلن، قسم المرور",
                "سبتمبر 2025",
                "في الخطة",
                ("5 مارس 2025: أول لقاء مع الأهالي والمدرسة.",),
            ),
        ),
        "labels": {
            "figures": "أرقام",
            "quotes": "ماذا قال الناس",
            "actions": "قلتم، وفعلنا",
            "owner": "من",
            "due": "متى",
            "status": "الحالة",
            "updates": "آخر الأخبار",
            "scan": "امسح الرمز لتقرأ التقرير على الإنترنت",
            "page": "صفحة",
            "flyer_intro": "شكرا لمشاركتك. هذا ما اكتشفناه معا.",
            "poster_call": "أخبرتمونا. وهذا ما سيحدث الآن.",
            "table_label": "الإجابة",
            "table_count": "عدد الناس",
            "table_percent": "النسبة",
            "suppressed": "أقل من 5",
        },
    },
    "tr": {
        "title": "Birlikte neler öğrendik",
        "study": "Heerlen-Kuzey'de konut ve yaşam kalitesi",
        "area": "Heerlen-Kuzey",
        "sections": (
            (
                "Ne duyduk",
                "Heerlen-Kuzey'de 82 kişiyle konuştuk. Sokakta, mahalle evinde ve evlerinde."
                "\n\nBirçok kişi burada yaşamaktan memnun. Komşularını ve sessizliği seviyorlar. "
                "Ama birçok kişi akşamları sokakta kendini güvende hissetmiyor.",
            ),
            (
                "Ne öğrendik",
                "Parkın çevresindeki sokaklarda ışık az. Kadınlar ve yaşlılar akşamları orada "
                "yürümek istemiyor.\n\nÇocukların oynayacak yeri az. Akerstraat'taki oyun alanı "
                "sık sık bozuk.\n\nAileler okulun yanında güvenli bir geçit istiyor.",
            ),
            (
                "Şimdi ne oluyor",
                "Belediye parkın çevresine yeni lambalar koyuyor. Konut şirketi oyun alanını "
                "çocuklarla birlikte yeniliyor.\n\nGelişmeleri bu raporda ve mahalle evinde "
                "paylaşacağız.",
            ),
            (
                "Sırada ne var",
                "İlkbaharda sakinlerle yeniden konuşacağız. Değişikliklerin işe yarayıp "
                "yaramadığına birlikte bakacağız.\n\nKatılmak ister misiniz? Her salı saat 10 "
                "ile 12 arasında De Schakel mahalle evine gelin.",
            ),
        ),
        "figures": (
            (
                "Akşamları sokakta kendinizi güvende hissediyor musunuz?",
                ("Güvende", "Biraz güvende", "Güvende değil", "Bilmiyorum"),
            ),
            (
                "Önce ne iyileşmeli?",
                ("Yeşil alan ve oyun yerleri", "Aydınlatma", "Trafik", "Çöp"),
            ),
        ),
        "note": "5 kişiden az: gösterilmiyor.",
        "quotes": (
            "Akşamları eve anahtarlarım elimde yürüyorum. Parkın yanı çok karanlık.",
            "Çocuklarım otoparkta oynuyor, çünkü oyun alanı iki yıldır bozuk.",
        ),
        "actions": (
            (
                "Parkın çevresine yeni sokak lambaları",
                "Heerlen Belediyesi",
                "1 Mart 2025",
                "Tamamlandı",
                (
                    "12 Ocak 2025: Lambalar sipariş edildi.",
                    "1 Mart 2025: 14 lambanın hepsi yanıyor.",
                ),
            ),
            (
                "Akerstraat oyun alanının yenilenmesi",
                "Weller Konut Şirketi",
                "Haziran 2025",
                "Devam ediyor",
                ("20 Şubat 2025: Çocuklar hayallerindeki oyun alanını çizdi.",),
            ),
            (
                "Gökkuşağı İlkokulu yanında güvenli geçit",
                "Heerlen Belediyesi, Trafik Bölümü",
                "Eylül 2025",
                "Planlandı",
                ("5 Mart 2025: Veliler ve okulla ilk görüşme yapıldı.",),
            ),
        ),
        "labels": {
            "figures": "Rakamlar",
            "quotes": "İnsanlar ne dedi",
            "actions": "Siz söylediniz, biz yaptık",
            "owner": "Kim",
            "due": "Ne zaman",
            "status": "Durum",
            "updates": "Gelişmeler",
            "scan": "Raporu internette okumak için tarayın",
            "page": "Sayfa",
            "flyer_intro": "Katıldığınız için teşekkürler. Birlikte bunları öğrendik.",
            "poster_call": "Siz anlattınız. Şimdi bunlar oluyor.",
            "table_label": "Cevap",
            "table_count": "Kişi",
            "table_percent": "Yüzde",
            "suppressed": "5 kişiden az",
        },
    },
    "pl": {
        "title": "Czego razem się dowiedzieliśmy",
        "study": "Mieszkanie i dobrostan w Heerlen-Północ",
        "area": "Heerlen-Północ",
        "sections": (
            (
                "Co usłyszeliśmy",
                "Rozmawialiśmy z 82 mieszkańcami Heerlen-Północ. Na ulicy, w domu sąsiedzkim i "
                "u ludzi w domach.\n\nWiele osób lubi tu mieszkać. Mówią o sąsiadach i o "
                "spokoju. Ale wiele osób wieczorem nie czuje się na ulicy bezpiecznie.",
            ),
            (
                "Czego się nauczyliśmy",
                "Wokół parku jest za mało światła. Kobiety i osoby starsze wieczorem nie chcą "
                "tam chodzić.\n\nDzieci mają mało miejsca do zabawy. Plac zabaw przy Akerstraat "
                "często jest zepsuty.\n\nRodzice chcą bezpiecznego przejścia przy szkole.",
            ),
            (
                "Co dzieje się teraz",
                "Gmina stawia nowe latarnie wokół parku. Spółdzielnia mieszkaniowa razem z "
                "dziećmi odnawia plac zabaw.\n\nO postępach piszemy w tym raporcie i w domu "
                "sąsiedzkim.",
            ),
            (
                "Co dalej",
                "Wiosną znów porozmawiamy z mieszkańcami. Razem sprawdzimy, czy zmiany pomagają."
                "\n\nChcesz się przyłączyć? Przyjdź do domu sąsiedzkiego De Schakel w każdy "
                "wtorek od 10 do 12.",
            ),
        ),
        "figures": (
            (
                "Czy wieczorem czujesz się bezpiecznie na ulicy?",
                ("Bezpiecznie", "Trochę bezpiecznie", "Niebezpiecznie", "Nie wiem"),
            ),
            (
                "Co najpierw poprawić?",
                ("Zieleń i place zabaw", "Oświetlenie", "Ruch uliczny", "Śmieci"),
            ),
        ),
        "note": "Mniej niż 5 osób: nie pokazano.",
        "quotes": (
            "Wieczorem idę do domu z kluczami w ręce. Przy parku jest bardzo ciemno.",
            "Moje dzieci bawią się na parkingu, bo plac zabaw od dwóch lat jest zepsuty.",
        ),
        "actions": (
            (
                "Nowe latarnie wokół parku Vrieheide",
                "Gmina Heerlen",
                "1 marca 2025",
                "Zrobione",
                (
                    "12 stycznia 2025: Latarnie zostały zamówione.",
                    "1 marca 2025: Wszystkie 14 latarni świeci.",
                ),
            ),
            (
                "Odnowienie placu zabaw przy Akerstraat",
                "Spółdzielnia mieszkaniowa Weller",
                "czerwiec 2025",
                "W toku",
                ("20 lutego 2025: Dzieci narysowały plac zabaw swoich marzeń.",),
            ),
            (
                "Bezpieczne przejście przy szkole Tęcza",
                "Gmina Heerlen, wydział ruchu",
                "wrzesień 2025",
                "Zaplanowane",
                ("5 marca 2025: Pierwsze spotkanie z rodzicami i szkołą.",),
            ),
        ),
        "labels": {
            "figures": "Liczby",
            "quotes": "Co mówili ludzie",
            "actions": "Powiedzieliście, zrobiliśmy",
            "owner": "Kto",
            "due": "Kiedy",
            "status": "Stan",
            "updates": "Postępy",
            "scan": "Zeskanuj, aby przeczytać raport w internecie",
            "page": "Strona",
            "flyer_intro": "Dziękujemy za udział. Oto czego razem się dowiedzieliśmy.",
            "poster_call": "Powiedzieliście nam. Oto co dzieje się teraz.",
            "table_label": "Odpowiedź",
            "table_count": "Osoby",
            "table_percent": "Procent",
            "suppressed": "mniej niż 5",
        },
    },
    "uk": {
        "title": "Що ми дізналися разом",
        "study": "Житло та добробут у Геерлен-Північ",
        "area": "Геерлен-Північ",
        "sections": (
            (
                "Що ми почули",
                "Ми поговорили з 82 мешканцями Геерлен-Північ. На вулиці, у районному центрі та "
                "вдома в людей.\n\nБагатьом людям тут подобається жити. Вони згадують сусідів і "
                "спокій. Але багато хто ввечері не почувається на вулиці безпечно.",
            ),
            (
                "Чого ми навчилися",
                "Навколо парку замало світла. Жінки та літні люди ввечері не хочуть там ходити."
                "\n\nДітям бракує місця для ігор. Майданчик на Акерстраат часто зламаний.\n\n"
                "Батьки хочуть безпечний перехід біля школи.",
            ),
            (
                "Що відбувається зараз",
                "Муніципалітет ставить нові ліхтарі навколо парку. Житлова корпорація оновлює "
                "майданчик разом із дітьми.\n\nМи розповідатимемо новини в цьому звіті та в "
                "районному центрі.",
            ),
            (
                "Що далі",
                "Навесні ми знову поговоримо з мешканцями. Разом подивимося, чи допомагають "
                "зміни.\n\nХочете долучитися? Приходьте до районного центру «Де Схакел» "
                "щовівторка з 10 до 12.",
            ),
        ),
        "figures": (
            (
                "Чи почуваєтеся ви ввечері на вулиці безпечно?",
                ("Безпечно", "Трохи безпечно", "Небезпечно", "Не знаю"),
            ),
            (
                "Що покращити насамперед?",
                ("Зелень і майданчики", "Освітлення", "Рух транспорту", "Сміття"),
            ),
        ),
        "note": "Менше ніж 5 людей: не показано.",
        "quotes": (
            "Ввечері я йду додому з ключами в руці. Біля парку дуже темно.",
            "Мої діти граються на парковці, бо майданчик зламаний уже два роки.",
        ),
        "actions": (
            (
                "Нові ліхтарі навколо парку Фрігейде",
                "Муніципалітет Геерлена",
                "1 березня 2025",
                "Виконано",
                ("12 січня 2025: Ліхтарі замовлено.", "1 березня 2025: Усі 14 ліхтарів світять."),
            ),
            (
                "Оновлення майданчика на Акерстраат",
                "Житлова корпорація Веллер",
                "червень 2025",
                "Триває",
                ("20 лютого 2025: Діти намалювали майданчик своєї мрії.",),
            ),
            (
                "Безпечний перехід біля школи «Веселка»",
                "Муніципалітет Геерлена, відділ руху",
                "вересень 2025",
                "Заплановано",
                ("5 березня 2025: Перша зустріч із батьками та школою.",),
            ),
        ),
        "labels": {
            "figures": "Цифри",
            "quotes": "Що казали люди",
            "actions": "Ви сказали — ми зробили",
            "owner": "Хто",
            "due": "Коли",
            "status": "Стан",
            "updates": "Новини",
            "scan": "Скануйте, щоб прочитати звіт онлайн",
            "page": "Сторінка",
            "flyer_intro": "Дякуємо за участь. Ось що ми дізналися разом.",
            "poster_call": "Ви нам розповіли. Ось що буде далі.",
            "table_label": "Відповідь",
            "table_count": "Людей",
            "table_percent": "Відсоток",
            "suppressed": "менше ніж 5",
        },
    },
}


def _url(language: str) -> str:
    return f"https://fieldapp.example/r/wonen-heerlen-noord?lang={language}"


def _doc(language: str, **overrides: object) -> ReportDoc:
    texts = TEXTS[language]
    figures = tuple(
        Figure(
            title,
            tuple(
                FigureRow(label, count, percent)
                for label, (count, percent) in zip(labels, numbers, strict=True)
            ),
            texts["note"],
        )
        for (title, labels), numbers in zip(texts["figures"], NUMBERS, strict=True)
    )
    arguments: dict = {
        "title": texts["title"],
        "study": texts["study"],
        "area": texts["area"],
        "language": language,
        "url": _url(language),
        "sections": tuple(Section(heading, body) for heading, body in texts["sections"]),
        "figures": figures,
        "quotes": texts["quotes"],
        "actions": tuple(ActionItem(*action) for action in texts["actions"]),
        "labels": dict(texts["labels"]),
    }
    arguments.update(overrides)
    return ReportDoc(**arguments)


def _long_doc(language: str) -> ReportDoc:
    """Far more than fits on one page: long title, 7 long sections, 9 long actions."""
    doc = _doc(language)
    texts = TEXTS[language]
    sentences = " ".join(body.split("\n\n")[0] for _heading, body in texts["sections"])
    sections = tuple(
        Section(f"{heading} {index + 1}", f"{sentences} {sentences}\n\n{sentences}")
        for index, (heading, _body) in enumerate(texts["sections"] * 2)
    )[:7]
    actions = tuple(
        ActionItem(
            f"{action.title} — {action.title} ({index + 1})",
            action.owner,
            action.due,
            action.status,
            action.updates * 3,
        )
        for index, action in enumerate(doc.actions * 3)
    )
    return _doc(
        language,
        title=" ".join([texts["title"]] * 6),
        sections=sections,
        actions=actions,
        labels={**doc.labels, "flyer_intro": " ".join([doc.labels["flyer_intro"]] * 5)},
    )


# ---------------------------------------------------------------------------------------------
# Reading the PDFs with poppler
# ---------------------------------------------------------------------------------------------


def _pages_words(pdf: Path) -> list[list[poppler.Word]]:
    """Every word pdftotext finds, page by page, with its box in points."""
    number = r"(-?[\d.]+)"
    word = re.compile(
        f'<word xMin="{number}" yMin="{number}" xMax="{number}" yMax="{number}">(.*?)</word>'
    )
    output = poppler.run("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-")
    return [
        [
            poppler.Word(html.unescape(text), float(a), float(b), float(c), float(d))
            for a, b, c, d, text in word.findall(page)
        ]
        for page in output.split("<page ")[1:]
    ]


def _lines(words: list[poppler.Word]) -> list[list[poppler.Word]]:
    """Words grouped into lines (same baseline), top to bottom, each left to right."""
    lines: list[list[poppler.Word]] = []
    for word in sorted(words, key=lambda word: (word.y_max, word.x_min)):
        if lines and abs(lines[-1][0].y_max - word.y_max) < 1:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda word: word.x_min) for line in lines]


def _reading(line: list[poppler.Word], language: str) -> str:
    """A line's text in reading order: in Arabic from right to left, with the Arabic words
    (which pdftotext gives in drawing order) turned back; numbers read left to right."""
    if language != "ar":
        return " ".join(word.text for word in line)
    return " ".join(
        word.text[::-1] if ARABIC.search(word.text) else word.text for word in reversed(line)
    )


def _logical(text: str, language: str) -> str:
    """How a phrase comes out of pdftotext: shaped letter forms for Arabic."""
    return reshape(text) if language == "ar" else text


def _found(phrase: str, text: str, language: str) -> bool:
    """Whether pdftotext's text holds the phrase (Arabic: in shaped letter forms).

    Around digits and the Arabic comma pdftotext moves the spaces of right-to-left text (it
    reads "مع 82 من" as "مع 82من"), so Arabic is compared without spaces; the letters must
    still come in logical order.
    """
    if language != "ar":
        return phrase in text
    return re.sub(r"\s", "", reshape(phrase)) in re.sub(r"\s", "", text)


def _render_page(pdf: Path, page: int, dpi: int, png: Path) -> Image.Image:
    poppler.run(
        "pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
        pdf, png.with_suffix(""),
    )  # fmt: skip
    with Image.open(png) as image:
        image.load()
    return image


@pytest.fixture(scope="module")
def need_poppler() -> None:
    """Skip PDF-rendering checks without poppler-utils (fail instead when CI is set)."""
    poppler.require_poppler()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The report, flyer and poster of every language, written to PDF files."""
    folder = tmp_path_factory.mktemp("reports")
    paths = {}
    for language in LANGUAGE_CODES:
        doc = _doc(language)
        for kind in KINDS:
            path = folder / f"{kind}-{language}.pdf"
            path.write_bytes(RENDER[kind](doc))
            paths[kind, language] = path
    return paths


@pytest.fixture(scope="module")
def long_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Flyer and poster from far too much text, in Dutch and Arabic."""
    folder = tmp_path_factory.mktemp("long")
    paths = {}
    for language in ("nl", "ar"):
        doc = _long_doc(language)
        for kind in ("flyer", "poster"):
            path = folder / f"{kind}-{language}.pdf"
            path.write_bytes(RENDER[kind](doc))
            paths[kind, language] = path
    return paths


# ---------------------------------------------------------------------------------------------
# Without poppler
# ---------------------------------------------------------------------------------------------


def test_every_interface_language_has_a_test_document() -> None:
    assert set(TEXTS) == set(LANGUAGE_CODES)
    for language in TEXTS:
        doc = _doc(language)
        assert len(doc.sections) == 4
        assert len(doc.figures) == 2
        assert any(row.count is None for row in doc.figures[0].rows)
        assert len(doc.quotes) == 2
        assert len({action.status for action in doc.actions}) == 3
        assert all(action.updates for action in doc.actions)
    assert TEXTS["ar"]["sections"][0][0] == "ماذا سمعنا"
    assert TEXTS["uk"]["sections"][0][0] == "Що ми почули"


@pytest.mark.parametrize("kind", KINDS)
def test_returns_a_pdf(kind: str) -> None:
    data = RENDER[kind](_doc("nl"))
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("report", "table_count"),
        ("report", "page"),
        ("flyer", "flyer_intro"),
        ("flyer", "scan"),
        ("poster", "poster_call"),
        ("poster", "status"),
    ],
)
def test_labels_are_required(kind: str, missing: str) -> None:
    labels = {key: value for key, value in TEXTS["nl"]["labels"].items() if key != missing}
    with pytest.raises(ValueError, match=missing):
        RENDER[kind](_doc("nl", labels=labels))


@pytest.mark.parametrize("kind", KINDS)
def test_the_url_is_required(kind: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        RENDER[kind](_doc("nl", url=" "))


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_report_still_renders(kind: str) -> None:
    doc = _doc("nl", sections=(), figures=(), quotes=(), actions=())
    assert RENDER[kind](doc).startswith(b"%PDF-")


@pytest.mark.parametrize("language", ["nl", "ar"])
@pytest.mark.parametrize("paragraphs", [1, 2, 3, 5, 8])
def test_no_page_of_the_report_ends_with_a_heading(language: str, paragraphs: int) -> None:
    # Sections of different lengths move the page breaks around.
    doc = _doc(language)
    sections = tuple(
        Section(section.heading, "\n\n".join([section.body] * (1 + (index * paragraphs) % 5)))
        for index, section in enumerate(doc.sections * 3)
    )
    doc = _doc(language, sections=sections, quotes=doc.quotes * paragraphs)
    texts = report_pdf._texts(doc, report_pdf.REPORT_LABELS, "test")
    pages = report_pdf._Report(doc, texts, QR.make(doc.url)).paginate()
    assert len(pages) > 2
    for page in pages:
        _top, last = page[-1]
        assert not last.keep_with_next, last
        assert page[0][0] <= A4[1] - report_pdf.R_MARGIN_TOP + 0.01


def test_key_points_keep_whole_sentences_or_end_in_an_ellipsis() -> None:
    text = "Eerste zin is kort. Tweede zin is ook kort. " + "woord " * 60
    whole = report_pdf._summary(text, REGULAR, 14, 300, "nl", 2)
    assert " ".join(whole) == "Eerste zin is kort. Tweede zin is ook kort."
    cut = report_pdf._summary("woord " * 60, REGULAR, 14, 300, "nl", 2)
    assert len(cut) == 2
    assert cut[-1].endswith(ELLIPSIS)


# ---------------------------------------------------------------------------------------------
# Rendered, read back and scanned with poppler and zxing
# ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_renders_every_page(
    pdfs: dict[tuple[str, str], Path], kind: str, language: str, tmp_path: Path
) -> None:
    pdf = pdfs[kind, language]
    poppler.run("pdftoppm", "-r", "80", "-png", pdf, tmp_path / "page")
    pages = int(poppler.info(pdf)["Pages"])
    assert len(list(tmp_path.glob("page*.png"))) == pages
    if language in ("nl", "ar"):
        # First pages to look at: test-artifacts/pdf/report-*.png.
        name = f"report-{language}.png" if kind == "report" else f"report-{kind}-{language}.png"
        poppler.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        poppler.render_png(pdf, poppler.ARTIFACTS / name, dpi=100)


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_page_count_and_size(pdfs: dict[tuple[str, str], Path], kind: str, language: str) -> None:
    info = poppler.info(pdfs[kind, language])
    pages = int(info["Pages"])
    if kind == "report":
        assert pages >= 3
    else:
        assert pages == 1
    match = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    assert match, info["Page size"]
    width, height = A3 if kind == "poster" else A4
    assert float(match[1]) == pytest.approx(width, abs=0.5)
    assert float(match[2]) == pytest.approx(height, abs=0.5)


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_fonts_are_embedded(pdfs: dict[tuple[str, str], Path], kind: str, language: str) -> None:
    fonts = poppler.fonts(pdfs[kind, language])
    assert fonts
    for font in fonts:
        assert font["emb"] == "yes", font
        assert "DejaVuSans" in font["name"], font


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_metadata_has_title_and_language(
    pdfs: dict[tuple[str, str], Path], kind: str, language: str
) -> None:
    pdf = pdfs[kind, language]
    assert poppler.info(pdf)["Title"] == TEXTS[language]["title"]
    raw = pdf.read_bytes()
    assert f"/Lang ({language})".encode() in raw
    assert (b"/Direction /R2L" in raw) == (language == "ar")


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_report_text_comes_out_intact(pdfs: dict[tuple[str, str], Path], language: str) -> None:
    text = poppler.text(pdfs["report", language])
    texts = TEXTS[language]
    phrases = [texts["title"], texts["study"], *(heading for heading, _body in texts["sections"])]
    phrases += [owner for _title, owner, *_rest in texts["actions"]]
    phrases += [title for title, *_rest in texts["actions"]]
    phrases += [texts["labels"][key] for key in ("figures", "quotes", "actions")]
    for phrase in phrases:
        assert _found(phrase, text, language), phrase


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_flyer_and_poster_text(pdfs: dict[tuple[str, str], Path], language: str) -> None:
    texts = TEXTS[language]
    flyer = poppler.text(pdfs["flyer", language])
    for phrase in (
        texts["title"],
        texts["labels"]["flyer_intro"],
        texts["labels"]["scan"],
        *(heading for heading, _body in texts["sections"]),
        *(title for title, *_rest in texts["actions"]),
        *(status for _title, _owner, _due, status, _updates in texts["actions"]),
    ):
        assert _found(phrase, flyer, language), phrase
    # A key point is the first paragraph of a section (here short enough to be whole).
    first = texts["sections"][0][1].split("\n\n")[0]
    assert _found(" ".join(first.split()), flyer, language)
    poster = poppler.text(pdfs["poster", language])
    for phrase in (
        texts["title"],
        texts["labels"]["poster_call"],
        *(title for title, *_rest in texts["actions"]),
    ):
        assert _found(phrase, poster, language), phrase
    for text in (flyer, poster):
        assert _url(language) in text.replace(" ", "")


@pytest.mark.usefixtures("need_poppler")
def test_letters_of_every_script_survive(pdfs: dict[tuple[str, str], Path]) -> None:
    turkish = poppler.text(pdfs["report", "tr"])
    assert "Şimdi ne oluyor" in turkish
    assert "Weller Konut Şirketi" in turkish
    assert "Gökkuşağı İlkokulu yanında güvenli geçit" in turkish
    polish = poppler.text(pdfs["report", "pl"])
    assert "Czego się nauczyliśmy" in polish
    assert "Spółdzielnia mieszkaniowa Weller" in polish
    assert "Heerlen-Północ" in polish
    ukrainian = poppler.text(pdfs["report", "uk"])
    assert "Що ми почули" in ukrainian
    assert "Житлова корпорація Веллер" in ukrainian
    assert "«Де Схакел»" in ukrainian


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
def test_arabic_is_shaped_and_right_to_left(pdfs: dict[tuple[str, str], Path], kind: str) -> None:
    text = poppler.text(pdfs[kind, "ar"])
    assert re.search("[\ufe70-\ufeff]", text), "no Arabic presentation forms: letters not joined"
    title = TEXTS["ar"]["title"]  # ما اكتشفناه معا
    # Drawn right to left, pdftotext reads the glyphs back in logical order. Had the words
    # been laid out left to right, it would read the visual order get_display() produces.
    assert reshape(title) in text
    assert get_display(reshape(title)) not in text
    if kind != "poster":
        assert reshape(TEXTS["ar"]["sections"][0][0]) in text  # ماذا سمعنا
    # Every line starts at the right margin or is centred; none hugs the left margin alone.
    margin = MARGINS[kind]
    width = A3[0] if kind == "poster" else A4[0]
    title_line = next(
        line
        for line in _lines(_pages_words(pdfs[kind, "ar"])[0])
        if reshape(TEXTS["ar"]["title"].split()[0])[::-1] in [word.text for word in line]
    )
    assert title_line[-1].x_max == pytest.approx(width - margin, abs=1.5)


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_figure_tables(pdfs: dict[tuple[str, str], Path], language: str) -> None:
    """The suppressed row shows the suppression text, no number; Arabic tables are mirrored."""
    texts = TEXTS[language]
    labels = texts["figures"][0][1]
    suppressed = texts["labels"]["suppressed"]
    lines = [line for page in _pages_words(pdfs["report", language]) for line in _lines(page)]

    def row(label: str, rest: str) -> list[poppler.Word]:
        expected = _logical(label, language) + " " + _logical(rest, language)
        found = [line for line in lines if _reading(line, language) == expected]
        assert len(found) == 1, (expected, [_reading(line, language) for line in lines])
        return found[0]

    row(labels[3], suppressed)  # the suppression text, and no number, after the label
    count, percent = NUMBERS[0][0]
    shown = row(labels[0], f"{count} %{percent}" if language == "tr" else f"{count} {percent}%")
    label_words = len(labels[0].split())
    label_box = shown[-label_words:] if language == "ar" else shown[:label_words]
    count_word = next(word for word in shown if word.text == str(count))
    if language == "ar":  # label at the right, numbers to its left
        assert min(word.x_min for word in label_box) > count_word.x_max
        assert label_box[-1].x_max == pytest.approx(A4[0] - MARGINS["report"] - 5, abs=1.5)
    else:
        assert max(word.x_max for word in label_box) < count_word.x_min
        assert label_box[0].x_min == pytest.approx(MARGINS["report"] + 5, abs=1.5)


def _scan(image: Image.Image) -> list[zxingcpp.Barcode]:
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found"
    return found


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_qr_codes_scan_to_the_exact_url(
    pdfs: dict[tuple[str, str], Path], kind: str, language: str, tmp_path: Path
) -> None:
    pdf = pdfs[kind, language]
    last = int(poppler.info(pdf)["Pages"])
    dpi = 150
    # The report: small in the footer of page 1, larger at the end.
    minimum = {"report": 18, "flyer": 40, "poster": 80}[kind]  # symbol width, mm
    for page in sorted({1, last}):
        image = _render_page(pdf, page, dpi, tmp_path / f"page-{page}.png")
        for barcode in _scan(image):
            assert barcode.format == zxingcpp.BarcodeFormat.QRCode
            assert barcode.text == _url(language)
            assert barcode.ec_level == "M"
            corners = barcode.position
            width = (corners.top_right.x - corners.top_left.x) / dpi * 25.4
            assert width >= minimum, f"QR symbol {width:.1f} mm wide on page {page}"


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_nothing_is_cut_off_or_overlapping(
    pdfs: dict[tuple[str, str], Path], kind: str, language: str
) -> None:
    _check_layout(pdfs[kind, language], kind)


def _check_layout(pdf: Path, kind: str) -> None:
    width, height = A3 if kind == "poster" else A4
    margin = MARGINS[kind]
    for page in _pages_words(pdf):
        assert page
        for word in page:
            assert margin - 1 <= word.x_min <= word.x_max <= width - margin + 1, word
            assert 10 * 2.83 <= word.y_min <= word.y_max <= height - 10 * 2.83, word
        boxes = sorted(page, key=lambda word: word.y_min)
        for index, first in enumerate(boxes):
            for second in boxes[index + 1 :]:
                if second.y_min >= first.y_max - 0.5:
                    break
                overlap_x = min(first.x_max, second.x_max) - max(first.x_min, second.x_min)
                overlap_y = min(first.y_max, second.y_max) - max(first.y_min, second.y_min)
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (first, second)


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_type_is_large(pdfs: dict[tuple[str, str], Path], kind: str, language: str) -> None:
    ascent, descent = line_box(REGULAR, SMALLEST_TEXT[kind])
    smallest = min(
        word.y_max - word.y_min for page in _pages_words(pdfs[kind, language]) for word in page
    )
    assert smallest >= ascent + descent - 0.2


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("kind", ["flyer", "poster"])
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_too_much_text_is_shortened_to_one_page(
    long_pdfs: dict[tuple[str, str], Path], kind: str, language: str, tmp_path: Path
) -> None:
    pdf = long_pdfs[kind, language]
    assert int(poppler.info(pdf)["Pages"]) == 1
    text = poppler.text(pdf)
    assert ELLIPSIS in text
    doc = _long_doc(language)
    if kind == "flyer":
        headings = [section.heading for section in doc.sections]
        assert _logical(headings[2], language) in text  # at least three key points
        assert _logical(headings[5], language) not in text  # at most five
    else:
        assert _found(doc.labels["poster_call"], text, language)
        status = re.sub(r"\s", "", _logical(doc.labels["status"] + ":", language))
        assert re.sub(r"\s", "", text).count(status) == 3  # at most three actions
    _check_layout(pdf, kind)
    image = _render_page(pdf, 1, 150, tmp_path / "page.png")
    assert [barcode.text for barcode in _scan(image)] == [_url(language)]


@pytest.mark.usefixtures("need_poppler")
def test_report_headings_stay_with_their_text(pdfs: dict[tuple[str, str], Path]) -> None:
    """On every page the last line above the footer is not a heading."""
    headings = {heading for heading, _body in TEXTS["nl"]["sections"]}
    headings |= {TEXTS["nl"]["labels"][key] for key in ("figures", "quotes", "actions")}
    footer = A4[1] - report_pdf.R_MARGIN_BOTTOM - 30 * 2.83
    for page in _pages_words(pdfs["report", "nl"]):
        body = [line for line in _lines(page) if line[0].y_max < footer]
        assert _reading(body[-1], "nl") not in headings


@pytest.mark.usefixtures("need_poppler")
def test_a_quote_keeps_its_own_direction(tmp_path: Path) -> None:
    """A Dutch quote in the Arabic report reads left to right, its full stop at its end;
    wrapped over lines, each line holds the words in the order they were said."""
    said = (
        "Ik ken de taal nog niet goed en het buurthuis is vaak dicht, "
        "dus ik blijf meestal thuis met de kinderen."
    )
    pdf = tmp_path / "quote-ar.pdf"
    pdf.write_bytes(render_report(_doc("ar", quotes=(isolate(said),))))
    lines = [
        " ".join(word.text for word in line)
        for page in _pages_words(pdf)
        for line in _lines(page)
        if any(word.text in said.split() for word in line)
    ]
    quote_lines = [line for line in lines if all(w in said.split() for w in line.split())]
    assert len(quote_lines) >= 2  # it wraps
    assert " ".join(quote_lines) == said


@pytest.mark.usefixtures("need_poppler")
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_figure_with_every_number_hidden_is_one_sentence(tmp_path: Path, language: str) -> None:
    """As on the web page: the question and the note, no table of suppressed rows."""
    texts = TEXTS[language]
    title, labels = texts["figures"][0]
    hidden = Figure(title, tuple(FigureRow(label, None, None) for label in labels), texts["note"])
    assert hidden.all_hidden
    pdf = tmp_path / "report.pdf"
    # Nothing else in the report, so every word found comes from the figure.
    doc = _doc(language, figures=(hidden,), sections=(), quotes=(), actions=())
    pdf.write_bytes(render_report(doc))
    text = poppler.text(pdf)

    def count(phrase: str) -> int:
        if language == "ar":
            return re.sub(r"\s", "", text).count(re.sub(r"\s", "", reshape(phrase)))
        return text.count(phrase)

    note, suppressed = texts["note"], texts["labels"]["suppressed"]
    assert count(title) == 1
    assert count(note) == 1
    # "fewer than 5" only where the note itself says it: no rows of it
    assert count(suppressed) == (1 if _logical(suppressed, "nl") in note else 0)
    assert count(texts["labels"]["table_count"]) == 0
    assert [label for label in labels if count(label)] == []
