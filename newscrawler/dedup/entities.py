"""Names of countries and of places in Pakistan, in English and Urdu: what formulaic releases
differ in when they tell different stories.

"The Ambassador of Qatar to Pakistan meets COAS at GHQ" and "The Ambassador of Nepal to
Pakistan meets COAS at GHQ" differ in one word, as a republisher's rewording of one term does;
but a country or a place is never reworded into another. Each name is given in the forms
releases and republishers write it; forms of one name share its first form, the name itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newscrawler.dedup.fingerprint import TOKEN_RE, match_form

#: Each line: the forms of one name, separated by "|" (English, then Urdu).
NAMES = """
Pakistan|پاکستان
Afghanistan|افغانستان
Azerbaijan|آذربائیجان|آذربائجان
Bahrain|بحرین
Bangladesh|بنگلہ دیش
Belarus|بیلاروس
Brazil|برازیل
Britain|United Kingdom|UK|برطانیہ
Canada|کینیڈا
China|چین
Egypt|مصر
France|فرانس
Germany|جرمنی
India|بھارت
Indonesia|انڈونیشیا
Iran|ایران
Iraq|عراق
Italy|اٹلی
Japan|جاپان
Jordan|اردن
Kazakhstan|قازقستان
Kenya|کینیا
Kuwait|کویت
Kyrgyzstan|کرغزستان
Lebanon|لبنان
Libya|لیبیا
Malaysia|ملائیشیا
Maldives|مالدیپ
Morocco|مراکش
Myanmar|میانمار
Nepal|نیپال
Nigeria|نائیجیریا
Oman|عمان
Palestine|فلسطین
Qatar|قطر
Russia|روس
Saudi Arabia|KSA|سعودی عرب
Somalia|صومالیہ
South Africa|جنوبی افریقہ
South Korea|جنوبی کوریا
Sri Lanka|سری لنکا
Sudan|سوڈان
Syria
Tajikistan|تاجکستان
Thailand|تھائی لینڈ
Turkiye|Turkey|ترکیہ|ترکی
Turkmenistan|ترکمانستان
United Arab Emirates|UAE|متحدہ عرب امارات
United States|USA|امریکہ
Uzbekistan|ازبکستان
Yemen|یمن
Punjab|پنجاب
Sindh|سندھ
Balochistan|بلوچستان
Khyber Pakhtunkhwa|KP|KPK|خیبر پختونخوا
Gilgit Baltistan|گلگت بلتستان
Azad Kashmir|AJK|آزاد کشمیر
Islamabad|اسلام آباد
Rawalpindi|راولپنڈی
Lahore|لاہور
Karachi|کراچی
Peshawar|پشاور
Quetta|کوئٹہ
Multan|ملتان
Hyderabad|حیدرآباد
Faisalabad|فیصل آباد
Sialkot|سیالکوٹ
Gujranwala|گوجرانوالہ
Sargodha|سرگودھا
Bahawalpur|بہاولپور
Abbottabad|ایبٹ آباد
Mardan|مردان
Kohat|کوہاٹ
Swat|سوات
Dir
Chitral|چترال
Bajaur|باجوڑ
Mohmand|مہمند
Khyber|خیبر
Orakzai|اورکزئی
Kurram|کرم
North Waziristan|شمالی وزیرستان
South Waziristan|جنوبی وزیرستان
Bannu|بنوں
Lakki Marwat|لکی مروت
Tank|ٹانک
Dera Ismail Khan|DI Khan|D I Khan|ڈیرہ اسماعیل خان|ڈی آئی خان
Zhob|ژوب
Loralai|لورالائی
Sibi|سبی
Kalat|قلات
Kharan|خاران
Khuzdar|خضدار
Panjgur|پنجگور
Kech|کیچ
Turbat|تربت
Gwadar|گوادر
Awaran|آواران
Mastung|مستونگ
Nushki|نوشکی
Chagai|چاغی
Harnai|ہرنائی
Dera Bugti|ڈیرہ بگٹی
Kohlu|کوہلو
Gilgit|گلگت
Skardu|سکردو
Hunza|ہنزہ
Siachen|سیاچن
Kotli|کوٹلی
Muzaffarabad|مظفرآباد
Neelum Valley|وادی نیلم|نیلم ویلی
Leepa Valley|وادی لیپہ|وادی لیپا|لیپا ویلی
Thar|تھر
Badin|بدین
Sukkur|سکھر
Larkana|لاڑکانہ
"""

#: Words of a name at most.
LONGEST = 4


def _table(lines: Iterable[str]) -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for line in lines:
        forms = [form.strip() for form in line.split("|") if form.strip()]
        for form in forms:
            table[tuple(TOKEN_RE.findall(match_form(form)))] = forms[0]
    return table


#: Name forms as match words -> the name.
ENTITIES = _table(NAMES.strip().splitlines())


def entities(words: Sequence[str]) -> frozenset[str]:
    """The names in a sentence's match words, the longest form first where forms overlap."""
    found = set()
    start = 0
    while start < len(words):
        for size in range(min(LONGEST, len(words) - start), 0, -1):
            name = ENTITIES.get(tuple(words[start : start + size]))
            if name is not None:
                found.add(name)
                start += size
                break
        else:
            start += 1
    return frozenset(found)
