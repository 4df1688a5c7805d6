"""Person names found by rules over Sudachi tokens.

A run of 人名-tagged tokens, completed by dot-joined foreign parts and
half-tagged kanji names, is a name when there is evidence for it: an
honorific or title after it, a role word before it, or a phrase boundary.
"""

from __future__ import annotations

from nlp.pii.kanji_names import extend_kanji_name, hanzi_name
from nlp.pii.lexicon import (
    CUES,
    DOTS,
    HONORIFICS,
    INITIAL_RE,
    KANJI_RE,
    PERSON_TITLES,
    PLACE_OFFICES,
    ROLES,
    TITLES,
    ends_phrase,
    is_katakana,
    is_name,
    katakana_kind,
)
from nlp.pii.scan import TokenScan, scan_tokens
from nlp.pii.spans import PiiSpan
from nlp.pipeline import Token, dictionary_entries, only_person_name

_CASE_PARTICLES = frozenset("は が を に と も の へ や".split())
_FOREIGN_NEXT = frozenset("は が を に と の も や".split())
_SUBJECT_MARKERS = frozenset(("は", "が"))
# A name-tagged run before these names a place (戸塚安行駅, 青木町公園).
_PLACE_AFTER = frozenset("駅 線 通り 公園 橋 団地 小学校 中学校 高校 町 市 区 村 郡 県".split())
_BRACKET_OPEN = frozenset("(（")
_BRACKET_CLOSE = frozenset(")）")
_CONTACT_LABELS = frozenset(("担当", "担当者", "氏名", "名前"))
_INTRO_BEFORE = frozenset(("の", "、", "は", "私", "僕", "、", "，"))


def name_spans(tokens: list[Token], scan: TokenScan | None = None) -> list[PiiSpan]:
    scan = scan if scan is not None else scan_tokens(tokens)
    spans, i = [], 0
    for start in scan.starts:
        if start < i or start >= len(tokens):
            continue
        i, j = _name_run(tokens, start)
        run = tokens[i:j]
        after = tokens[j] if j < len(tokens) else None
        if (
            run
            and (after is None or after.surface not in _PLACE_AFTER)
            and (_accept_name(run, after) or _after_role(tokens, i) and ends_phrase(after))
        ):
            spans.append(PiiSpan(run[0].start, run[-1].end, "person"))
        elif (
            not run
            and i
            and (
                _cued_word(tokens[i - 1], after)
                or len(tokens[i - 1].surface) > 2
                and _lone_foreign_name(tokens, i - 1, after)
            )
        ):
            spans.append(PiiSpan(tokens[i - 1].start, tokens[i - 1].end, "person"))
        i = max(j, i + 1)
    spans += _introduced(tokens, spans, scan.particles)
    return spans + _repeated_parts(tokens, spans) if spans else spans


def _surname_like(token: Token) -> bool:
    """A word Sudachi's dictionary knows as a person's name (森, 松本 as 姓)."""
    return (
        token.pos[0] == "名詞"
        and not token.surface.isascii()
        and (is_name(token) or any(pos[2] == "人名" for pos in dictionary_entries(token.surface)))
    )


def _introduced(tokens: list[Token], spans: list[PiiSpan], particles: list[int]) -> list[PiiSpan]:
    """A writer's own lone surname before と申します (学生の森と申します);
    ``particles`` are the positions of と."""
    out = []
    for k in particles:
        n = k - 1
        if n < 1 or k + 1 >= len(tokens) or tokens[k + 1].norm != "申す":
            continue
        token = tokens[n]
        if (
            _surname_like(token)
            and tokens[n - 1].surface in _INTRO_BEFORE
            and not any(s.start <= token.start < s.end for s in spans)
        ):
            out.append(PiiSpan(token.start, token.end, "person"))
    return out


def contact_names(tokens: list[Token], contact_ends: set[int]) -> list[PiiSpan]:
    """A lone name in brackets right after a phone number or an e-mail:
    080-9876-5432（松本）, 090-1111-2222 (大西), （担当 大塚）."""
    out = []
    for n, token in enumerate(tokens):
        if token.surface not in _BRACKET_OPEN:
            continue
        if not (
            token.start in contact_ends or n and tokens[n - 1].pos[0] == "空白" and tokens[n - 1].start in contact_ends
        ):
            continue
        k = n + 1
        if k < len(tokens) and tokens[k].surface in _CONTACT_LABELS:
            k += 1
            while k < len(tokens) and (tokens[k].pos[0] == "空白" or tokens[k].surface in (":", "：")):
                k += 1
        m = k
        while m < len(tokens) and m - k < 3 and (_surname_like(tokens[m]) or m > k and tokens[m].pos[0] == "空白"):
            m += 1
        if m > k and m < len(tokens) and tokens[m].surface in _BRACKET_CLOSE and tokens[m - 1].pos[0] != "空白":
            out.append(PiiSpan(tokens[k].start, tokens[m - 1].end, "person"))
    return out


