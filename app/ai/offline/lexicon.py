"""Word lists and phrase patterns the offline interviewer judges answers with (English, Chinese).

Data, not logic: `tokens` and `text` build terms from these lists, and the grader reads the
patterns (grader-addressing, "I don't know", clichés) straight from here. Each list says in its
comment what belongs in it, so it can be extended without reading the code that uses it.
"""

from __future__ import annotations

import re

# Function words only: articles, pronouns, auxiliaries and modals, prepositions, conjunctions.
# Words that mean something in a technical answer ("sort", "let", "own", "once", "most") are not
# here; the common but vague ones are in WEAK_WORDS instead, where they still count a little.
STOPWORDS = frozenset(
    """a about above after against am an and any are as at be been being below between both but by
    can could did do does doing down during each either for from had has have having he her here
    hers herself him himself his how i if in into is it its itself me my myself of off on onto or
    our ours ourselves out over per she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up upon us very via was
    we were what when where which while who whom whose why will with within would you your yours
    yourself yourselves may might must shall across whether although though unless whereas because
    since therefore thus hence also just etc eg ie vs versus s t d ll m re ve""".split()
)
# Words that deny what follows. A natural negation's term is NEGATION; "None", `never` and
# "Nothing" written as code keep their own term and deny nothing.
NEGATORS = frozenset(
    """not no never without cannot neither nor none nothing nobody n't dont doesnt isnt arent wont
    cant shouldnt mustnt wasnt werent didnt""".split()
)
NEGATION = "not"
CODE_NEGATORS = frozenset({"none", "never", "nothing"})  # also names in Python, TypeScript, Scala
# Words around which "none", "never" or "nothing" names a type or value instead of denying:
# "returns never", "assignable to never", "the never type", "a None check".
CODE_BEFORE = frozenset("return returns type to of as a an the than from into by".split())
CODE_AFTER = frozenset(
    "type types value values object singleton literal keyword sentinel check checks".split()
)
# "none" or "never" as the subject of one of these names a value or type ("never is the bottom
# type", "none is returned"); "nothing is …" still denies.
CODE_SUBJECT_OF = frozenset("is was are has means represents".split())
# Words that turn a statement around without a negator ("avoids blocking", "instead of locking"):
# a clause with one of these is never taken to assert what a key point denies.
POLARITY_TURNS = frozenset(
    """avoid avoids avoided avoiding prevent prevents prevented preventing stop stops eliminate
    eliminates removes remove reduce reduces instead rather free less fewer lack lacks skip skips
    bypass bypasses non unlike except""".split()
)
ZH_NEGATORS = ("并非", "而非", "不", "没", "无", "未", "勿")
ZH_POLARITY_TURNS = (
    "避免",
    "防止",
    "杜绝",
    "减少",
    "而不是",
    "不是",
    "代替",
    "取代",
    "去掉",
    "消除",
    "省去",
)

# Characters that glue Chinese sentences together; a bigram containing one carries no topic.
ZH_STOP_CHARS = frozenset("的了是在和与及或吗呢吧啊呀着很都也就还又被把这那个们我你他她它么嘛哦")

# Words that occur in almost any technical answer: worth little as evidence of a key point.
WEAK_WORDS = frozenset(
    """use used using make made work works run runs data system value thing things way time need
    needs want help good bad new old first last same different only all one two example case point
    important able call called return set number type code mean means kind simple easy hard own
    something anything everything stuff lot lots get gets got getting much more most few less
    another other every once again further always usually often sometimes pretty maybe like well
    ok""".split()
)
# Spoken fillers: like function words they carry no meaning, but they are not grammar either.
FILLERS = frozenset(
    """um uh erm basically actually really literally honestly anyway yeah yes okay quite rather
    somewhat""".split()
)
ZH_WEAK_BIGRAMS = frozenset(
    """可以 使用 进行 需要 通过 问题 什么 如何 怎么 为什么 时候 因为 所以 如果 比如 然后
    就是 但是 一般 主要 比较 方式 实现 数据 系统 一些 分别 有哪 哪些 区别 请讲 讲一 解释
    是否 其中 之后 之前
    一下 这么 那么 为何 没有 有什 么区 别是""".split()
)

