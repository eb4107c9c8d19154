"""Synthetic ISPR-style releases and their republications: the dedup's labelled set.

Every release is filled in from a template of its kind (visit, operation, call-on, exercise,
funeral, passing-out parade, condolence, inauguration, and the short formulaic ambassador,
minister and strike releases), in English or Urdu, with names, places and
numbers drawn from pools, and closed with the formulaic sentences that real releases share.
Each release is then republished by several sites with the edits republishers make (dateline,
reworded headline, dropped sentence, extra closing paragraph, "said an ISPR press release",
Arabic letter forms and Urdu digits). Hard negatives come in three kinds: *twins* (the same kind,
the same sentences and closings, differing only in some names, places or numbers), *formulaic
pairs* (short releases of one day, an ambassador's or a defence minister's call or a strike,
differing in one country or place only) and unrelated releases sharing the formulaic sentences.

The labelled set is ``labelled_set(seed)``: articles with the story they tell. The tests, the
threshold sweep and the benchmark all build on it.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from newscrawler.dates import ENGLISH_MONTHS, URDU_MONTHS

# -- Vocabulary ---------------------------------------------------------------------------------

EN_POOLS: dict[str, tuple[str, ...]] = {
    "chief": (
        "Chief of Army Staff General Syed Asim Munir",
        "Chairman Joint Chiefs of Staff Committee General Sahir Shamshad Mirza",
        "Chief of the Naval Staff Admiral Naveed Ashraf",
        "Chief of the Air Staff Air Chief Marshal Zaheer Ahmed Babar Sidhu",
        "Corps Commander Peshawar Lieutenant General Umar Ahmad Bokhari",
        "Corps Commander Quetta Lieutenant General Rahat Naseem Ahmed Khan",
        "Corps Commander Karachi Lieutenant General Babar Iftikhar",
        "Inspector General Frontier Corps Major General Abdul Samad",
    ),
    "place": (
        "North Waziristan",
        "South Waziristan",
        "Bajaur",
        "Khyber",
        "Kurram",
        "Zhob",
        "Gwadar",
        "Turbat",
        "Panjgur",
        "Kech",
        "Awaran",
        "Tank",
        "Lakki Marwat",
        "Bannu",
        "Dera Ismail Khan",
        "Mohmand",
        "Orakzai",
        "Chitral",
        "Siachen",
        "Leepa Valley",
        "Neelum Valley",
        "Kotli",
        "Skardu",
        "Gilgit",
        "Quetta",
        "Sibi",
        "Kalat",
        "Kharan",
    ),
    "formation": (
        "11 Corps",
        "12 Corps",
        "5 Corps",
        "10 Corps",
        "30 Corps",
        "31 Corps",
        "Frontier Corps",
        "Special Services Group",
        "Army Air Defence Command",
        "Strategic Forces Command",
    ),
    "country": (
        "Saudi Arabia",
        "Turkiye",
        "China",
        "Qatar",
        "Azerbaijan",
        "Uzbekistan",
        "Bahrain",
        "Jordan",
        "Egypt",
        "Indonesia",
        "Malaysia",
        "Sri Lanka",
        "Oman",
        "Kazakhstan",
    ),
    "guest": (
        "General Fayyadh bin Hamed Al-Ruwaili",
        "General Metin Gurak",
        "General Liu Zhenli",
        "Lieutenant General Salem bin Hamad Al-Nabet",
        "General Kerim Valiyev",
        "Major General Shukhrat Kholmukhamedov",
        "General Yousef Al-Hunaiti",
        "General Agus Subiyanto",
        "General Mohammad Hafizuddin Jantan",
    ),
    "officer": (
        "Lieutenant Colonel Muhammad Ali",
        "Major Adeel Zaman",
        "Captain Hasnain Akhtar",
        "Lieutenant Muhammad Hassan Arshad",
        "Naik Gul Ameer",
        "Sepoy Zahid Khan",
        "Havildar Muhammad Ashraf",
        "Lance Naik Muhammad Asif",
        "Sepoy Abdul Wali",
    ),
    "exercise": (
        "Al-Samsaam",
        "Ataturk",
        "Warrior",
        "Eternal Brotherhood",
        "Sea Guard",
        "Druzhba",
        "Al-Mohed Al-Hindi",
        "Kazybek Bi",
        "Fajar Al-Sharq",
        "Shaheen",
    ),
    "facility": (
        "Combined Military Hospital",
        "Army Public School",
        "cadet college",
        "water supply scheme",
        "vocational training centre",
        "community health centre",
        "sports complex",
        "solar-powered school",
        "dam",
        "highway section",
    ),
    "disaster": (
        "flash floods",
        "earthquake",
        "avalanche",
        "landslide",
        "cloudburst",
        "road accident",
        "building collapse",
        "bus accident",
    ),
}

UR_POOLS: dict[str, tuple[str, ...]] = {
    "chief": (
        "آرمی چیف جنرل سید عاصم منیر",
        "چیئرمین جوائنٹ چیفس آف اسٹاف کمیٹی جنرل ساحر شمشاد مرزا",
        "نیول چیف ایڈمرل نوید اشرف",
        "ایئر چیف مارشل ظہیر احمد بابر سدھو",
        "کور کمانڈر پشاور لیفٹیننٹ جنرل عمر احمد بخاری",
        "کور کمانڈر کوئٹہ لیفٹیننٹ جنرل راحت نسیم احمد خان",
        "کور کمانڈر کراچی لیفٹیننٹ جنرل بابر افتخار",
        "آئی جی ایف سی میجر جنرل عبدالصمد",
    ),
    "place": (
        "شمالی وزیرستان",
        "جنوبی وزیرستان",
        "باجوڑ",
        "خیبر",
        "کرم",
        "ژوب",
        "گوادر",
        "تربت",
        "پنجگور",
        "کیچ",
        "آواران",
        "ٹانک",
        "لکی مروت",
        "بنوں",
        "ڈیرہ اسماعیل خان",
        "مہمند",
        "اورکزئی",
        "چترال",
        "سیاچن",
        "لیپا ویلی",
        "نیلم ویلی",
        "کوٹلی",
        "سکردو",
        "گلگت",
        "کوئٹہ",
        "سبی",
        "قلات",
        "خاران",
    ),
    "formation": (
        "گیارہویں کور",
        "بارہویں کور",
        "پانچویں کور",
        "دسویں کور",
        "تیسویں کور",
        "اکتیسویں کور",
        "فرنٹیئر کور",
        "اسپیشل سروسز گروپ",
        "آرمی ایئر ڈیفنس کمانڈ",
        "اسٹریٹجک فورسز کمانڈ",
    ),
    "country": (
        "سعودی عرب",
        "ترکیہ",
        "چین",
        "قطر",
        "آذربائیجان",
        "ازبکستان",
        "بحرین",
        "اردن",
        "مصر",
        "انڈونیشیا",
        "ملائیشیا",
        "سری لنکا",
        "عمان",
        "قازقستان",
    ),
    "guest": (
        "جنرل فیاض بن حامد الرویلی",
        "جنرل میتن گوراک",
        "جنرل لیو ژینلی",
        "لیفٹیننٹ جنرل سالم بن حمد النابت",
        "جنرل کریم ولیئیف",
        "میجر جنرل شکرت خولمحمدوف",
        "جنرل یوسف الحنیطی",
        "جنرل آگس سبیانتو",
        "جنرل محمد حفیظ الدین جنتان",
    ),
    "officer": (
        "لیفٹیننٹ کرنل محمد علی",
        "میجر عدیل زمان",
        "کیپٹن حسنین اختر",
        "لیفٹیننٹ محمد حسن ارشد",
        "نائیک گل امیر",
        "سپاہی زاہد خان",
        "حوالدار محمد اشرف",
        "لانس نائیک محمد آصف",
        "سپاہی عبدالولی",
    ),
    "exercise": (
        "الصمصام",
        "اتاترک",
        "واریئر",
        "ابدی اخوت",
        "سی گارڈ",
        "دروزبا",
        "المحید الہندی",
        "قازبیک بی",
        "فجر الشرق",
        "شاہین",
    ),
    "facility": (
        "سی ایم ایچ",
        "آرمی پبلک اسکول",
        "کیڈٹ کالج",
        "واٹر سپلائی اسکیم",
        "ووکیشنل ٹریننگ سینٹر",
        "کمیونٹی ہیلتھ سینٹر",
        "اسپورٹس کمپلیکس",
        "سولر اسکول",
        "ڈیم",
        "شاہراہ کے حصے",
    ),
    "disaster": (
        "سیلاب",
        "زلزلے",
        "برفانی تودے",
        "لینڈ سلائیڈنگ",
        "کلاؤڈ برسٹ",
        "ٹریفک حادثے",
        "عمارت گرنے کے واقعے",
        "بس حادثے",
    ),
}

#: Number slots and their ranges (inclusive).
NUMBER_SLOTS: dict[str, tuple[int, int]] = {
    "killed": (2, 30),
    "martyred": (1, 6),
    "injured": (1, 12),
    "course": (140, 156),
    "cadets": (180, 720),
    "foreign_cadets": (10, 60),
    "weeks": (2, 6),
    "troops": (200, 1500),
    "day": (1, 28),
    "age": (21, 45),
    "km": (8, 140),
}

#: Month names as releases write them, in month order.
EN_MONTHS = tuple(name.title() for name in list(ENGLISH_MONTHS)[:12])
UR_MONTHS = tuple(
    next(name for name, number in URDU_MONTHS.items() if number == month) for month in range(1, 13)
)


@dataclass(frozen=True)
class Kind:
    """A kind of release: title and lead templates, detail sentences, formulaic closings."""

    name: str
    title: str
    lead: str
    details: tuple[str, ...]


EN_KINDS: tuple[Kind, ...] = (
    Kind(
        "visit",
        "{CHIEF_SHORT} VISITS {PLACE_UPPER}",
        "{chief} visited forward areas in {place} on {day} {month}.",
        (
            "On arrival, he was received by the commander of {formation}.",
            "He was given a detailed briefing on the security situation along the border and "
            "on the operational preparedness of the formation in {place}.",
            "He interacted with the troops deployed {km} kilometres from the border and lauded "
            "their high morale and professional competence.",
            "He also visited the wounded soldiers and appreciated the sacrifices of "
            "{officer} and his comrades.",
            "Later, he inaugurated the newly built {facility} for the local population.",
        ),
    ),
    Kind(
        "operation",
        "{KILLED} KHWARIJ KILLED IN {PLACE_UPPER}",
        "On {day} {month}, security forces conducted an intelligence based operation in "
        "{place} on the reported presence of khwarij belonging to Fitna al Khwarij.",
        (
            "During the conduct of the operation, own troops effectively engaged the khwarij "
            "location and, as a result, {killed} khwarij were sent to hell.",
            "Weapons, ammunition and explosives were also recovered from the killed khwarij, "
            "who remained actively involved in numerous terrorist activities.",
            "However, during the intense exchange of fire, {martyred} soldiers including "
            "{officer}, aged {age} years, having fought gallantly, embraced shahadat.",
            "{injured} soldiers were injured and evacuated to the Combined Military Hospital.",
            "The khwarij had been involved in attacks on security forces and killings of "
            "innocent civilians in {place}.",
        ),
    ),
    Kind(
        "call_on",
        "{GUEST_UPPER} CALLS ON {CHIEF_SHORT}",
        "{guest} from {country} called on the {chief} at the General Headquarters in "
        "Rawalpindi on {day} {month}.",
        (
            "During the meeting, matters of mutual interest, the regional security situation "
            "and defence cooperation between Pakistan and {country} were discussed.",
            "The visiting dignitary appreciated the achievements of Pakistan Army in the fight "
            "against terrorism and acknowledged its contributions to regional peace.",
            "Earlier, on arrival at the General Headquarters, the dignitary laid a floral "
            "wreath at the Yadgar-e-Shuhada and was presented a guard of honour.",
            "Both sides agreed to hold the next round of staff talks in {country} later this year.",
        ),
    ),
    Kind(
        "exercise",
        "EXERCISE {EXERCISE_UPPER} CONCLUDES",
        "The joint military exercise {exercise} between Pakistan and {country} concluded in "
        "{place} on {day} {month}.",
        (
            "Troops of {formation} and the special forces of {country} took part in the "
            "{weeks} weeks long exercise.",
            "The exercise focused on counter terrorism operations in mountainous terrain, "
            "hostage rescue drills and cordon and search operations.",
            "Around {troops} troops from both countries participated in the drills.",
            "The closing ceremony was attended by the {chief} as the chief guest.",
        ),
    ),
    Kind(
        "funeral",
        "FUNERAL PRAYERS OF {OFFICER_UPPER} OFFERED",
        "Funeral prayers of {officer}, who embraced shahadat in {place} on {day} {month}, "
        "were offered at the garrison mosque.",
        (
            "The funeral was attended by the {chief}, serving and retired officers, soldiers "
            "and the relatives of the shaheed.",
            "The shaheed, aged {age} years, was a resident of {place} and had served with "
            "{formation}.",
            "His mortal remains were later sent to his native town for burial with full "
            "military honours.",
            "He is survived by his parents, wife and {injured} children.",
        ),
    ),
    Kind(
        "parade",
        "PASSING OUT PARADE OF {COURSE}TH PMA LONG COURSE",
        "The passing out parade of the {course}th PMA Long Course was held at the Pakistan "
        "Military Academy Kakul on {day} {month}.",
        (
            "The {chief} was the chief guest and reviewed the parade.",
            "A total of {cadets} cadets passed out, including {foreign_cadets} cadets from "
            "{country} and other friendly countries.",
            "The chief guest congratulated the cadets and their parents on achieving this "
            "milestone.",
            "The coveted Sword of Honour was awarded to the battalion senior under officer.",
        ),
    ),
    Kind(
        "condolence",
        "{CHIEF_SHORT} GRIEVED OVER {DISASTER_UPPER} IN {PLACE_UPPER}",
        "The {chief} has expressed deep grief over the loss of precious lives in the "
        "{disaster} in {place} on {day} {month}.",
        (
            "At least {killed} people lost their lives and {injured} were injured.",
            "Army troops and helicopters have been dispatched to {place} to assist the civil "
            "administration in rescue and relief operations.",
            "Troops of {formation} evacuated stranded families to safer places {km} kilometres "
            "away.",
            "Medical camps have been established to provide first aid to the injured.",
        ),
    ),
    Kind(
        "inauguration",
        "{CHIEF_SHORT} INAUGURATES {FACILITY_UPPER} IN {PLACE_UPPER}",
        "The {chief} inaugurated the {facility} in {place} on {day} {month}.",
        (
            "The project was completed by {formation} in {weeks} months at a distance of {km} "
            "kilometres from the district headquarters.",
            "It will benefit more than {troops} families of the area.",
            "Local elders thanked Pakistan Army for the development of the area.",
            "The chief guest said that development of the far flung areas is a priority.",
        ),
    ),
    Kind(
        "ambassador",
        "AMBASSADOR OF {COUNTRY} CALLS ON {CHIEF_SHORT}",
        "The Ambassador of {country} to Pakistan called on the {chief} at the General "
        "Headquarters on {day} {month}.",
        (
            "Matters of mutual interest and the regional security situation were discussed "
            "during the meeting.",
            "The visiting dignitary appreciated the professionalism of Pakistan Army and its "
            "role in regional peace and stability.",
            "The {chief_short} said that Pakistan values its brotherly relations with {country}.",
        ),
    ),
    Kind(
        "minister",
        "DEFENCE MINISTER OF {COUNTRY} CALLS ON {CHIEF_SHORT}",
        "The Minister of Defence of {country} called on the {chief} at the General "
        "Headquarters on {day} {month}.",
        (
            "Matters of mutual interest, defence cooperation and the regional security "
            "situation were discussed during the meeting.",
            "The visiting dignitary appreciated the achievements of Pakistan Army in the fight "
            "against terrorism.",
            "Both sides agreed to further enhance the existing defence ties.",
        ),
    ),
    Kind(
        "strike",
        "{KILLED} TERRORISTS KILLED IN {PLACE_UPPER}",
        "{killed} terrorists were killed in an intelligence based operation in {place} on "
        "{day} {month}.",
        (
            "Security forces effectively engaged the hideout of the terrorists.",
            "Weapons and ammunition were also recovered from the killed terrorists.",
            "A clearance operation is being carried out to eliminate any other terrorist found "
            "in the area.",
        ),
    ),
)

UR_KINDS: tuple[Kind, ...] = (
    Kind(
        "visit",
        "{chief_short} کا {place} کا دورہ",
        "{chief} نے {day} {month} کو {place} میں اگلے مورچوں کا دورہ کیا۔",
        (
            "آمد پر {formation} کے کمانڈر نے ان کا استقبال کیا۔",
            "انہیں سرحد پر سکیورٹی کی صورتحال اور {place} میں فارمیشن کی آپریشنل تیاریوں پر "
            "تفصیلی بریفنگ دی گئی۔",
            "انہوں نے سرحد سے {km} کلومیٹر دور تعینات جوانوں سے ملاقات کی اور ان کے بلند حوصلے "
            "کو سراہا۔",
            "انہوں نے زخمی جوانوں کی عیادت کی اور {officer} اور ان کے ساتھیوں کی قربانیوں کو "
            "خراج تحسین پیش کیا۔",
            "بعد ازاں انہوں نے مقامی آبادی کے لیے نئے تعمیر شدہ {facility} کا افتتاح کیا۔",
        ),
    ),
    Kind(
        "operation",
        "{place} میں آپریشن، {killed} خوارج ہلاک",
        "سکیورٹی فورسز نے {day} {month} کو {place} میں فتنہ الخوارج سے تعلق رکھنے والے خوارج "
        "کی موجودگی کی اطلاع پر انٹیلیجنس بیسڈ آپریشن کیا۔",
        (
            "آپریشن کے دوران جوانوں نے خوارج کے ٹھکانے کو مؤثر انداز میں نشانہ بنایا جس کے "
            "نتیجے میں {killed} خوارج ہلاک ہو گئے۔",
            "ہلاک خوارج کے قبضے سے اسلحہ، گولہ بارود اور دھماکہ خیز مواد بھی برآمد ہوا جو متعدد "
            "دہشت گرد کارروائیوں میں ملوث تھے۔",
            "فائرنگ کے شدید تبادلے میں {officer} سمیت {martyred} جوانوں نے بہادری سے لڑتے ہوئے "
            "جام شہادت نوش کیا، شہید کی عمر {age} برس تھی۔",
            "{injured} جوان زخمی ہوئے جنہیں سی ایم ایچ منتقل کر دیا گیا۔",
            "یہ خوارج {place} میں سکیورٹی فورسز پر حملوں اور بے گناہ شہریوں کے قتل میں ملوث تھے۔",
        ),
    ),
    Kind(
        "call_on",
        "{country} کے {guest} کی {chief_short} سے ملاقات",
        "{country} کے {guest} نے {day} {month} کو جی ایچ کیو راولپنڈی میں {chief} سے ملاقات کی۔",
        (
            "ملاقات میں باہمی دلچسپی کے امور، علاقائی سلامتی کی صورتحال اور پاکستان اور "
            "{country} کے درمیان دفاعی تعاون پر تبادلہ خیال کیا گیا۔",
            "معزز مہمان نے دہشت گردی کے خلاف جنگ میں پاک فوج کی کامیابیوں اور علاقائی امن کے "
            "لیے اس کی خدمات کو سراہا۔",
            "جی ایچ کیو آمد پر معزز مہمان نے یادگار شہداء پر پھولوں کی چادر چڑھائی اور انہیں گارڈ "
            "آف آنر پیش کیا گیا۔",
            "دونوں جانب سے اسٹاف مذاکرات کا اگلا دور رواں سال {country} میں منعقد کرنے پر "
            "اتفاق کیا گیا۔",
        ),
    ),
    Kind(
        "exercise",
        "مشترکہ مشق {exercise} اختتام پذیر",
        "پاکستان اور {country} کے درمیان مشترکہ فوجی مشق {exercise} {day} {month} کو {place} "
        "میں اختتام پذیر ہو گئی۔",
        (
            "{formation} کے دستوں اور {country} کی اسپیشل فورسز نے {weeks} ہفتے جاری رہنے "
            "والی مشق میں حصہ لیا۔",
            "مشق میں پہاڑی علاقوں میں انسداد دہشت گردی آپریشنز، یرغمالیوں کی بازیابی اور گھیراؤ "
            "اور تلاشی کی کارروائیوں پر توجہ دی گئی۔",
            "مشق میں دونوں ممالک کے تقریباً {troops} جوانوں نے حصہ لیا۔",
            "اختتامی تقریب میں {chief} مہمان خصوصی تھے۔",
        ),
    ),
    Kind(
        "funeral",
        "{officer} کی نماز جنازہ ادا",
        "{day} {month} کو {place} میں جام شہادت نوش کرنے والے {officer} کی نماز جنازہ گیریژن "
        "مسجد میں ادا کر دی گئی۔",
        (
            "نماز جنازہ میں {chief}، حاضر سروس اور ریٹائرڈ افسران، جوانوں اور شہید کے لواحقین "
            "نے شرکت کی۔",
            "{age} سالہ شہید {place} کے رہائشی تھے اور {formation} میں خدمات انجام دے رہے تھے۔",
            "بعد ازاں شہید کی میت آبائی علاقے روانہ کر دی گئی جہاں انہیں پورے فوجی اعزاز کے ساتھ "
            "سپرد خاک کیا جائے گا۔",
            "شہید نے سوگواران میں والدین، بیوہ اور {injured} بچے چھوڑے ہیں۔",
        ),
    ),
    Kind(
        "parade",
        "{course} ویں پی ایم اے لانگ کورس کی پاسنگ آؤٹ پریڈ",
        "پاکستان ملٹری اکیڈمی کاکول میں {day} {month} کو {course} ویں پی ایم اے لانگ کورس کی "
        "پاسنگ آؤٹ پریڈ منعقد ہوئی۔",
        (
            "{chief} تقریب کے مہمان خصوصی تھے اور انہوں نے پریڈ کا معائنہ کیا۔",
            "مجموعی طور پر {cadets} کیڈٹس پاس آؤٹ ہوئے جن میں {country} اور دیگر دوست ممالک کے "
            "{foreign_cadets} کیڈٹس بھی شامل تھے۔",
            "مہمان خصوصی نے کیڈٹس اور ان کے والدین کو مبارکباد دی۔",
            "اعزازی شمشیر بٹالین سینئر انڈر آفیسر کو دی گئی۔",
        ),
    ),
    Kind(
        "condolence",
        "{chief_short} کا {place} میں {disaster} پر اظہار افسوس",
        "{chief} نے {day} {month} کو {place} میں {disaster} کے باعث قیمتی جانوں کے ضیاع پر "
        "گہرے دکھ کا اظہار کیا ہے۔",
        (
            "کم از کم {killed} افراد جاں بحق اور {injured} زخمی ہوئے۔",
            "امدادی کارروائیوں میں سول انتظامیہ کی مدد کے لیے فوجی دستے اور ہیلی کاپٹر {place} "
            "روانہ کر دیے گئے ہیں۔",
            "{formation} کے جوانوں نے پھنسے ہوئے خاندانوں کو {km} کلومیٹر دور محفوظ مقامات پر "
            "منتقل کیا۔",
            "زخمیوں کو ابتدائی طبی امداد دینے کے لیے میڈیکل کیمپ قائم کر دیے گئے ہیں۔",
        ),
    ),
    Kind(
        "inauguration",
        "{chief_short} نے {place} میں {facility} کا افتتاح کر دیا",
        "{chief} نے {day} {month} کو {place} میں {facility} کا افتتاح کیا۔",
        (
            "یہ منصوبہ {formation} نے {weeks} ماہ میں ضلعی ہیڈکوارٹر سے {km} کلومیٹر کے فاصلے "
            "پر مکمل کیا۔",
            "اس سے علاقے کے {troops} سے زائد خاندان مستفید ہوں گے۔",
            "مقامی عمائدین نے علاقے کی ترقی پر پاک فوج کا شکریہ ادا کیا۔",
            "مہمان خصوصی نے کہا کہ دور دراز علاقوں کی ترقی اولین ترجیح ہے۔",
        ),
    ),
    Kind(
        "ambassador",
        "{country} کے سفیر کی {chief_short} سے ملاقات",
        "پاکستان میں {country} کے سفیر نے {day} {month} کو جنرل ہیڈکوارٹرز میں {chief} سے ملاقات "
        "کی۔",
        (
            "ملاقات میں باہمی دلچسپی کے امور اور خطے کی سلامتی کی صورتحال پر تبادلہ خیال کیا گیا۔",
            "معزز مہمان نے پاک فوج کی پیشہ ورانہ مہارت اور خطے میں امن کے لیے اس کے کردار کو "
            "سراہا۔",
            "{chief_short} نے کہا کہ پاکستان {country} کے ساتھ اپنے برادرانہ تعلقات کو قدر کی نگاہ "
            "سے دیکھتا ہے۔",
        ),
    ),
    Kind(
        "minister",
        "{country} کے وزیر دفاع کی {chief_short} سے ملاقات",
        "{country} کے وزیر دفاع نے {day} {month} کو جنرل ہیڈکوارٹرز میں {chief} سے ملاقات کی۔",
        (
            "ملاقات میں باہمی دلچسپی کے امور، دفاعی تعاون اور خطے کی سلامتی کی صورتحال پر تبادلہ "
            "خیال کیا گیا۔",
            "معزز مہمان نے دہشت گردی کے خلاف جنگ میں پاک فوج کی کامیابیوں کو سراہا۔",
            "دونوں جانب سے موجودہ دفاعی تعلقات کو مزید فروغ دینے پر اتفاق کیا گیا۔",
        ),
    ),
    Kind(
        "strike",
        "{place} میں {killed} دہشت گرد ہلاک",
        "{place} میں {day} {month} کو انٹیلی جنس کی بنیاد پر آپریشن کے دوران {killed} دہشت گرد "
        "ہلاک ہو گئے۔",
        (
            "سکیورٹی فورسز نے دہشت گردوں کے ٹھکانے کو مؤثر انداز میں نشانہ بنایا۔",
            "ہلاک دہشت گردوں سے اسلحہ اور گولہ بارود بھی برآمد ہوا۔",
            "علاقے میں موجود دیگر دہشت گردوں کے خاتمے کے لیے کلیئرنس آپریشن جاری ہے۔",
        ),
    ),
)

#: Formulaic sentences many different releases end with.
EN_CLOSINGS = (
    "Sanitisation operation is being carried out to eliminate any other khwarij found in the area.",
    "Security forces of Pakistan are determined to wipe out the menace of terrorism from the "
    "country.",
    "Inter Services Public Relations said that the nation stands firmly with its armed forces.",
    "He lauded the high morale, professionalism and operational preparedness of the troops.",
    "Such sacrifices of our brave soldiers further strengthen our resolve.",
)
UR_CLOSINGS = (
    "آئی ایس پی آر کے مطابق علاقے میں موجود دیگر خوارج کے خاتمے کے لیے سینیٹائزیشن آپریشن جاری ہے۔",
    "آئی ایس پی آر کے مطابق سکیورٹی فورسز ملک سے دہشت گردی کے ناسور کے خاتمے کے لیے پرعزم ہیں۔",
    "آئی ایس پی آر کے مطابق پوری قوم اپنی مسلح افواج کے ساتھ کھڑی ہے۔",
    "انہوں نے جوانوں کے بلند حوصلے، پیشہ ورانہ مہارت اور آپریشنل تیاریوں کو سراہا۔",
    "بہادر جوانوں کی ایسی قربانیاں ہمارے عزم کو مزید مضبوط کرتی ہیں۔",
)

# -- What republishers do ------------------------------------------------------------------------

EN_DATELINES = (
    "RAWALPINDI, {mon} {day} (APP): ",
    "RAWALPINDI, {MON} {day} /DNA/ – ",
    "Rawalpindi: ",
    "ISLAMABAD (Staff Reporter): ",
    "Islamabad, {month} {day}: ",
    "RAWALPINDI: ",
)
UR_DATELINES = (
    "راولپنڈی: ",
    "اسلام آباد (نیوز ڈیسک) ",
    "راولپنڈی (نمائندہ خصوصی) ",
    "راولپنڈی (ویب ڈیسک) ",
    "اسلام آباد: ",
)
EN_ATTRIBUTIONS = (
    ", said an ISPR press release.",
    ", according to the Inter Services Public Relations (ISPR).",
    ", the military's media wing said.",
)
UR_ATTRIBUTIONS = ("آئی ایس پی آر کے مطابق ", "پاک فوج کے شعبہ تعلقات عامہ کے مطابق ")
EN_EXTRA_PARAGRAPHS = (
    "It is pertinent to mention here that Pakistan has witnessed a surge in terrorist attacks "
    "in the recent months, particularly in Khyber Pakhtunkhwa and Balochistan.",
    "Earlier this week, the Prime Minister had also chaired a meeting on the security situation "
    "and reaffirmed the government's support to the armed forces.",
    "Follow us on WhatsApp and Google News for the latest updates from across Pakistan.",
    "The Inter Services Public Relations is the media and public relations wing of the "
    "Pakistan Armed Forces.",
)
UR_EXTRA_PARAGRAPHS = (
    "یاد رہے کہ حالیہ مہینوں میں خیبر پختونخوا اور بلوچستان میں دہشت گردی کے واقعات میں اضافہ "
    "دیکھنے میں آیا ہے۔",
    "واضح رہے کہ وزیر اعظم نے بھی رواں ہفتے امن و امان کی صورتحال پر اجلاس کی صدارت کی تھی۔",
    "تازہ ترین خبروں کے لیے ہمارا واٹس ایپ چینل فالو کریں۔",
    "خیال رہے کہ آئی ایس پی آر پاک فوج کا شعبہ تعلقات عامہ ہے۔",
)
EN_SYNONYMS = (
    ("khwarij", "terrorists"),
    ("security forces", "troops"),
    ("embraced shahadat", "were martyred"),
    ("the General Headquarters", "GHQ"),
)
UR_SYNONYMS = (
    ("خوارج", "دہشت گرد"),
    ("جام شہادت نوش کیا", "شہید ہو گئے"),
    ("سکیورٹی فورسز", "سیکیورٹی فورسز"),
    ("جی ایچ کیو", "جنرل ہیڈکوارٹرز"),
)
#: Arabic letter forms and digits that copy-pasted Urdu carries.
UR_TYPOGRAPHY = str.maketrans(
    {
        "ی": "ي",
        "ک": "ك",
        "0": "۰",
        "1": "۱",
        "2": "۲",
        "3": "۳",
        "4": "۴",
        "5": "۵",
        "6": "۶",
        "7": "۷",
        "8": "۸",
        "9": "۹",
    }
)
EN_HEADLINES = (
    "{title_case}",
    "ISPR: {title_case}",
    "{title_case} - ISPR",
    "{title_upper}",
)
UR_HEADLINES = ("{title}", "آئی ایس پی آر: {title}", "{title}، آئی ایس پی آر", "{title} — تفصیلات")

SITES = (
    "dnanews",
    "pakobserver",
    "dailypakistan",
    "poslanews",
    "azaadurdu",
    "365news",
    "paktv",
    "theazb",
    "urdupoint",
    "nawaiwaqt",
    "express",
    "jang",
)

# -- Releases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """One generated release, and how to fill it again with other names and numbers."""

    story: str
    language: str
    kind: Kind
    details: tuple[int, ...]
    closings: tuple[int, ...]
    slots: dict[str, str] = field(hash=False)
    released: datetime = field(default=datetime(2025, 1, 1, tzinfo=UTC))

    @property
    def title(self) -> str:
        return self.kind.title.format_map(self._fill())

    @property
    def paragraphs(self) -> tuple[str, ...]:
        fill = self._fill()
        closings = EN_CLOSINGS if self.language == "en" else UR_CLOSINGS
        sentences = [
            self.kind.lead.format_map(fill),
            *(self.kind.details[i].format_map(fill) for i in self.details),
            *(closings[i] for i in self.closings),
        ]
        # Two sentences a paragraph, as releases are laid out.
        return tuple(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def _fill(self) -> dict[str, str]:
        fill = dict(self.slots)
        month = self.released.month - 1
        fill["month"] = (EN_MONTHS if self.language == "en" else UR_MONTHS)[month]
        fill["chief_short"] = _short_chief(fill["chief"], self.language)
        for name, value in list(fill.items()):
            fill[name.upper()] = value.upper()
        fill["CHIEF_SHORT"] = fill["chief_short"].upper()
        fill["PLACE_UPPER"] = fill["place"].upper()
        for slot in ("guest", "exercise", "officer", "disaster", "facility"):
            fill[f"{slot.upper()}_UPPER"] = fill[slot].upper()
        return fill


def _short_chief(chief: str, language: str) -> str:
    """The chief's office without the rank and name: the headline form."""
    ranks = EN_RANKS if language == "en" else UR_RANKS
    words = chief.split()
    first_rank = min((words.index(rank) for rank in ranks if rank in words), default=len(words))
    return " ".join(words[:first_rank]) or chief