def _repeated_parts(tokens: list[Token], spans: list[PiiSpan]) -> list[PiiSpan]:
    """Find a name part again on its own (ベニー・ムルダニ … ムルダニは)."""
    parts, inside, k = set(), set(), 0
    for n, token in enumerate(tokens):
        while k < len(spans) and spans[k].end <= token.start:
            k += 1
        if k < len(spans) and spans[k].start <= token.start:
            inside.add(n)
            if len(token.surface) >= 2 and (is_name(token) or _foreign_word(token)):
                parts.add(token.surface)
    return [
        PiiSpan(t.start, t.end, "person")
        for n, t in enumerate(tokens)
        if t.surface in parts and n not in inside and _alone(tokens, n)
    ]


def _subject(tokens: list[Token], n: int) -> bool:
    """An unknown foreign word as the subject of a clause (ムルダニは…)."""
    return (
        n + 1 < len(tokens)
        and tokens[n + 1].surface in _SUBJECT_MARKERS
        and len(tokens[n].surface) <= 7
        and (
            n == 0
            or tokens[n - 1].pos[0] in ("補助記号", "助詞", "助動詞", "動詞")
            and tokens[n - 1].surface not in DOTS
        )
    )


def _alone(tokens: list[Token], n: int) -> bool:
    """A word followed by a particle or a comma, not inside a dotted name."""
    after = tokens[n + 1] if n + 1 < len(tokens) else None
    return (after is None or after.pos[0] == "助詞" or after.surface in "、。") and not (
        n and tokens[n - 1].surface in DOTS
    )


def _name_run(tokens: list[Token], i: int) -> tuple[int, int]:
    """Return the name-tagged run at i, completed by foreign and kanji parts."""
    j = i
    while j < len(tokens) and (is_name(tokens[j]) or _joins_name(tokens, j, i)):
        j += 1
    if j == i:
        # Cheap tests first: this runs for every untagged token.
        if _dotted_katakana(tokens, i):
            j = i + 1  # Untagged foreign names (ヴェリミール・フレーブニコフ).
        elif len(tokens[i].surface) == 1 and tokens[i].pos[1] == "普通名詞":
            return i, hanzi_name(tokens, i)
        else:
            return i, i
    i, j = _extend_foreign(tokens, i, j)
    if j > i and j + 1 < len(tokens) and tokens[j].pos[1] == "数詞" and tokens[j + 1].surface == "世":
        j += 2  # A regnal number (ラムセス2世, ナポレオン三世).
    return extend_kanji_name(tokens, i, j)


def _cued_word(word: Token, after: Token | None) -> bool:
    """An untagged word before an honorific, or a proper noun before a title.

    Sudachi tags many surnames as places (岡田社長, 伊東博士), but a place
    before a local office is the office's place (千葉市長), so those stay out.
    """
    # Cheap cue test first: this runs for every untagged token.
    if after is None or after.surface not in CUES or not _name_like(word):
        return False
    if after.surface in HONORIFICS:
        return True
    return (
        (word.pos[1] == "固有名詞" or _foreign_word(word))
        and word.pos[3] != "国"
        and after.surface in PERSON_TITLES
        and not (word.pos[2] == "地名" and after.surface in PLACE_OFFICES)
    )


def _foreign_word(token: Token) -> bool:
    """A katakana word Sudachi does not know (see katakana_kind)."""
    return token.pos[0] == "名詞" and katakana_kind(token.surface) == 2


def _lone_foreign_name(tokens: list[Token], n: int, after: Token | None) -> bool:
    """A lone katakana name Sudachi did not tag: one known only as a name
    (ナーセルに), or an unknown word after a role word or as a subject."""
    if tokens[n].pos[0] != "名詞":
        return False
    kind = katakana_kind(tokens[n].surface)
    if kind == 1:
        return _alone(tokens, n)
    return kind == 2 and ends_phrase(after) and (_after_role(tokens, n) or _subject(tokens, n))


