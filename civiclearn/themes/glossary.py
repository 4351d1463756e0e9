"""The course's own words, written by people, in Thai and English (and common spellings): each group of words
counts as one term, so that a Thai comment and an English one about the same thing meet in one theme.

This is a word list kept by hand, not machine translation: a word missing here still counts, on its own. Add a
line when staff see a theme split in two by language; the first word of each language is the one shown.
"""

TERMS: dict[str, tuple[str, ...]] = {
    "quiz": ("quiz", "quizzes", "test", "exam", "แบบทดสอบ", "ข้อสอบ", "ควิซ"),
    "hard": ("hard", "difficult", "tough", "tricky", "ยาก"),
    "easy": ("easy", "easier", "ง่าย"),
    "question": ("question", "questions", "คำถาม"),
    "font": ("font", "letters", "text", "ตัวหนังสือ", "ตัวอักษร", "ฟอนต์"),
    "small": ("small", "tiny", "เล็ก"),
    "big": ("big", "bigger", "larger", "ใหญ่", "ขยาย"),
    "read": ("read", "reading", "อ่าน"),
    "scam": ("scam", "scams", "scammer", "fraud", "fake", "มิจฉาชีพ", "หลอกลวง", "หลอก", "โกง"),
    "practice": ("practice", "practise", "practising", "practicing", "exercise", "แบบฝึกหัด", "ฝึก", "แบบฝึก"),
    "love": ("love", "loved", "enjoyed", "like", "ชอบ"),
    "report": ("report", "reported", "แจ้ง", "ร้องเรียน"),
    "traffy": ("traffy", "fondue", "ทราฟฟี่", "ฟองดูว์"),
    "fixed": ("fixed", "fix", "repaired", "solved", "แก้ไข", "แก้", "ซ่อม"),
    "fast": ("fast", "quick", "quickly", "เร็ว", "ไว"),
    "lgo": ("อบต.", "อบต", "อบจ.", "อบจ", "sao", "tao", "pao", "เทศบาล", "municipality", "municipal"),
    "answer": ("answer", "answered", "reply", "respond", "responded", "response", "คำตอบ", "ตอบ", "ตอบกลับ"),
    "video": ("video", "clip", "วิดีโอ", "วีดีโอ", "คลิป"),
    "sound": ("sound", "audio", "เสียง", "มีเสียง"),
    "hear": ("hear", "ได้ยิน"),
    "sign out": ("signed out", "sign out", "signing out", "logged out", "log out", "logging out", "logs out",
                 "signed", "signing", "logged", "logging", "logs", "ออกจากระบบ"),
    "kiosk": ("kiosk", "คีออสก์", "ตู้คีออสก์"),
    "trainer": ("trainer", "teacher", "ครู", "ครูพี่เลี้ยง"),
    "kind": ("kind", "kindly", "patient", "patiently", "ใจดี", "ใจเย็น"),
    "help": ("help", "helped", "helpful", "ช่วย", "ช่วยเหลือ"),
    "phone": ("phone", "mobile", "มือถือ", "โทรศัพท์"),
    # What civic action notes are about: the problems people report and where they take part.
    "road": ("road", "roads", "street", "pothole", "potholes", "ถนน", "หลุม", "ทางเท้า"),
    "light": ("light", "lights", "streetlight", "lamp", "ไฟถนน", "ไฟทาง", "ไฟ", "เสาไฟ"),
    "rubbish": ("rubbish", "garbage", "trash", "waste", "ขยะ"),
    "water": ("water", "pipe", "pipes", "flood", "flooding", "drain", "น้ำ", "ประปา", "ท่อ", "น้ำท่วม"),
    "forum": ("forum", "hearing", "meeting", "ประชาคม", "เวที", "ประชุม"),
    "plan": ("plan", "plans", "แผน", "แผนพัฒนา"),
    "budget": ("budget", "money", "งบ", "งบประมาณ"),
    "slow": ("slow", "slowly", "long", "ช้า", "นาน"),
    "wait": ("wait", "waiting", "waited", "รอ"),
    "headman": ("headman", "kamnan", "ผู้ใหญ่บ้าน", "กำนัน"),
}

# Words the Thai dictionary lacks, so the tokenizer keeps them whole (an abbreviation, a brand in Thai letters).
THAI_WORDS = frozenset({"อบต", "อบต.", "อบจ", "อบจ.", "ทราฟฟี่", "ฟองดูว์", "คีออสก์", "ออกจากระบบ", "ครูพี่เลี้ยง",
                        "แบบฝึก", "ตอบกลับ"})
