"""The words of the audit's reports and charts, Vietnamese (the default) and English.

Values in the exports stay the glossary's codes; these are for people reading a report.
"""

from __future__ import annotations

VERDICT_WORDS = {
    "valid": "Hợp lệ",
    "valid_with_warnings": "Hợp lệ, có lưu ý",
    "invalid": "Không hợp lệ",
    "indeterminate": "Chưa xác định được",
    "unsigned": "Chưa ký",
    "error": "Không đọc được",
    "not_checked": "Chưa kiểm tra",
}
DECISION_WORDS = {
    "accept": "Tiếp nhận",
    "request_supplement": "Yêu cầu bổ sung",
    "refuse": "Từ chối",
}
FILTER_WORDS = {
    **{code: word.lower() for code, word in VERDICT_WORDS.items()},
    "any": "mọi kết luận",
    "accepted_despite_problems": "tiếp nhận dù chữ ký có vấn đề",
    "changed_since_decision": "đã đổi từ khi quyết định",
    "file_changed_since_decision": "tệp khác tệp cán bộ đã xem khi quyết định",
}
"""The verdict filter's choices, as the PDF report's criteria line says them."""
_VERDICT_EN = {
    "valid": "Valid",
    "valid_with_warnings": "Valid, with warnings",
    "invalid": "Invalid",
    "indeterminate": "Indeterminate",
    "unsigned": "Unsigned",
    "error": "Unreadable",
    "not_checked": "Not checked",
}


def verdict_word(value: str, lang: str = "vi") -> str:
    """A verdict code (or ``not_checked``) in words; an unknown code as it is."""
    words = _VERDICT_EN if lang == "en" else VERDICT_WORDS
    return words.get(value, value)
