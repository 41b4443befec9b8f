"""Text primitives for the offline interviewer, in English and Chinese.

Everything here is pure, deterministic and cheap: language detection, normalisation, tokenising
with a light English stemmer and stopwords, synonym folding, CJK character bigrams (Chinese has no
spaces, so overlapping character pairs stand in for words), sentence splitting, phrase matching and
short quotes. The grader, insights and follow-up rules all build on these.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Lang = Literal["en", "zh"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{_CJK}]")
_CJK_RUN_RE = re.compile(f"[{_CJK}]+")
_LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9+#]*(?:'[A-Za-z]+)?|\d+(?:\.\d+)?")
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SENTENCE_RE = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+|[。！？；;\n]+")
_SPACES_RE = re.compile(r"\s+")

STOPWORDS = frozenset(
    """a about above after again against am an and any are as at be been being below between both
    but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me my myself nor of
    off on once or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves also etc e.g i.e ie eg really actually basically just maybe like well let lets us
    thing things something anything stuff kind sort lot lots get gets got getting much many more
    most
    another every everything always usually often sometimes quite rather pretty yes yeah okay ok
    s t d ll m re ve""".split()
)
NEGATORS = frozenset(
    """not no never without cannot neither nor none nothing nobody n't dont doesnt isnt arent wont
    cant shouldnt mustnt wasnt werent didnt""".split()
)
ZH_NEGATORS = ("不", "没", "无", "非", "未", "别", "勿")

# Characters that glue Chinese sentences together; a bigram containing one carries no topic.
_ZH_STOP_CHARS = frozenset("的了是在和与及或吗呢吧啊呀着很都也就还又被把这那个们我你他她它么嘛哦")

# Words that occur in almost any technical answer: worth little as evidence of a key point.
WEAK_WORDS = frozenset(
    """use used using make made work works run runs data system value thing way time need needs want
    help good bad new old first last same different only all one two example case point important
    able call called return set number type code also mean means example kind simple easy hard
    because since so which means therefore""".split()
)
ZH_WEAK_BIGRAMS = frozenset(
    """可以 使用 进行 需要 通过 问题 什么 如何 怎么 为什么 时候 因为 所以 如果 比如 然后
    就是 但是 一般 主要 比较 方式 实现 数据 系统 一些 分别 有哪 哪些 区别 请讲 讲一 解释
    是否 其中 之后 之前
    一下 这么 那么 为何 没有 有什 么区 别是""".split()
)

# Paraphrases that mean the same thing in an interview answer. Matched after stemming.
_SYNONYM_GROUPS = (
    "single one sole",
    "multiple many several multi numerous thousands hundreds",
    "fast quick rapid",
    "slow sluggish",
    "big large huge",
    "small tiny little",
    "remove delete erase drop",
    "error exception failure fault",
    "begin start launch",
    "finish end complete",
    "before earlier prior ahead",
    "after later afterward afterwards",
    "empty idle clear",
    "reduce decrease lower cut shrink minimise minimize",
    "increase raise grow boost",
    "copy replicate duplicate clone",
    "store save persist",
    "fetch retrieve load read",
    "modify change alter mutate",
    "problem issue bug",
    "fix repair resolve solve",
    "verify validate check",
    "lock mutex",
    "database db",
    "kubernetes k8s",
    "javascript js",
    "typescript ts",
    "postgres postgresql",
    "function func method",
    "server host machine node",
    "asynchronous async",
    "synchronous sync",
    "parameterised parameterized parametrized bind",
    "hash digest",
    "prevent avoid stop",
    "guarantee ensure",
    "parallel concurrently simultaneously",
    "io i/o",
)

_DERIVATIONAL = (
    ("isation", "ize"),
    ("ization", "ize"),
    ("ational", "ate"),
    ("ability", "able"),
    ("ibility", "ible"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("ative", "ate"),
    ("ency", "ent"),
    ("ancy", "ant"),
    ("ence", ""),
    ("ance", ""),
    ("ment", ""),
    ("ness", ""),
    ("ity", ""),
    ("tion", "t"),
    ("sion", "s"),
    ("ise", "ize"),
    ("ive", ""),
    ("yse", "yze"),
    ("our", "or"),
)
_VOWELS = frozenset("aeiouy")


def normalize(text: str) -> str:
    """Fold width and case (NFKC + lower) and collapse whitespace."""
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def detect_language(text: str) -> Lang:
    """Return "zh" when Chinese characters carry the text, else "en".

    Chinese answers often contain English terms (JVM, GC Roots), so one Chinese character is
    weighed against about two Latin words rather than against letters.
    """
    cjk = len(CJK_RE.findall(text or ""))
    if cjk == 0:
        return "en"
    latin_words = len(re.findall(r"[A-Za-z]{2,}", text))
    return "zh" if cjk * 2 >= latin_words or cjk >= 20 else "en"


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce an English word to a light stem: plurals, -ed/-ing, -ly and common derivations.

    Over-stemming is harmless because both sides of every comparison go through the same function;
    what matters is that "caching", "cached" and "caches" meet.
    """
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    w = _strip_inflection(w)
    for suffix, replacement in _DERIVATIONAL:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)] + replacement
            break
    if w.endswith("e") and len(w) >= 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


