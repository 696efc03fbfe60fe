"""Made-up Vietnamese people for demo dossiers: names, CCCD numbers, phones, addresses.

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed gives the same
people. The shapes are real, the people are not:

- names are họ + tên đệm + tên with diacritics, family names weighted as they occur in
  Việt Nam (Nguyễn about a third);
- a CCCD number (Thông tư 07/2016/TT-BCA, 12 digits) is the code of the province where the
  birth was registered (3 digits), a century-and-sex digit (0/1: men/women born 1900-1999,
  2/3: 2000-2099), the last two digits of the birth year and 6 random digits;
- mobile numbers start with the carriers' real 10-digit prefixes (09x, 03x, 08x, 07x, 05x);
- addresses use real wards (phường/xã), districts (quận/huyện) and provinces, in the
  three-level form of documents issued before the 2025 reform of local government.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Sex = Literal["male", "female"]

PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}
"""Province codes that open a CCCD number (the place the birth was registered)."""

# Family names with rough shares (%) in the population; the rest share what is left.
_FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 4.0),
    ("Huỳnh", 2.0),
    ("Phan", 4.5),
    ("Vũ", 3.0),
    ("Võ", 2.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.8),
    ("Trịnh", 0.6),
    ("Đoàn", 0.6),
    ("Lương", 0.4),
    ("Mai", 0.4),
    ("Tạ", 0.3),
    ("Cao", 0.3),
    ("Lâm", 0.3),
)
_MIDDLE_NAMES: dict[Sex, tuple[str, ...]] = {
    "male": ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Xuân", "Hoàng", "Gia",
             "Anh", "Trọng", "Mạnh", "Tuấn", "Đình", "Ngọc", "Bảo", "Thành"),
    "female": ("Thị", "Ngọc", "Thu", "Thanh", "Phương", "Minh", "Hồng", "Kim", "Thùy", "Bảo",
               "Hải", "Mai", "Khánh", "Diệu", "Thị Thu", "Thị Ngọc", "Lan", "Quỳnh"),
}  # fmt: skip
_GIVEN_NAMES: dict[Sex, tuple[str, ...]] = {
    "male": ("An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng",
             "Huy", "Khánh", "Khoa", "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong",
             "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung",
             "Tú", "Tuấn", "Việt", "Vinh", "Vũ", "Đông", "Hưng", "Lâm", "Nhân", "Khải"),
    "female": ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền",
               "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
               "Phương", "Quỳnh", "Tâm", "Thảo", "Thơ", "Thủy", "Trang", "Trinh", "Uyên",
               "Vân", "Vy", "Yến", "Hiền", "Liên", "Nhi", "Tuyết", "Hồng", "Diệp"),
}  # fmt: skip

# Carriers' 10-digit mobile prefixes (Viettel, VinaPhone, MobiFone, Vietnamobile).
_MOBILE_PREFIXES = (
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039",
    "088", "091", "094", "081", "082", "083", "084", "085",
    "089", "090", "093", "070", "076", "077", "078", "079",
    "092", "056", "058",
)  # fmt: skip
_MAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "icloud.com")


@dataclass(frozen=True)
class Locality:
    """A ward or commune with its district and province."""

    ward: str
    """With its kind, as addresses write it: "phường Dịch Vọng", "xã Uy Nỗ"."""
    district: str
    """"quận Cầu Giấy", "huyện Đông Anh", "thành phố Vinh"."""
    province: str
    """"thành phố Hà Nội", "tỉnh Nghệ An"."""
    province_code: str
    """The province's CCCD code (:data:`PROVINCE_CODES`)."""
    streets: tuple[str, ...] = ()
    """Streets of the ward ("phố Trần Thái Tông"); villages (thôn) when empty."""

    @property
    def province_name(self) -> str:
        """The province without "thành phố"/"tỉnh", as certificates write ST: "Hà Nội"."""
        return PROVINCE_CODES[self.province_code]


def _hanoi(ward: str, district: str, *streets: str) -> Locality:
    return Locality(ward, district, "thành phố Hà Nội", "001", streets)