def _foreign_name_part(token: Token) -> bool:
    return (
        token.surface in DOTS
        or _foreign_word(token)
        or any(pos[2] == "人名" for pos in dictionary_entries(token.surface))
    )


def _foreign_part(token: Token) -> bool:
    # Middle initials and suffixes sit between katakana parts (ジョン・F・ケネディ).
    return is_katakana(token) or bool(INITIAL_RE.fullmatch(token.surface))


def _dotted_katakana(tokens: list[Token], i: int) -> bool:
    # Cheap dot test first: this runs for every untagged token.
    return (
        i + 2 < len(tokens)
        and tokens[i + 1].surface in DOTS
        and is_katakana(tokens[i])
        and _foreign_part(tokens[i + 2])
    )


def _extend_foreign(tokens: list[Token], i: int, j: int) -> tuple[int, int]:
    """Extend a katakana name over dot-joined katakana parts (ジョン・ブック)."""
    if j == i or not is_katakana(tokens[j - 1]):
        return i, j
    while j + 1 < len(tokens) and tokens[j].surface in DOTS and _foreign_part(tokens[j + 1]):
        j += 2
    while i >= 2 and tokens[i - 1].surface in DOTS and _foreign_part(tokens[i - 2]):
        i -= 2
    while len(tokens[j - 1].surface) == 1 and not is_katakana(tokens[j - 1]):
        j -= 2  # A trailing lone letter is not a name part (ジョン・C).
    return i, j


def _joins_name(tokens: list[Token], j: int, start: int) -> bool:
    """Let a middle dot or a space join two name parts (ジョン・スミス, 伊藤 健一)."""
    joiner = tokens[j].surface in DOTS or (tokens[j].pos[0] == "空白" and "\n" not in tokens[j].surface)
    return j > start and joiner and j + 1 < len(tokens) and is_name(tokens[j + 1])


def _after_role(tokens: list[Token], i: int) -> bool:
    """Tell whether a role word precedes position i (女優のアドリエーン・ラルッサ)."""
    k = i - 2 if i >= 2 and tokens[i - 1].surface in ("の", "・") else i - 1
    return k >= 0 and tokens[k].surface.endswith(ROLES)


def _accept_name(run: list[Token], after: Token | None) -> bool:
    """Decide whether a run of name-tagged tokens is a person's name.

    Sudachi tags many ordinary words as possible names (正義, クマ, リオ),
    so a lone part needs evidence: an honorific or title after it, or, for
    a surname or a long foreign name, a phrase boundary (田中は…).
    """
    if after is not None and (
        after.surface in HONORIFICS or after.surface in PERSON_TITLES or after.surface.startswith(TITLES)
    ):
        return True
    kinds = {t.pos[3] for t in run if is_name(t)}
    if len(run) > 1:
        # 姓+名 or a dot-joined foreign name is evidence enough (片岡千恵蔵主演).
        if not kinds and KANJI_RE.fullmatch(run[0].surface):
            return True  # A Chinese or Korean name found by hanzi_name.
        if not kinds:
            # Untagged dotted katakana is often a band or a work (ストーン・ローゼズ),
            # unless Sudachi does not know the last part at all, every part
            # could be a name, and a case particle follows.
            return (
                after is not None
                and after.surface in _FOREIGN_NEXT
                and _foreign_word(run[-1])
                and all(_foreign_name_part(t) for t in run)
            )
        joined = any(t.surface in DOTS for t in run)
        return {"姓", "名"} <= kinds or joined or ends_phrase(after)
    token = run[0]
    if not ends_phrase(after) or len(token.surface) < 2 or token.surface.isascii():
        return False
    if token.pos[3] == "姓":
        return True
    if token.pos[3] == "一般" and len(token.surface) >= 3:
        return True
    # A lone given name (慶喜は) needs a case particle and no common-noun
    # reading: words like 正義, クマ, ロス are tagged 名 too.
    return (
        token.pos[3] in ("名", "一般")
        and after is not None
        and after.surface in _CASE_PARTICLES
        and only_person_name(token.surface)
    )


def _name_like(token: Token) -> bool:
    return (
        token.pos[0] == "名詞"
        and token.pos[1] in ("固有名詞", "普通名詞")
        and not token.surface.isdigit()
        and len(token.surface) >= 2
    )