def _strip_inflection(w: str) -> str:
    """Plural, past and progressive endings (a Porter step-1 in miniature)."""
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("eed"):
        return w
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        if w.endswith(suffix) and len(base) >= 2 and _VOWELS & set(base):
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            if base.endswith(("is", "ys")) and len(base) > 4:
                base = base[:-1] + "z"  # British -ised/-ysed meet American -ized/-yzed
            return base
    if w.endswith("ly") and len(w) > 5:
        return w[:-2]
    return w


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, str]:
    """Map every synonym's stem to the group's first stem."""
    table: dict[str, str] = {}
    for group in _SYNONYM_GROUPS:
        words = group.split()
        head = stem(words[0])
        for word in words:
            table.setdefault(stem(word), head)
    return table


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The comparable form of one Latin word: stemmed, then folded onto its synonym group.

    Stopwords and negators stay as written so they are still recognised after this step.
    """
    if word in STOPWORDS or word in NEGATORS:
        return word
    stemmed = stem(word)
    return _synonym_table().get(stemmed, stemmed)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its surface form, comparable term and character span."""

    surface: str
    term: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Latin words and numbers of ``text`` with spans; camelCase also yields its parts.

    "setTimeout" gives "settimeout", "set" and "timeout", so a key point written either way meets an
    answer written the other way. Contractions ending in n't become the term "not".
    """
    return list(_tokens(text or ""))


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[Token, ...]:
    """`tokens`, memoised: reference answers and key points are read for every answer graded."""
    out: list[Token] = []
    for m in _LATIN_WORD_RE.finditer(_prepare(text)):
        raw = m.group()
        low = raw.lower()
        if low.endswith("n't"):
            out.append(Token(raw, "not", m.start(), m.end()))
            continue
        if "'" in low:
            low = low.split("'", 1)[0]
        out.append(Token(raw, term(low), m.start(), m.end()))
        mixed = raw[0].isalpha() and not raw.islower() and not raw.isupper()
        parts = _CAMEL_RE.findall(raw) if mixed else []
        if len(parts) > 1:
            out.extend(Token(raw, term(p.lower()), m.start(), m.end()) for p in parts)
    return tuple(out)


def _prepare(text: str) -> str:
    """Keep spans stable while joining the few tokens punctuation would split."""
    return re.sub(r"(?i)\bi/o\b", "io ", text or "")


def is_content(term_: str) -> bool:
    """True for a Latin term that says something (not a stopword or a lone letter)."""
    return len(term_) > 1 and term_ not in STOPWORDS and term_ not in NEGATORS


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping character pairs of each Chinese run, skipping pairs glued by function words.

    A run of one character yields that character, so a lone 堆 or 栈 still counts.
    """
    out: list[str] = []
    for run in _CJK_RUN_RE.findall(text or ""):
        if len(run) == 1:
            if run not in _ZH_STOP_CHARS:
                out.append(run)
            continue
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair[0] not in _ZH_STOP_CHARS and pair[1] not in _ZH_STOP_CHARS:
                out.append(pair)
    return out