EN_RANKS = ("General", "Admiral", "Air", "Lieutenant", "Major")
UR_RANKS = ("جنرل", "ایڈمرل", "ایئر", "مارشل", "لیفٹیننٹ", "میجر")


def new_release(rng: random.Random, story: str, language: str, released: datetime) -> Release:
    kinds = EN_KINDS if language == "en" else UR_KINDS
    kind = rng.choice(kinds)
    count = rng.randint(2, len(kind.details))
    details = tuple(sorted(rng.sample(range(len(kind.details)), count)))
    closings = tuple(sorted(rng.sample(range(len(EN_CLOSINGS)), rng.randint(0, 2))))
    return Release(story, language, kind, details, closings, _slots(rng, language), released)


#: Kinds of short releases that differ from one another in a name only.
FORMULAIC = frozenset({"ambassador", "minister", "strike"})
#: Slots that name a country or a place.
NAME_SLOTS = frozenset({"country", "place"})


def twin(rng: random.Random, release: Release, story: str) -> Release:
    """Another release of the same kind with the same sentences, differing only in names,
    places or numbers, as different events do: for a formulaic kind, one country or place
    only, on the same day; otherwise either only the day (the same visit on another date), or
    one name, place or number of the lead (who, where, when) and one or two more anywhere."""
    lead = _slots_in([release.kind.lead], release)
    used = _slots_in([release.kind.details[i] for i in release.details], release) | lead
    names = sorted(lead & NAME_SLOTS)
    if release.kind.name in FORMULAIC and names:
        # Formulaic releases of one day that differ in one name only.
        return replace(release, story=story, slots=_another(rng, release, [rng.choice(names)]))
    if rng.random() < 0.25:
        changed = ["day"]
    else:
        first = rng.choice(sorted(lead))
        others = sorted(used - {first})
        changed = [first, *rng.sample(others, min(len(others), rng.randint(1, 2)))]
    released = release.released + timedelta(days=rng.randint(1, 60))
    return replace(release, story=story, slots=_another(rng, release, changed), released=released)


