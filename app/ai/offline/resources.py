"""Study resources for the improvement plan: official documentation and well-known books only.

Keyed by skill id, then by taxonomy category. Only real, widely known titles and official
documentation sites are listed; nothing here is a guessed link.
"""

from __future__ import annotations

from app.ai.offline.taxonomy import Skill

DDIA = "Designing Data-Intensive Applications — Martin Kleppmann"
DDIA_ZH = "《数据密集型应用系统设计》— Martin Kleppmann"
JCIP = "Java Concurrency in Practice — Brian Goetz et al."

BY_SKILL: dict[str, tuple[str, ...]] = {
    "python": (
        "The Python Tutorial and Language Reference (docs.python.org)",
        "Fluent Python — Luciano Ramalho",
    ),
    "java": (
        "Effective Java — Joshua Bloch",
        "The Java Tutorials (docs.oracle.com/javase/tutorial)",
    ),
    "javascript": (
        "MDN Web Docs: JavaScript Guide (developer.mozilla.org)",
        "You Don't Know JS Yet — Kyle Simpson",
    ),
    "typescript": (
        "The TypeScript Handbook (typescriptlang.org/docs)",
        "Effective TypeScript — Dan Vanderkam",
    ),
    "go": (
        "Effective Go and the Go Tour (go.dev)",
        "The Go Programming Language — Alan Donovan & Brian Kernighan",
    ),
    "rust": ("The Rust Programming Language (doc.rust-lang.org/book)",),
    "kotlin": (
        "Kotlin documentation (kotlinlang.org/docs)",
        "Kotlin in Action — Dmitry Jemerov & Svetlana Isakova",
    ),
    "swift": ("The Swift Programming Language (docs.swift.org)",),
    "csharp": ("C# documentation (learn.microsoft.com/dotnet/csharp)", "C# in Depth — Jon Skeet"),
    "cpp": ("cppreference.com", "Effective Modern C++ — Scott Meyers"),
    "spring": (
        "Spring Framework Reference Documentation (docs.spring.io)",
        "Spring in Action — Craig Walls",
    ),
    "spring-boot": (
        "Spring Boot Reference Documentation (docs.spring.io)",
        "Spring in Action — Craig Walls",
    ),
    "django": (
        "Django documentation (docs.djangoproject.com)",
        "Two Scoops of Django — Daniel & Audrey Feldroy",
    ),
    "flask": (
        "Flask documentation and tutorial (flask.palletsprojects.com)",
        "Flask Web Development — Miguel Grinberg",
    ),
    "fastapi": ("FastAPI documentation (fastapi.tiangolo.com)",),
    "react": ("React documentation (react.dev)",),
    "vue": ("Vue.js guide (vuejs.org)",),
    "angular": ("Angular documentation (angular.dev)",),
    "android": ("Android Developers guides (developer.android.com)",),
    "ios": ("Apple Developer Documentation (developer.apple.com/documentation)",),
    "mysql": (
        "MySQL Reference Manual (dev.mysql.com/doc)",
        "High Performance MySQL — Silvia Botros & Jeremy Tinley",
    ),
    "postgresql": (
        "PostgreSQL documentation (postgresql.org/docs)",
        "Use The Index, Luke — Markus Winand",
    ),
    "sql": ("Use The Index, Luke — Markus Winand", "SQL Performance Explained — Markus Winand"),
    "mongodb": ("MongoDB Manual (mongodb.com/docs)",),
    "redis": ("Redis documentation (redis.io/docs)", "Redis in Action — Josiah Carlson"),
    "kafka": (
        "Apache Kafka documentation (kafka.apache.org/documentation)",
        "Kafka: The Definitive Guide — Shapira et al.",
    ),
    "rabbitmq": ("RabbitMQ tutorials and documentation (rabbitmq.com)",),
    "docker": ("Docker documentation (docs.docker.com)",),
    "kubernetes": (
        "Kubernetes documentation (kubernetes.io/docs)",
        "Kubernetes Up & Running — Burns, Beda, Hightower",
    ),
    "terraform": (
        "Terraform documentation (developer.hashicorp.com/terraform)",
        "Terraform: Up & Running — Yevgeniy Brikman",
    ),
    "aws": ("AWS Well-Architected Framework", "AWS documentation (docs.aws.amazon.com)"),
    "gcp": (
        "Google Cloud Architecture Framework",
        "Google Cloud documentation (cloud.google.com/docs)",
    ),
    "azure": ("Azure Well-Architected Framework", "Microsoft Learn: Azure documentation"),
    "jvm": ("The Java Virtual Machine Specification", "Java Performance — Scott Oaks"),
    "garbage-collection": (
        "HotSpot Virtual Machine Garbage Collection Tuning Guide (Oracle)",
        "Java Performance — Scott Oaks",
    ),
    "java-concurrency": (JCIP,),
    "pytest": (
        "pytest documentation (docs.pytest.org)",
        "Python Testing with pytest — Brian Okken",
    ),
    "machine-learning": (
        "Hands-On Machine Learning with Scikit-Learn, Keras, and TensorFlow — Aurélien Géron",
        "scikit-learn user guide (scikit-learn.org)",
    ),
    "deep-learning": (
        "Deep Learning — Goodfellow, Bengio & Courville",
        "Dive into Deep Learning (d2l.ai)",
    ),
    "pytorch": ("PyTorch tutorials (pytorch.org/tutorials)",),
    "pandas": ("pandas user guide (pandas.pydata.org)", "Python for Data Analysis — Wes McKinney"),
    "spark": (
        "Spark: The Definitive Guide — Bill Chambers & Matei Zaharia",
        "Apache Spark documentation (spark.apache.org/docs)",
    ),
    "statistics": ("Practical Statistics for Data Scientists — Bruce, Bruce & Gedeck",),
    "owasp": ("OWASP Top 10 (owasp.org)", "OWASP Cheat Sheet Series"),
    "oauth": (
        "OAuth 2.0 Simplified — Aaron Parecki",
        "RFC 6749: The OAuth 2.0 Authorization Framework",
    ),
    "tcp-ip": (
        "TCP/IP Illustrated, Volume 1 — W. Richard Stevens",
        "Computer Networking: A Top-Down Approach — Kurose & Ross",
    ),
    "http": (
        "MDN Web Docs: HTTP (developer.mozilla.org)",
        "HTTP: The Definitive Guide — Gourley & Totty",
    ),
    "prometheus": ("Prometheus documentation (prometheus.io/docs)",),
    "sre": (
        "Site Reliability Engineering — Beyer, Jones, Petoff & Murphy (Google)",
        "The Site Reliability Workbook (Google)",
    ),
    "git": ("Pro Git — Scott Chacon & Ben Straub (git-scm.com/book)",),
    "domain-driven-design": ("Domain-Driven Design — Eric Evans",),
    "tdd": ("Test Driven Development: By Example — Kent Beck",),
    "leadership": ("The Manager's Path — Camille Fournier", "Staff Engineer — Will Larson"),
    "mentoring": ("The Manager's Path — Camille Fournier",),
    "conflict-resolution": ("Crucial Conversations — Patterson, Grenny, McMillan & Switzler",),
    "communication": ("Crucial Conversations — Patterson, Grenny, McMillan & Switzler",),
    "product-sense": ("Inspired — Marty Cagan",),
    "agile": ("The Scrum Guide (scrumguides.org)",),
    "scrum": ("The Scrum Guide (scrumguides.org)",),
}
BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "System Design": (DDIA, "System Design Interview — Alex Xu"),
    "Databases": ("Database Internals — Alex Petrov", "Use The Index, Luke — Markus Winand"),
    "Caching": ("Redis documentation (redis.io/docs)", DDIA),
    "Messaging": (DDIA, "Enterprise Integration Patterns — Gregor Hohpe & Bobby Woolf"),
    "Concurrency": (JCIP, "The Art of Multiprocessor Programming — Herlihy & Shavit"),
    "JVM": ("The Java Virtual Machine Specification", "Java Performance — Scott Oaks"),
    "Networking": (
        "Computer Networking: A Top-Down Approach — Kurose & Ross",
        "High Performance Browser Networking — Ilya Grigorik",
    ),
    "Operating Systems": (
        "Operating Systems: Three Easy Pieces — Remzi & Andrea Arpaci-Dusseau",
        "Computer Systems: A Programmer's Perspective — Bryant & O'Hallaron",
    ),
    "Algorithms": (
        "Introduction to Algorithms — Cormen, Leiserson, Rivest & Stein",
        "The Algorithm Design Manual — Steven Skiena",
    ),
    "Frontend": (
        "MDN Web Docs (developer.mozilla.org)",
        "web.dev guides on performance and accessibility",
    ),
    "Testing": (
        "Unit Testing Principles, Practices, and Patterns — Vladimir Khorikov",
        "Growing Object-Oriented Software, Guided by Tests — Freeman & Pryce",
    ),
    "Security": (
        "OWASP Top 10 (owasp.org)",
        "The Web Application Hacker's Handbook — Stuttard & Pinto",
    ),
    "CI/CD & DevOps": (
        "Continuous Delivery — Jez Humble & David Farley",
        "Accelerate — Forsgren, Humble & Kim",
    ),
    "Containers": (
        "Kubernetes documentation (kubernetes.io/docs)",
        "Docker documentation (docs.docker.com)",
    ),
    "Cloud": ("AWS Well-Architected Framework", "Google Cloud Architecture Framework"),
    "Observability": (
        "Observability Engineering — Majors, Fong-Jones & Miranda",
        "Site Reliability Engineering (Google)",
    ),
    "Software Design": (
        "Design Patterns — Gamma, Helm, Johnson & Vlissides",
        "Refactoring — Martin Fowler",
    ),
    "Data & ML": (
        "Hands-On Machine Learning with Scikit-Learn, Keras, and TensorFlow — Aurélien Géron",
        DDIA,
    ),
    "Behavioral": (
        "Cracking the Coding Interview — Gayle Laakmann McDowell (chapter on behavioral questions)",
        "Crucial Conversations — Patterson, Grenny, McMillan & Switzler",
    ),
    "Delivery": (
        "The Pragmatic Programmer — Andrew Hunt & David Thomas",
        "Accelerate — Forsgren, Humble & Kim",
    ),
}
# Chinese editions or Chinese classics candidates already know, where one exists.
ZH_BY_SKILL: dict[str, tuple[str, ...]] = {
    "java": ("《Effective Java》— Joshua Bloch", "《Java核心技术》— Cay S. Horstmann"),
    "jvm": ("《深入理解Java虚拟机》— 周志明", "《Java虚拟机规范》"),
    "garbage-collection": ("《深入理解Java虚拟机》— 周志明",),
    "jvm-tuning": ("《深入理解Java虚拟机》— 周志明",),
    "class-loading": ("《深入理解Java虚拟机》— 周志明",),
    "java-concurrency": (
        "《Java并发编程实战》— Brian Goetz 等",
        "《Java并发编程的艺术》— 方腾飞 等",
    ),
    "concurrency": ("《Java并发编程实战》— Brian Goetz 等", "《Java并发编程的艺术》— 方腾飞 等"),
    "multithreading": ("《Java并发编程实战》— Brian Goetz 等",),
    "mysql": (
        "《MySQL技术内幕：InnoDB存储引擎》— 姜承尧",
        "《高性能MySQL》",
        "MySQL 官方参考手册（dev.mysql.com/doc）",
    ),
    "redis": ("《Redis设计与实现》— 黄健宏", "Redis 官方文档（redis.io/docs）"),
    "spring": ("Spring Framework 官方参考文档（docs.spring.io）", "《Spring实战》— Craig Walls"),
    "spring-boot": ("Spring Boot 官方参考文档（docs.spring.io）", "《Spring实战》— Craig Walls"),
    "tcp-ip": (
        "《计算机网络：自顶向下方法》— Kurose & Ross",
        "《TCP/IP详解 卷1》— W. Richard Stevens",
    ),
    "http": ("《图解HTTP》— 上野宣", "MDN Web Docs：HTTP（developer.mozilla.org）"),
}
ZH_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "System Design": (DDIA_ZH, "《凤凰架构》— 周志明"),
    "Networking": ("《计算机网络：自顶向下方法》— Kurose & Ross", "《图解HTTP》— 上野宣"),
    "Operating Systems": (
        "《深入理解计算机系统》— Bryant & O'Hallaron",
        "《操作系统导论》— Arpaci-Dusseau",
    ),
    "Concurrency": ("《Java并发编程实战》— Brian Goetz 等",),
    "JVM": ("《深入理解Java虚拟机》— 周志明",),
    "Databases": ("《MySQL技术内幕：InnoDB存储引擎》— 姜承尧", DDIA_ZH),
    "Caching": ("《Redis设计与实现》— 黄健宏",),
    "Messaging": (DDIA_ZH,),
    "Algorithms": ("《算法导论》— Cormen 等", "《算法（第4版）》— Sedgewick & Wayne"),
    "Behavioral": ("《关键对话》— Patterson 等", "《非暴力沟通》— Marshall Rosenberg"),
}
GENERAL = {
    "en": (DDIA, "The Pragmatic Programmer — Andrew Hunt & David Thomas"),
    "zh": (DDIA_ZH, "《程序员修炼之道》— Andrew Hunt & David Thomas"),
}


def resources_for(skills: list[Skill], language: str, limit: int = 3) -> list[str]:
    """Up to `limit` resources for the skills, most specific first, in the interview's language."""
    tables = [(BY_SKILL, "id"), (BY_CATEGORY, "category")]
    if language == "zh":  # Chinese editions first, then the English originals
        tables = [(ZH_BY_SKILL, "id"), (ZH_BY_CATEGORY, "category"), *tables]
    chosen = [
        title
        for table, key in tables
        for skill in skills
        for title in table.get(getattr(skill, key), ())
    ]
    chosen += GENERAL[language if language == "zh" else "en"]
    return list(dict.fromkeys(chosen))[:limit]