def content_terms(text: str) -> list[str]:
    """Terms that carry meaning: stemmed Latin content words plus Chinese bigrams, in order.

    Case is left to `tokens` so "CPython" splits into its parts on every side of a comparison.
    """
    text = unicodedata.normalize("NFKC", text or "")
    latin = [t.term for t in tokens(text) if is_content(t.term)]
    return latin + cjk_bigrams(text)


@lru_cache(maxsize=1)
def _weak_terms() -> frozenset[str]:
    return frozenset(term(w) for w in WEAK_WORDS) | ZH_WEAK_BIGRAMS


def is_weak(term_: str) -> bool:
    """True for a term so common in answers that it proves little on its own."""
    return term_ in _weak_terms() or term_.isdigit()


def split_sentences(text: str) -> list[str]:
    """Sentences (and list lines) of ``text``; Chinese and English punctuation both end one."""
    parts = (p.strip() for p in _SENTENCE_RE.split(text or ""))
    return [p for p in parts if p]


def has_negation(text: str) -> bool:
    """True when the text denies something (not, never, n't, 不, 没有…)."""
    if any(t.term in NEGATORS for t in tokens(text)):
        return True
    return any(ch in text for ch in ZH_NEGATORS)


def phrase_terms(phrase: str) -> tuple[str, ...]:
    """The comparable terms of a cue phrase, in order (Latin content words and Chinese bigrams)."""
    return tuple(content_terms(normalize(phrase)))


def contains_phrase(text: str, phrase: str, slack: int = 2) -> bool:
    """True when ``phrase`` occurs in ``text`` after normalising and stemming both.

    Chinese phrases match as substrings (spaces and hyphens ignored); Latin phrases match when their
    content terms appear in order with at most ``slack`` extra words between neighbours, so "one
    thread at a time" meets "only one thread runs at any time".
    """
    return PhraseIndex(text).find(phrase, slack) is not None


def find_phrase(text: str, phrase: str, slack: int = 2) -> tuple[int, int] | None:
    """Character span of the first match of ``phrase`` in ``text`` (see `contains_phrase`)."""
    return PhraseIndex(text).find(phrase, slack)


_SQUEEZE = frozenset(" \t\r\n-_")


@lru_cache(maxsize=8192)
def _phrase_plan(phrase: str) -> tuple[bool, tuple[str, ...] | str]:
    """How to look for a phrase: (True, squeezed Chinese text) or (False, Latin content terms)."""
    norm = normalize(phrase)
    if CJK_RE.search(norm):
        return True, "".join(ch for ch in norm if ch not in _SQUEEZE)
    return False, tuple(t.term for t in tokens(norm) if is_content(t.term))


class PhraseIndex:
    """A text prepared once for many phrase look-ups (every cue is checked against each answer)."""

    def __init__(self, text: str) -> None:
        self.text = text or ""
        self.words = [t for t in tokens(self.text) if is_content(t.term)]
        chars: list[str] = []
        self._origin: list[int] = []
        for i, ch in enumerate(self.text):
            for folded in unicodedata.normalize("NFKC", ch).lower():
                if folded not in _SQUEEZE:
                    chars.append(folded)
                    self._origin.append(i)
        self._squeezed = "".join(chars)

    def find(self, phrase: str, slack: int = 2) -> tuple[int, int] | None:
        """Character span of the first match of ``phrase``, or None."""
        is_cjk, plan = _phrase_plan(phrase)
        if not plan:
            return None
        if isinstance(plan, str):
            at = self._squeezed.find(plan) if is_cjk else -1
            if at < 0:
                return None
            return self._origin[at], self._origin[at + len(plan) - 1] + 1
        return self._find_in_order(plan, slack)

    def _find_in_order(self, wanted: tuple[str, ...], slack: int) -> tuple[int, int] | None:
        """First span where ``wanted`` terms appear in order with limited gaps."""
        words = self.words
        for i, word in enumerate(words):
            if word.term != wanted[0]:
                continue
            pos, end = i, word.end
            for target in wanted[1:]:
                stop = min(len(words), pos + slack + 2)
                nxt = next((j for j in range(pos + 1, stop) if words[j].term == target), None)
                if nxt is None:
                    break
                pos, end = nxt, words[nxt].end
            else:
                return word.start, end
        return None