def _another(rng: random.Random, release: Release, changed: list[str]) -> dict[str, str]:
    """The release's slots with other values in ``changed``."""
    slots = dict(release.slots)
    for slot in changed:
        fresh = _slots(rng, release.language)
        while fresh[slot] == release.slots[slot]:
            fresh = _slots(rng, release.language)
        slots[slot] = fresh[slot]
    return slots


def _slots_in(templates: list[str], release: Release) -> set[str]:
    return {
        name
        for template in templates
        for _, name, _, _ in string.Formatter().parse(template)
        if name and name in release.slots
    }


def _slots(rng: random.Random, language: str) -> dict[str, str]:
    pools = EN_POOLS if language == "en" else UR_POOLS
    slots = {name: rng.choice(values) for name, values in pools.items()}
    slots.update({name: str(rng.randint(*bounds)) for name, bounds in NUMBER_SLOTS.items()})
    return slots


# -- Republication -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One published copy of a release on one site: the labelled set's unit."""

    story: str
    site: str
    language: str
    url: str
    title: str
    body: str
    published_at: datetime
    edits: tuple[str, ...] = ()


def original(release: Release, *, site: str = "ispr") -> Article:
    return Article(
        story=release.story,
        site=site,
        language=release.language,
        url=f"https://{site}.example/release/{release.story}",
        title=release.title,
        body=release.body,
        published_at=release.released,
    )