# Paraphrases that mean the same thing in an interview answer, matched after stemming. Only words
# that mean the same in every technical sense belong together: "lower" (lower()) is not "reduce",
# "node" is not "server", "bind" is not "parameterized", "error" is not "exception" (Java has both).
SYNONYM_GROUPS = (
    "single one sole",
    "multiple many several multi numerous",
    "fast quick rapid",
    "slow sluggish",
    "big large huge",
    "small tiny",
    "remove delete",
    "begin start",
    "finish end",
    "reduce decrease shrink minimise minimize",
    "increase grow",
    "copy clone",
    "store save persist",
    "fetch retrieve",
    "modify change alter mutate",
    "fix repair solve",
    "verify validate",
    "lock mutex",
    "database db",
    "kubernetes k8s",
    "javascript js",
    "typescript ts",
    "postgres postgresql",
    "function func",
    "asynchronous async",
    "synchronous sync",
    "parameterised parameterized parametrized",
    "prevent avoid",
    "guarantee ensure",
    "parallel simultaneously",
    "io i/o",
    "percent percentage",
    "o(logn) logarithmic",
    "o(n^2) quadratic",
)

# Suffixes folded by the light stemmer, longest first: (suffix, replacement).
DERIVATIONAL = (
    ("isation", "ize"),
    ("ization", "ize"),
    ("ational", "ate"),
    ("ability", ""),
    ("ibility", ""),
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
    ("able", ""),
    ("ible", ""),
    ("ise", "ize"),
    ("ive", ""),
    ("yse", "yze"),
    ("our", "or"),
)