def quote(text: str, start: int, end: int, limit: int = 90) -> str:
    """A short quote of ``text`` around ``start``–``end``, cut on word boundaries with ellipses."""
    text = text or ""
    if end - start >= limit:
        end = start + limit
    pad = min(8 if CJK_RE.search(text[start:end]) else 24, max(0, (limit - (end - start)) // 2))
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    while lo > 0 and text[lo - 1].isalnum() and not CJK_RE.match(text[lo - 1]):
        lo -= 1
    while hi < len(text) and text[hi].isalnum() and not CJK_RE.match(text[hi]):
        hi += 1
    snippet = _SPACES_RE.sub(" ", text[lo:hi]).strip(" ,;:，；：")
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")


# ------------------------------------------------------------------ lexicons used to judge answers
# Pairs whose members contradict each other when said of the same thing (stemmed/canonical forms;
# Chinese entries match as substrings). Deliberately short: each pair must be unambiguous.
_ANTONYM_WORDS = (
    ("single", "multiple"),
    ("all", "only"),
    ("before", "after"),
    ("faster", "slower"),
    ("increase", "decrease"),
    ("synchronous", "asynchronous"),
    ("stateless", "stateful"),
    ("mutable", "immutable"),
    ("ordered", "unordered"),
    ("sorted", "unsorted"),
    ("reliable", "unreliable"),
    ("lowest", "highest"),
    ("strictest", "weakest"),
    ("cheap", "expensive"),
    ("shared", "separate"),
    ("optimistic", "pessimistic"),
    ("lazy", "eager"),
    ("shallow", "deep"),
    ("symmetric", "asymmetric"),
)
ANTONYMS: tuple[tuple[str, str], ...] = tuple((term(a), term(b)) for a, b in _ANTONYM_WORDS)
ANTONYM_OF: dict[str, str] = {a: b for a, b in ANTONYMS} | {b: a for a, b in ANTONYMS}
ANTONYMS_ZH: tuple[tuple[str, str], ...] = (
    ("单线程", "多线程"),
    ("同步", "异步"),
    ("有序", "无序"),
    ("公平锁", "非公平锁"),
    ("线程私有", "线程共享"),
    ("对称加密", "非对称加密"),
    ("明文", "密文"),
)
# Chinese words that begin with a negator but name a thing rather than deny one.
ZH_NEGATED_TERMS = frozenset(
    """不可达 不可变 非叶子 非阻塞 非公平 非对称 无序 无锁 不可重复 非聚簇 无状态 未提交
    不存在""".split()
)

CONNECTIVES_EN = re.compile(
    r"\b(because|since|so that|so|therefore|thus|hence|which means|that means|this means|meaning"
    r"|as a result|otherwise|instead|whereas|while|unlike|but|however|if|when|then|until|unless"
    r"|for example|for instance|e\.g\.|such as|in order to|that's why|which is why|the reason)\b"
)
CONNECTIVES_ZH = re.compile(
    r"因为|所以|因此|由于|导致|从而|比如|例如|如果|否则|但是|不过|这样|以便|相比|而不是|缺点|优点|代价|好处"
    r"|原因|也就是|意味着|于是|然后|之后|只要|只有|当"
)

GRADER_ADDRESS = re.compile(
    r"\b(ignore|disregard|forget)\b[^.!?]{0,40}\b(instructions?|rubric|prompt|rules?|guidelines"
    r"|question|previous|above)\b"
    r"|\b(give|award|assign|grant)\b[^.!?]{0,25}\b(full|max(imum)?|perfect|top|high(est)?)\s+"
    r"(marks?|scores?|points?|grades?)"
    r"|\b(give|award|assign)\b[^.!?]{0,20}(\b100\b|10/10|\bten out of ten\b)"
    r"|\b(full|perfect|maximum) (marks?|score)\b"
    r"|\bscore (this|me|it|my)( answer)?\b[^.!?]{0,15}(\b100\b|10/10|\bhigh|\bfull|\bperfect)"
    r"|\bmark (this|it|me|my)( answer)? as (correct|excellent|perfect|right)"
    r"|\bas (the|an) (evaluator|grader|examiner|ai|language model)\b"
    r"|\b(you are|act as) (now )?(a|an|the) (grader|evaluator|examiner)\b"
    r"|\bsystem prompt\b",
    re.IGNORECASE,
)
GRADER_ADDRESS_ZH = re.compile(
    r"(忽略|无视|忘记|不要管|别管).{0,12}(指令|指示|提示|要求|规则|问题|评分|上面|以上|之前|前面)"
    r"|满分|(给|打|评)[^，。]{0,8}(高分|100分|一百分|最高分|优秀|十分)"
    r"|评分(老师|标准|员|人)|请[^，。]{0,10}(评分|打分|给分)|(给|打)我[^，。]{0,4}分"
)
DONT_KNOW = re.compile(
    r"\b(i (don'?t|do not|dont) know|no idea|not sure|never heard|no clue|i forgot"
    r"|i (can'?t|cannot) (really )?(answer|say|remember|explain)"
    r"|i haven'?t (worked|used|learned|learnt|done|seen|touched)"
    r"|(have|has) not (needed|had) to"
    r"|not (really )?familiar|skip (this|it)|pass on this"
    r"|i'?m not (really )?(a|an) [a-z]+ (person|guy|expert))\b",
    re.IGNORECASE,
)
DONT_KNOW_ZH = re.compile(
    r"不知道|不清楚|不了解|不熟|没(有)?(了解|接触|学|用|遇到|听说)过?|不会|忘了|记不清|跳过|答不上|没听说"
)
CLICHES = re.compile(
    r"\b(hard-?working|passionate|dedicated|team player|perfectionist|fast learner|quick learner"
    r"|detail-oriented|easy-?going|thrive|go-getter|open-minded|self-motivated|never (really )?"
    r"(make|made|have|had)|great communicator|people person)\b"
    r"|认真负责|团队合作能力|学习能力强|性格(比较)?好|从来不|从不|基本没有|吃苦耐劳|抗压能力|非常努力",
    re.IGNORECASE,
)
HABITUAL = re.compile(
    r"\b(i|we) (usually|often|always|normally|generally|sometimes|tend to|typically)\b"
    r"|一般都|一般会|通常|我会|总是",
    re.IGNORECASE,
)

# Keys on one keyboard row next to each other: a long run of them is a keyboard mash.
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_NEIGHBOURS = frozenset(
    pair
    for row in _KEY_ROWS
    for i in range(len(row) - 1)
    for pair in (row[i : i + 2], row[i + 1] + row[i])
)


@lru_cache(maxsize=16384)
def looks_like_noise(word: str) -> bool:
    """True for a word that reads as a keyboard mash or a stuck key rather than language."""
    w = word.lower()
    if not w.isalpha() or len(w) < 3:
        return False
    if re.search(r"(.)\1\1", w) or not (_VOWELS & set(w)) or re.search(r"[^aeiouy]{5,}", w):
        return True
    pairs = [w[i : i + 2] for i in range(len(w) - 1)]
    return sum(p in _KEY_NEIGHBOURS for p in pairs) / len(pairs) >= 0.75
