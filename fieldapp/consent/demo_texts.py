"""The demo study's consent text in the six interface languages."""

INFORMATION = {
    "nl": (
        "Wij zijn bewoners van Heerlen-Noord. We doen onderzoek voor het programmabureau.\n"
        "We willen weten waar mensen in de buurt elkaar ontmoeten, en wat hen tegenhoudt.\n"
        "Het gesprek duurt ongeveer twintig minuten. Meedoen is vrij.\n"
        "Uw naam komt nergens in het onderzoek. We bewaren uw antwoorden twee jaar.\n"
        "U kunt altijd stoppen, ook later. Dat kan met de code op uw kaart.\n"
        "Vragen? Mail naar onderzoek@example.nl."
    ),
    "en": (
        "We are residents of Heerlen-Noord. We do research for the programme office.\n"
        "We want to know where people in the neighbourhood meet, and what stops them.\n"
        "The talk takes about twenty minutes. Taking part is your choice.\n"
        "Your name is never in the research. We keep your answers for two years.\n"
        "You can stop at any time, also later. Use the code on your card.\n"
        "Questions? Write to onderzoek@example.nl."
    ),
    "ar": (
        "نحن سكان من هيرلن الشمالية. نقوم ببحث لمكتب البرنامج.\n"
        "نريد أن نعرف أين يلتقي الناس في الحي، وما الذي يمنعهم.\n"
        "تستغرق المحادثة حوالي عشرين دقيقة. المشاركة اختيارية.\n"
        "اسمك لن يظهر في البحث. نحتفظ بإجاباتك لمدة سنتين.\n"
        "يمكنك التوقف في أي وقت، حتى لاحقًا. استخدم الرمز الموجود على بطاقتك.\n"
        "أسئلة؟ راسلنا على onderzoek@example.nl."
    ),
    "tr": (
        "Biz Heerlen-Noord sakinleriyiz. Program ofisi için araştırma yapıyoruz.\n"
        "Mahalledeki insanların nerede buluştuğunu ve onları neyin engellediğini öğrenmek "
        "istiyoruz.\n"
        "Görüşme yaklaşık yirmi dakika sürer. Katılmak sizin seçiminiz.\n"
        "Adınız araştırmada hiçbir yerde geçmez. Cevaplarınızı iki yıl saklarız.\n"
        "İstediğiniz zaman, daha sonra da bırakabilirsiniz. Kartınızdaki kodu kullanın.\n"
        "Sorular? onderzoek@example.nl adresine yazın."
    ),
    "pl": (
        "Jesteśmy mieszkańcami Heerlen-Noord. Prowadzimy badanie dla biura programu.\n"
        "Chcemy wiedzieć, gdzie ludzie w dzielnicy się spotykają i co im w tym przeszkadza.\n"
        "Rozmowa trwa około dwudziestu minut. Udział jest dobrowolny.\n"
        "Twoje imię nie pojawi się w badaniu. Odpowiedzi przechowujemy przez dwa lata.\n"
        "Możesz zrezygnować w każdej chwili, także później. Użyj kodu z karty.\n"
        "Pytania? Napisz na onderzoek@example.nl."
    ),
    "uk": (
        "Ми мешканці Геерлен-Норд. Ми проводимо дослідження для бюро програми.\n"
        "Ми хочемо знати, де люди в районі зустрічаються і що їм заважає.\n"
        "Розмова триває близько двадцяти хвилин. Участь добровільна.\n"
        "Ваше ім'я ніде не буде в дослідженні. Ми зберігаємо відповіді два роки.\n"
        "Ви можете припинити будь-коли, також пізніше. Використайте код на картці.\n"
        "Питання? Пишіть на onderzoek@example.nl."
    ),
}

LABELS = {
    "nl": {
        "take_part": "Ik doe mee aan dit onderzoek.",
        "audio": "Het gesprek mag worden opgenomen.",
        "quote": "Mijn woorden mogen zonder mijn naam in het verslag staan.",
        "photo": "Er mogen foto's worden gemaakt waarop ik te zien ben.",
        "recontact": "Ik wil de uitkomsten ontvangen.",
        "reuse": "Mijn antwoorden mogen zonder naam voor ander onderzoek worden gebruikt.",
    },
    "en": {
        "take_part": "I take part in this study.",
        "audio": "The talk may be recorded.",
        "quote": "My words may be in the report without my name.",
        "photo": "Photos may be taken that show me.",
        "recontact": "I want to receive the results.",
        "reuse": "My answers may be used for other research, without my name.",
    },
    "ar": {
        "take_part": "أشارك في هذا البحث.",
        "audio": "يمكن تسجيل المحادثة.",
        "quote": "يمكن أن تظهر كلماتي في التقرير بدون اسمي.",
        "photo": "يمكن التقاط صور أظهر فيها.",
        "recontact": "أريد أن أحصل على النتائج.",
        "reuse": "يمكن استخدام إجاباتي في بحث آخر بدون اسمي.",
    },
    "tr": {
        "take_part": "Bu araştırmaya katılıyorum.",
        "audio": "Görüşme kaydedilebilir.",
        "quote": "Sözlerim raporda adım olmadan yer alabilir.",
        "photo": "Beni gösteren fotoğraflar çekilebilir.",
        "recontact": "Sonuçları almak istiyorum.",
        "reuse": "Cevaplarım adım olmadan başka araştırmalarda kullanılabilir.",
    },
    "pl": {
        "take_part": "Biorę udział w tym badaniu.",
        "audio": "Rozmowa może być nagrywana.",
        "quote": "Moje słowa mogą znaleźć się w raporcie bez mojego imienia.",
        "photo": "Można robić zdjęcia, na których mnie widać.",
        "recontact": "Chcę otrzymać wyniki.",
        "reuse": "Moje odpowiedzi mogą być użyte w innych badaniach, bez mojego imienia.",
    },
    "uk": {
        "take_part": "Я беру участь у цьому дослідженні.",
        "audio": "Розмову можна записувати.",
        "quote": "Мої слова можуть бути у звіті без мого імені.",
        "photo": "Можна робити фото, на яких мене видно.",
        "recontact": "Я хочу отримати результати.",
        "reuse": "Мої відповіді можна використати в іншому дослідженні, без мого імені.",
    },
}