# Pairs whose members contradict each other when said of the same thing (stemmed/canonical forms;
# Chinese entries match as substrings). Deliberately short: each pair must be unambiguous.
ANTONYM_WORDS = (
    ("single", "multiple"),
    ("all", "only"),
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
# Chinese words that begin with a negator but name a thing or say something else ("不同" is
# "different", "未来" is "future"): no denial starts there.
ZH_NEGATED_TERMS = frozenset(
    """不可达 不可变 不可重复 不存在 不同 不断 不过 不仅 不少 不久 不管 不论 不然 不如 不足 不一定
    无序 无锁 无状态 无界 无限 无论 无关 无数 无缝 无损 无感 未提交 未来 未知""".split()
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

# Text aimed at whoever grades the answer: an imperative about the instructions, the rubric or the
# score, or a claim to be the grader. Each is an imperative in its own right ("Ignore previous
# instructions", "…, and give me full marks"), never loose co-occurrence: "@ts-ignore, and a lint
# rule" or "BM25 gives a higher score to rare terms" are answers, not requests.
_IMPERATIVE = (
    r"(?:^|(?<=[.!?;:,\n])\s*|\b(?:please|just|now|also|and|so|then|you should|you must)\s+)"
)
_OBJECT = r"(?:me|us|it|this|this answer|my answer|the answer|this response|the candidate)"
_TOP = (
    r"(?:full|max|maximum|perfect|top|the highest|highest|100(?:%| percent)?|10/10|ten out of ten)"
)
GRADER_ADDRESS = re.compile(
    _IMPERATIVE + r"(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?"
    r"(?:(?:previous|prior|above|earlier|preceding|original|grading|marking|scoring)\s+)*"
    r"(?:instructions?|prompts?|rules|rubric|guidelines|directions|criteria|question|above)\b"
    r"|" + _IMPERATIVE + r"(?:give|award|assign|grant)\s+" + _OBJECT + r"\s+(?:an?\s+|the\s+)?"
    r"(?:" + _TOP + r"|high|higher|good|great)\s*(?:marks?|scores?|points?|grades?|rating)?"
    r"|"
    + _IMPERATIVE
    + r"(?:give|award|assign|grant)\s+(?:an?\s+)?"
    + _TOP
    + r"\s*(?:marks?|scores?|points?|grades?)"
    r"|" + _IMPERATIVE + r"(?:score|grade|rate|mark)\s+" + _OBJECT + r"\s+(?:as\s+|a\s+|an\s+)?"
    r"(?:" + _TOP + r"|\d+|correct|excellent|perfect|right|highly|high|an? a\b)"
    r"|\b(?:deserves?|earns?|worth)\s+(?:an?\s+)?" + _TOP + r"\s*(?:marks?|scores?|points?)"
    r"|\b(?:full|perfect|maximum|top)\s+marks\b"
    r"|\bas\s+(?:the|an?)\s+(?:evaluator|grader|examiner|marker|ai language model)\b"
    r"|\b(?:you are|act as)\s+(?:now\s+)?(?:a|an|the)\s+(?:grader|evaluator|examiner|marker)\b"
    r"|\b(?:reveal|print|show|repeat|ignore|override|new)\s+(?:the\s+|your\s+)?system prompt\b"
    r"|\bsystem prompt\s*:",
    re.IGNORECASE,
)
GRADER_ADDRESS_ZH = re.compile(
    r"(忽略|无视|忘记|忘掉|不要管|别管)(掉)?(之前|前面|上面|以上|上述|所有|全部|你的)?的?(所有|全部)?的?"
    r"(指令|指示|提示词?|要求|规则|评分规则|评分标准|题目|问题)"
    r"|(给|打|评|要|拿)(我|这个回答|本回答|这道题|这题)?(打|评|个)?(满分|高分|最高分|一百分|100\s*分(?!钟))"
    r"|(给|打)我[^，。]{0,4}(高分|满分|一百分|\d+\s*分(?!钟)|加分)"
    r"|请[^，。]{0,10}(评分|打分|给分|评为)|(谢谢|作为)评分(老师|员|人|者)|评分(老师|员)[，,]"
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
# Words any work story uses whatever it is about ("I handled it", "our team", "在项目中"), and the
# filler of a behavioral question's wording ("Tell me about a time…", "讲一次…的经历"): a story
# using one of the question's words shows it is about what was asked only with a word outside
# these.
# The bank check also keeps them out of the questions' ask cues.
GENERIC_STORY_WORDS = frozenset(
    """tell describe time times work worked working team teams project projects handle handled
    deliver delivered manage managed responsible responsibility role took keep went include
    technical engineer engineering problem problems issue issues did do make made situation task
    action result results change changed changes request requests feature features""".split()
)
GENERIC_STORY_WORDS_ZH = (
    "一次",
    "经历",
    "情况",
    "况下",
    "工作",
    "作中",
    "完成",
    "任务",
    "技术",
    "具体",
    "体做",
    "中做",
    "团队",
    "项目",
    "解决",
    "处理",
    "问题",
    "时间",
    "什么",
    "背景",
    "行动",
    "结果",
    "遇到",
    "中遇",
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

# Keyboard rows: a long run of neighbouring keys is a keyboard mash.
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")

# The reversals that name two roles or two alternatives an answer often compares (part of
# REVERSALS below).
REVERSAL_ROLES = (
    ("training", "unseen"),
    ("client", "server"),
    ("read", "write"),
    ("encrypt", "decrypt"),
    ("public", "private"),
    ("synchronous", "asynchronous"),
    ("blocking", "nonblocking"),
    ("mutable", "immutable"),
    ("stateless", "stateful"),
    ("optimistic", "pessimistic"),
    ("horizontal", "vertical"),
    ("upstream", "downstream"),
    ("parent", "child"),
    ("strong", "weak"),
    ("safe", "unsafe"),
)
# Words whose swap reverses a claim said of the same thing (English compared as terms, so
# inflections match; Chinese as substrings). Used by `grading.polarity` on clauses about a key
# point: an answer that says "bigger" where the point's context says "smaller" has it backwards.
# Each pair is a reversal in any technical sentence; words with a common second sense stay out.
REVERSALS = (
    ("bigger", "smaller"),
    ("larger", "smaller"),
    ("bigger", "slim"),
    ("larger", "slim"),
    ("bloated", "slim"),
    ("bigger", "small"),
    ("larger", "small"),
    ("increase", "decrease"),
    ("increase", "reduce"),
    ("more", "fewer"),
    ("most", "least"),
    ("higher", "lower"),
    ("faster", "slower"),
    ("before", "after"),
    ("earlier", "later"),
    ("true", "false"),
    ("always", "never"),
    ("enable", "disable"),
    ("include", "exclude"),
    ("allow", "forbid"),
    ("minimum", "maximum"),
    ("overfitting", "underfitting"),
    ("first", "last"),
    *REVERSAL_ROLES,
)
# Opposites looked for only where an answer copies a reference sentence and changes one word of it
# (`grading.copies`): there a swap of these is a reversal even when the words have other senses.
COPY_FLIPS = (
    ("better", "worse"),
    ("best", "worst"),
    ("well", "poorly"),
    ("good", "bad"),
    ("fast", "slow"),
    ("quick", "slow"),
    ("wide", "narrow"),
    ("high", "low"),
    ("large", "small"),
    ("big", "small"),
    ("long", "short"),
    ("early", "late"),
    ("easy", "hard"),
    ("safe", "dangerous"),
    ("secure", "insecure"),
    ("start", "stop"),
    ("open", "close"),
    ("accept", "reject"),
    ("add", "remove"),
    ("same", "different"),
    ("hit", "miss"),
    ("hot", "cold"),
    ("local", "remote"),
    ("internal", "external"),
    ("static", "dynamic"),
    ("explicit", "implicit"),
    ("inside", "outside"),
    ("above", "below"),
    ("input", "output"),
    ("success", "failure"),
    ("sender", "receiver"),
    ("producer", "consumer"),
    ("leader", "follower"),
    ("primary", "replica"),
    ("push", "pull"),
    ("upload", "download"),
    ("min", "max"),
    ("minimum", "maximum"),
    ("rise", "fall"),
    ("rising", "falling"),
    ("grow", "shrink"),
    ("more", "less"),
    ("many", "few"),
    ("all", "none"),
    ("all", "some"),
    ("always", "sometimes"),
    ("train", "test"),
    ("training", "test"),
    ("training", "new"),
    ("training", "validation"),
)
COPY_FLIPS_ZH: tuple[tuple[str, str], ...] = (
    ("大", "小"),
    ("多", "少"),
    ("快", "慢"),
    ("高", "低"),
    ("前", "后"),
    ("先", "后"),
    ("读", "写"),
    ("增", "减"),
    ("长", "短"),
    ("早", "晚"),
    ("内", "外"),
    ("主", "从"),
    ("父", "子"),
    ("客户", "服务"),
    ("对", "错"),
    ("成功", "失败"),
    ("强", "弱"),
    ("开", "关"),
    ("升", "降"),
    ("新", "旧"),
    ("一个", "多个"),
    ("一", "多"),
    ("单", "多"),
    ("宽", "窄"),
    ("深", "浅"),
    ("必须", "可以"),
    ("总是", "有时"),
    ("所有", "部分"),
    ("全部", "部分"),
    ("训练", "测试"),
    ("安全", "危险"),
    ("更好", "更差"),
)
REVERSALS_ZH: tuple[tuple[str, str], ...] = (
    ("变大", "变小"),
    ("更大", "更小"),
    ("增大", "减小"),
    ("增加", "减少"),
    ("提高", "降低"),
    ("加快", "减慢"),
    ("变快", "变慢"),
    ("更快", "更慢"),
    ("最多", "最少"),
    ("之前", "之后"),
    ("允许", "禁止"),
    ("训练集", "新数据"),
    ("过拟合", "欠拟合"),
    ("客户端", "服务端"),
    ("同步", "异步"),
    ("阻塞", "非阻塞"),
    ("乐观锁", "悲观锁"),
    ("水平扩展", "垂直扩展"),
    ("父进程", "子进程"),
    ("可变", "不可变"),
    ("公钥", "私钥"),
    ("正确", "错误"),
)

# Asking for a score by meaning rather than by one phrase: a sentence that names a top score or a
# pass ("full marks", "a perfect 10", "满分", "通过") and either speaks to whoever grades ("grader",
# "evaluator", "AI", "评分老师") or asks for the score for this answer ("mark my answer as…").
# Either alone is ordinary technical prose ("a perfect score on the benchmark", "the model
# assigns a score"); together they are text aimed at the grader.
TOP_SCORE = re.compile(
    r"\b(?:full|perfect|maximum|max|top|highest|best|high)\s+(?:marks?|scores?|grades?|points|rating)"
    r"|\b(?:100|hundred|ten|10)\s*(?:/\s*(?:100|10)\b|out\s+of\s+(?:100|10|ten|a\s+hundred)"
    r"|\s+(?:points|marks)\b)|\b(?:a|the)\s+(?:perfect\s+)?(?:hundred|100|10|ten)\b"
    r"(?=\s*(?:$|[.,;!?]|for\s+(?:me|this|it)\b|please\b|here\b|on\s+this\b))"
    r"|\bas\s+(?:correct|complete|excellent|perfect|passing|a\s+pass)\b|\bpass(?:ing)?\s+(?:grade|mark)"
    r"|满分|一百分|100\s*分(?!钟)|高分|最高分|打满|通过(?:这道题|本题|这题)|判(?:为|成)?(?:正确|满分|通过)",
    re.IGNORECASE,
)
GRADER_WORDS = re.compile(
    r"\b(?:grader|grading|evaluator|examiner|marker|reviewer|assessor|scorer|judge|rubric"
    r"|(?:the\s+)?(?:ai|model|assistant|system|bot)\b|whoever\s+(?:reads|grades|scores|marks|checks)"
    r"|dear\s+\w+)"
    r"|评分|阅卷|打分|判卷|考官|批改|评委|判分",
    re.IGNORECASE,
)
SELF_TARGET = re.compile(
    r"\b(?:give|award|assign|grant|mark|rate|score|grade|treat|count|record|consider|let)\s+"
    r"(?:me|us|it|this(?:\s+(?:answer|response|reply|one))?|my\s+(?:answer|response|reply))\b"
    r"|\bI\s+(?:deserve|should\s+(?:get|receive|be\s+given))|\b(?:this|my)\s+(?:answer|response)"
    r"\s+(?:deserves|should\s+(?:get|receive|score|be\s+(?:given|marked|rated|graded)))"
    r"|给我|给这个回答|给本回答|这个回答应该|本回答应该|我应该(?:得|拿)",
    re.IGNORECASE,
)

# Technical terms in both languages, so an answer in the other language than its question is
# graded by content: each Chinese term found in an answer adds its English terms, and each English
# term adds its Chinese words (as bigrams), to what the answer is matched on. Only terms with one
# clear meaning in an interview answer; names (Redis, jstack, Dockerfile) need no translation.
BILINGUAL_TERMS: tuple[tuple[str, str], ...] = (
    ("线程", "thread"),
    ("进程", "process"),
    ("死锁", "deadlock"),
    ("加锁", "lock"),
    ("互斥", "mutual exclusion"),
    ("循环等待", "circular wait"),
    ("占有且等待", "hold and wait"),
    ("不可剥夺", "no preemption"),
    ("线程栈", "thread dump stack"),
    ("加锁顺序", "lock order"),
    ("超时", "timeout"),
    ("缓存", "cache"),
    ("索引", "index"),
    ("事务", "transaction"),
    ("镜像", "image"),
    ("容器", "container"),
    ("只读", "read-only"),
    ("可写", "writable"),
    ("依赖", "dependencies"),
    ("源代码", "source code"),
    ("源码", "source code"),
    ("构建", "build"),
    ("多阶段", "multi-stage"),
    ("基础镜像", "base image"),
    ("层", "layer"),
    ("失效", "invalidated"),
    ("内存", "memory"),
    ("垃圾回收", "garbage collection"),
    ("队列", "queue"),
    ("消息", "message"),
    ("数据库", "database"),
    ("主键", "primary key"),
    ("哈希", "hash"),
    ("分片", "sharding"),
    ("复制", "replication copy"),
    ("一致性", "consistency"),
    ("可用性", "availability"),
    ("分区", "partition"),
    ("延迟", "latency"),
    ("吞吐", "throughput"),
    ("并发", "concurrency"),
    ("并行", "parallel"),
    ("异步", "asynchronous"),
    ("同步", "synchronous"),
    ("阻塞", "blocking"),
    ("事件循环", "event loop"),
    ("回调", "callback"),
    ("闭包", "closure"),
    ("作用域", "scope"),
    ("原型", "prototype"),
    ("继承", "inheritance"),
    ("接口", "interface"),
    ("泛型", "generics"),
    ("编译", "compile"),
    ("运行时", "runtime"),
    ("握手", "handshake"),
    ("连接", "connection"),
    ("请求", "request"),
    ("响应", "response"),
    ("状态码", "status code"),
    ("证书", "certificate"),
    ("加密", "encryption"),
    ("签名", "signature"),
    ("令牌", "token"),
    ("认证", "authentication"),
    ("授权", "authorization"),
    ("会话", "session"),
    ("负载均衡", "load balancer"),
    ("限流", "rate limiting"),
    ("熔断", "circuit breaker"),
    ("重试", "retry"),
    ("幂等", "idempotent"),
    ("日志", "logs"),
    ("监控", "monitoring"),
    ("告警", "alerts"),
    ("指标", "metrics"),
    ("单元测试", "unit tests"),
    ("集成测试", "integration tests"),
    ("部署", "deploy"),
    ("回滚", "rollback"),
    ("滚动更新", "rolling update"),
    ("副本", "replica"),
    ("节点", "node"),
    ("集群", "cluster"),
    ("调度", "scheduler"),
    ("栈", "stack"),
    ("堆", "heap"),
    ("指针", "pointer"),
    ("引用", "reference"),
    ("深拷贝", "deep copy"),
    ("浅拷贝", "shallow copy"),
    ("递归", "recursion"),
    ("迭代", "iteration"),
    ("排序", "sort"),
    ("二分", "binary search"),
    ("复杂度", "complexity"),
    ("哈希表", "hash map"),
    ("链表", "linked list"),
    ("快照", "snapshot"),
    ("持久化", "persistence"),
    ("过期", "expiry"),
    ("主从", "primary replica"),
    ("读写分离", "read write split"),
    ("乐观锁", "optimistic lock"),
    ("悲观锁", "pessimistic lock"),
    ("隔离级别", "isolation level"),
    ("脏读", "dirty read"),
    ("幻读", "phantom read"),
    ("不可重复读", "non-repeatable read"),
    ("回表", "lookup primary"),
    ("覆盖索引", "covering index"),
    ("聚簇索引", "clustered index"),
    ("最左前缀", "leftmost prefix"),
    ("类加载", "class loading"),
    ("双亲委派", "parent delegation"),
    ("新生代", "young generation"),
    ("老年代", "old generation"),
    ("微任务", "microtask"),
    ("宏任务", "macrotask"),
    ("虚拟内存", "virtual memory"),
    ("页表", "page table"),
    ("系统调用", "system call"),
    ("三次握手", "three-way handshake syn ack"),
    ("四次挥手", "four-way close fin"),
)