HOME_LOCALITIES: tuple[Locality, ...] = (
    _hanoi("phường Dịch Vọng", "quận Cầu Giấy", "phố Trần Thái Tông", "phố Xuân Thủy",
           "đường Cầu Giấy", "phố Tô Hiệu"),
    _hanoi("phường Dịch Vọng Hậu", "quận Cầu Giấy", "phố Duy Tân", "phố Trần Quốc Hoàn",
           "phố Nguyễn Phong Sắc"),
    _hanoi("phường Quan Hoa", "quận Cầu Giấy", "đường Cầu Giấy", "phố Nguyễn Khánh Toàn"),
    _hanoi("phường Nghĩa Đô", "quận Cầu Giấy", "đường Hoàng Quốc Việt", "phố Nguyễn Văn Huyên"),
    _hanoi("phường Trung Hòa", "quận Cầu Giấy", "đường Trần Duy Hưng", "phố Trung Kính"),
    _hanoi("phường Yên Hòa", "quận Cầu Giấy", "phố Trung Kính", "phố Nguyễn Khang"),
    _hanoi("phường Mai Dịch", "quận Cầu Giấy", "đường Hồ Tùng Mậu", "đường Phạm Văn Đồng"),
)  # fmt: skip
"""Where the demo desk's applicants mostly live: its own district."""

OTHER_LOCALITIES: tuple[Locality, ...] = (
    _hanoi("phường Láng Hạ", "quận Đống Đa", "phố Láng Hạ", "phố Thái Hà"),
    _hanoi("phường Kim Mã", "quận Ba Đình", "phố Kim Mã", "phố Nguyễn Thái Học"),
    _hanoi("phường Nhân Chính", "quận Thanh Xuân", "phố Hoàng Đạo Thúy", "phố Lê Văn Lương"),
    _hanoi("phường Mỹ Đình 1", "quận Nam Từ Liêm", "đường Lê Đức Thọ", "phố Hàm Nghi"),
    _hanoi("phường Xuân Đỉnh", "quận Bắc Từ Liêm", "đường Xuân Đỉnh"),
    _hanoi("phường Định Công", "quận Hoàng Mai", "phố Định Công"),
    _hanoi("xã Uy Nỗ", "huyện Đông Anh"),
    _hanoi("xã Đa Tốn", "huyện Gia Lâm"),
    Locality("phường Bến Nghé", "quận 1", "thành phố Hồ Chí Minh", "079",
             ("đường Lê Lợi", "đường Hai Bà Trưng")),
    Locality("phường Thạch Thang", "quận Hải Châu", "thành phố Đà Nẵng", "048",
             ("đường Lê Duẩn", "đường Bạch Đằng")),
    Locality("phường An Biên", "quận Lê Chân", "thành phố Hải Phòng", "031", ("phố Tô Hiệu",)),
    Locality("phường Hưng Bình", "thành phố Vinh", "tỉnh Nghệ An", "040",
             ("đường Lê Hồng Phong", "đường Nguyễn Văn Cừ")),
    Locality("phường Điện Biên", "thành phố Thanh Hóa", "tỉnh Thanh Hóa", "038",
             ("đường Lê Hoàn",)),
    Locality("xã Hải Bắc", "huyện Hải Hậu", "tỉnh Nam Định", "036"),
)  # fmt: skip
"""Elsewhere: since 2025 a desk accepts dossiers whatever the applicant's locality."""

_BIRTH_PROVINCES = ("001", "001", "001", "001", *PROVINCE_CODES)


@dataclass(frozen=True)
class Address:
    """A residence: house number and street (or village) in a locality."""

    house: str
    """"Số 12, ngõ 34 phố Trần Thái Tông" or "Thôn Đông"."""
    locality: Locality

    @property
    def line(self) -> str:
        """The full address on one line, as forms write it."""
        loc = self.locality
        return f"{self.house}, {loc.ward}, {loc.district}, {loc.province}"


@dataclass(frozen=True)
class Person:
    """A made-up citizen."""

    name: str
    """Full name with diacritics: "Nguyễn Thị Bảo Ngọc"."""
    family_name: str
    sex: Sex
    birth_date: date
    citizen_id: str
    """12-digit CCCD number."""
    phone: str
    email: str | None
    address: Address


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics: "Đặng Thị Ánh" -> "Dang Thi Anh"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str, max_length: int = 60) -> str:
    """ASCII, lower case, words joined by "-": "Tờ khai đăng ký" -> "to-khai-dang-ky"."""
    words = "".join(c if c.isalnum() else " " for c in ascii_fold(text).lower()).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > max_length:
            break
        out = candidate
    return out or "tep"