def republish(rng: random.Random, release: Release, site: str, *, slug: str) -> Article:
    """A copy of ``release`` on ``site`` with one to four of the edits republishers make."""
    edits = rng.sample(list(EDITS), rng.randint(1, 4))
    sentences = [list(_sentences(p, release.language)) for p in release.paragraphs]
    title = release.title
    for edit in sorted(edits, key=list(EDITS).index):
        title, sentences = EDITS[edit](rng, release, title, sentences)
    body = "\n\n".join(" ".join(paragraph) for paragraph in sentences if paragraph)
    if "typography" in edits:
        title, body = _retype(title, release.language), _retype(body, release.language)
    hours = rng.randint(1, 30)
    return Article(
        story=release.story,
        site=site,
        language=release.language,
        url=f"https://{site}.example/{slug}",
        title=title,
        body=body,
        published_at=release.released + timedelta(hours=hours),
        edits=tuple(sorted(edits)),
    )


Sentences = list[list[str]]


def _sentences(paragraph: str, language: str) -> Iterator[str]:
    end = ". " if language == "en" else "۔ "
    parts = paragraph.split(end)
    for part in parts[:-1]:
        yield part + end.strip()
    yield parts[-1]


def _dateline(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    day, month = release.released.day, EN_MONTHS[release.released.month - 1]
    forms = EN_DATELINES if release.language == "en" else UR_DATELINES
    dateline = rng.choice(forms).format(
        day=f"{day:02d}", mon=month[:3], MON=month[:3].upper(), month=month
    )
    s[0][0] = dateline + s[0][0]
    return title, s


def _headline(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    if release.language == "en":
        form = rng.choice(EN_HEADLINES)
        return form.format(title_case=title.title(), title_upper=title.upper()), s
    return rng.choice(UR_HEADLINES).format(title=title), s


def _drop_sentence(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    places = [(p, i) for p, para in enumerate(s) for i in range(len(para)) if (p, i) != (0, 0)]
    if len(places) >= 3:
        p, i = rng.choice(places)
        del s[p][i]
    return title, s


def _extra_paragraph(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    extras = EN_EXTRA_PARAGRAPHS if release.language == "en" else UR_EXTRA_PARAGRAPHS
    s.append([rng.choice(extras)])
    return title, s


def _attribution(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    p = rng.randrange(len(s))
    if release.language == "en":
        last = s[p][-1]
        if last.endswith("."):
            s[p][-1] = last[:-1] + rng.choice(EN_ATTRIBUTIONS)
    else:
        s[p][0] = rng.choice(UR_ATTRIBUTIONS) + s[p][0]
    return title, s


def _synonym(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    pairs = EN_SYNONYMS if release.language == "en" else UR_SYNONYMS
    for old, new in rng.sample(pairs, len(pairs)):
        word = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
        if any(word.search(sentence) for para in s for sentence in para):
            return title, [[word.sub(new, sentence) for sentence in para] for para in s]
    return title, s


def _regroup(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    """One sentence a paragraph, as many sites lay releases out."""
    return title, [[sentence] for para in s for sentence in para]


def _typography(rng: random.Random, release: Release, title: str, s: Sentences) -> Edit:
    """Applied to the whole text at the end: see ``_retype``."""
    return title, s


def _retype(text: str, language: str) -> str:
    """Arabic letters and digits in Urdu; no-break spaces and curly quotes in English."""
    if language == "ur":
        return text.translate(UR_TYPOGRAPHY)
    return text.replace(", ", ",\u00a0").replace("'", "\u2019")


Edit = tuple[str, Sentences]

EDITS = {
    "synonym": _synonym,
    "attribution": _attribution,
    "drop_sentence": _drop_sentence,
    "extra_paragraph": _extra_paragraph,
    "regroup": _regroup,
    "dateline": _dateline,
    "headline": _headline,
    "typography": _typography,
}

# -- The labelled set ---------------------------------------------------------------------------


def releases(
    count: int, *, seed: int = 1, twin_share: float = 0.3, start: datetime | None = None
) -> list[Release]:
    """``count`` releases, half in Urdu, ``twin_share`` of them twins of an earlier one."""
    rng = random.Random(seed)
    start = start or datetime(2025, 1, 1, 9, tzinfo=UTC)
    made: list[Release] = []
    by_language: dict[str, list[Release]] = {"en": [], "ur": []}
    bodies: set[str] = set()
    for n in range(count):
        story = f"s{seed}-{n}"
        language = "en" if n % 2 == 0 else "ur"
        same_language = by_language[language]
        if same_language and rng.random() < twin_share:
            release = twin(rng, rng.choice(same_language), story)
            while release.body in bodies:  # a twin of a twin back to an earlier text
                release = twin(rng, rng.choice(same_language), story)
        else:
            released = start + timedelta(hours=rng.randint(0, 24 * 365))
            release = new_release(rng, story, language, released)
        bodies.add(release.body)
        made.append(release)
        same_language.append(release)
    return made


def copies(rng: random.Random, release: Release, count: int) -> list[Article]:
    """The original and ``count`` republications on distinct sites."""
    sites = rng.sample(SITES, count)
    return [original(release)] + [
        republish(rng, release, site, slug=f"{release.story}-{n}") for n, site in enumerate(sites)
    ]


def labelled_set(
    stories: int = 240, *, seed: int = 1, min_copies: int = 2, max_copies: int = 5
) -> list[Article]:
    """Articles of ``stories`` releases, each with its original and a few republications."""
    rng = random.Random(seed + 1)
    articles = [
        article
        for release in releases(stories, seed=seed)
        for article in copies(rng, release, rng.randint(min_copies, max_copies))
    ]
    rng.shuffle(articles)
    return articles