def family_name(rng: random.Random) -> str:
    """A family name (họ), weighted by how common it is."""
    names = [name for name, _ in _FAMILY_NAMES]
    weights = [share for _, share in _FAMILY_NAMES]
    return rng.choices(names, weights)[0]


def full_name(rng: random.Random, sex: Sex, family: str | None = None) -> tuple[str, str]:
    """Return (full name, family name): họ + tên đệm + tên."""
    family = family or family_name(rng)
    middle = rng.choice(_MIDDLE_NAMES[sex])
    given = rng.choice(_GIVEN_NAMES[sex])
    while given in middle.split():  # "Thị Ngọc Ngọc" is not a name
        given = rng.choice(_GIVEN_NAMES[sex])
    return f"{family} {middle} {given}", family


def citizen_id(rng: random.Random, sex: Sex, birth_date: date, province_code: str) -> str:
    """A 12-digit CCCD number consistent with the sex, birth year and birth province."""
    century = (birth_date.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    if not 0 <= century <= 9:
        raise ValueError(f"no CCCD century digit for {birth_date.year}")
    return f"{province_code}{century}{birth_date.year % 100:02d}{rng.randrange(10**6):06d}"


def mobile_phone(rng: random.Random) -> str:
    """A 10-digit mobile number."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def address(rng: random.Random, locality: Locality) -> Address:
    """A house in ``locality``: "Số 12, ngõ 34 đường X" in towns, "Thôn Y" in communes."""
    if not locality.streets:
        return Address(f"Thôn {rng.choice(('Đông', 'Đoài', 'Thượng', 'Hạ', 'Trung'))}", locality)
    street = rng.choice(locality.streets)
    number = rng.randint(1, 180)
    if rng.random() < 0.45:
        return Address(f"Số {number}, ngõ {rng.randint(2, 120)} {street}", locality)
    return Address(f"Số {number} {street}", locality)


def email(rng: random.Random, name: str, birth_date: date) -> str | None:
    """An e-mail made from the name, or ``None`` (a quarter of applicants give none)."""
    if rng.random() < 0.25:
        return None
    parts = ascii_fold(name).lower().split()
    local = rng.choice(
        (
            parts[-1] + "".join(p[0] for p in parts[:-1]),  # "annv"
            "".join(parts),  # "nguyenvanan"
            f"{parts[-1]}.{parts[0]}",  # "an.nguyen"
        )
    )
    suffix = rng.choice((f"{birth_date.year}", f"{birth_date.year % 100:02d}", ""))
    return f"{local}{suffix}@{rng.choice(_MAIL_DOMAINS)}"


def random_person(
    rng: random.Random,
    today: date,
    *,
    used_ids: set[str],
    sex: Sex | None = None,
    min_age: int = 18,
    max_age: int = 70,
    family: str | None = None,
    locality: Locality | None = None,
) -> Person:
    """A new person aged ``min_age`` to ``max_age`` on ``today``.

    ``used_ids`` holds the CCCD numbers already given out; the new one is added to it, so
    nobody shares a number. ``locality`` defaults to the desk's district mostly, elsewhere
    sometimes.
    """
    if sex is None:
        sex = "male" if rng.random() < 0.5 else "female"
    name, family = full_name(rng, sex, family)
    age_days = rng.randint(min_age * 365 + 30, max_age * 365 + 300)
    birth = today - timedelta(days=age_days)
    while True:
        number = citizen_id(rng, sex, birth, rng.choice(_BIRTH_PROVINCES))
        if number not in used_ids:
            used_ids.add(number)
            break
    if locality is None:
        pool = HOME_LOCALITIES if rng.random() < 0.8 else OTHER_LOCALITIES
        locality = rng.choice(pool)
    return Person(
        name=name,
        family_name=family,
        sex=sex,
        birth_date=birth,
        citizen_id=number,
        phone=mobile_phone(rng),
        email=email(rng, name, birth),
        address=address(rng, locality),
    )


def child_name(rng: random.Random, family: str, sex: Sex) -> str:
    """A newborn's name in the father's family (sometimes a two-word middle name)."""
    name, _ = full_name(rng, sex, family)
    if rng.random() < 0.3:
        extra = rng.choice(("Bảo", "Gia", "Minh", "An", "Khánh", "Ngọc"))
        parts = name.split()
        if extra not in parts:
            name = " ".join([parts[0], parts[1], extra, *parts[2:]])
    return name
