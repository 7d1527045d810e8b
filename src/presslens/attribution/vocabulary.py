"""The words that decide what an attribution is: verbs of speech, action, stance and evidence, things and
documents, labels taken for speakers (``verify.Verifier`` reads them; they are data, kept apart from the checks)."""

from __future__ import annotations

# Verbs whose subject is often a thing that "shows" rather than a source that states.
EVIDENCE_VERBS = frozenset(
    {"show", "suggest", "find", "indicate", "reveal", "demonstrate", "prove", "mean", "confirm", "highlight"}
)
# Things that can state what they show: documents, studies and their authors' products.
DOCUMENT_NOUNS = frozenset(
    """report reports study studies survey surveys poll polls analysis analyses research paper papers review audit
    investigation inquiry probe memo memos letter letters document documents statement statements filing filings
    complaint lawsuit suit indictment ruling decision opinion verdict data record records findings census book
    article articles email emails post posts tweet tweets estimate estimates projection projections assessment
    testimony evaluation model models forecast forecasts index report's test tests trial trials experiment
    experiments assessment report-card minutes transcript transcripts cable cables release account accounts
    evidence autopsy exam examination indicators figures numbers statistics""".split()
)
# Plans and deliberations reported in the progressive are not statements: "X is deciding between A and B".
DELIBERATION_VERBS = frozenset({"decide", "weigh", "mull", "deliberate", "contemplate", "consider", "ponder"})
NEGATORS = frozenset({"not", "n't", "never", "no"})
DENIAL_VERBS = frozenset({"deny", "refuse", "decline"})
# Verbs of speech proper: negated, they say what a source did not say ("did not say", "didn't estimate how many").
SPEECH_CORE = frozenset(
    """say tell call claim comment suggest state speak mention reveal confirm announce assert allege argue write tweet
    disclose specify report accuse name identify discuss address respond reply answer talk cite detail elaborate
    explain estimate""".split()
)
# What a source gives when it speaks: "did not offer a response", "made no mention of", "gave no details".
RESPONSE_NOUNS = frozenset(
    {"response", "comment", "mention", "answer", "explanation", "detail", "details", "reply", "statement", "reason"}
)


# Verbs of ordinary action, never of speech or belief: an attribution whose cue is one reports nothing
# ("He later died of his injuries"; "the team tried to remove ..."; "he planted mangroves"; "is attempting to
# push a bill"; "A yellow bulldozer pushed the mound"; "the black heap looked like a giant whale"; "Ford is rolling
# out an all-new electric SUV"; "Jordan blocked the Rukban crossing"; "Trump has been eager to withdraw": an
# intention the writer reports, voiced by nobody). A cue that also holds a verb of speech stays ("tried to argue").
ACTION_VERBS = frozenset(
    """die kill injure wound shoot stab punch crash collapse explode burn arrive depart travel fly drive walk sit
    sleep eat drink explore spot locate utilize curb plant ring license dance score win lose remove grow buy sell
    pay spend hire arrest detain jail land carry wear marry divorce retire search plead convict sentence institute
    spark rescue hunt touch broaden cause tick struggle tempt push depend pause churn swallow look try attempt do
    implement block drop allow remove resolve roll inject strip replace restrict erase enforce impose appoint install
    build open close shut display tinker prepare help become keep watch pass light start eager keen reignite
    fuel""".split()
)
# Things that show without stating: "the footage shows", "the numbers suggest".
THING_NOUNS = frozenset(
    """video videos footage photo photos photograph photographs image images picture pictures map maps chart charts
    graph graphs clip clips screenshot screenshots recording recordings scene scenes move moves result results
    trend trends pattern patterns sign signs numbers figures scan scans x-ray x-rays mri biopsy sample samples
    bacteria bacterium virus spacecraft telescope probe camera cameras sensor sensors""".split()
)
# Instruments find without stating, whoever owns them: "NASA's Galileo spacecraft found evidence of ...".
INSTRUMENT_NOUNS = frozenset(
    "spacecraft telescope probe camera cameras sensor sensors rover satellite satellites instrument instruments".split()
)
# Handing over a recording is no statement: "prosecutors released the body camera footage", "The actor shared a
# clip of ..." ("retweeted a photo", "tweeted a video" stay: a post is a statement of its own).
HANDING_VERBS = frozenset({"release", "share", "air", "broadcast", "upload", "film", "record", "obtain"})
MEDIA_NOUNS = frozenset(
    """video videos footage photo photos photograph photographs image images picture pictures clip clips recording
    recordings screenshot screenshots audio""".split()
)
# What is agreed or signed as a thing ("has agreed a deal") is no statement.
DEAL_VERBS = frozenset({"agree", "sign", "reach", "strike", "seal", "finalize", "finalise", "complete"})
DEAL_NOUNS = frozenset({"deal", "contract", "agreement", "settlement", "terms", "extension", "truce", "ceasefire"})
# Verbs that give a name: as a participle after a noun ("a poem called ...", "a spec called PD") or in an
# agentless passive ("what's called 'feather duvet lung'") they name a thing, nobody states anything.
NAMING_VERBS = frozenset({"call", "name", "dub", "label", "term", "nickname", "brand"})
# Object pronouns are no speakers: "makes me want to", "let us know what", "let me know how cramped".
OBJECT_PRONOUNS = frozenset({"me", "us", "him", "them"})
BULLETS = ("-", "•", "*", "–", "—", "·")
# Verbs whose bare "it" subject is empty ("It would seem that", "it made a certain sense that", "It shouldn't
# escape notice that") or does something no source says ("it's rooting for the underdog, enjoying ...").
EMPTY_IT_VERBS = frozenset(
    """be seem appear look sound make escape remain become go stand follow matter happen turn strike occur take
    help pay enjoy light require allow give remember recalibrate""".split()
)
ACCUSATIVE = frozenset(("her", "him", "them", "me", "us"))
# With "for", a stance voiced: "pushed for greater use of SLS", "pressed for a ceasefire", "lobbied for".
ADVOCACY_VERBS = frozenset({"push", "press", "lobby", "campaign", "fight", "plead"})
# Verbs of stance and memory that report what a source holds, beside the verbs of speech and belief
# (``SPEECH_VERBS``): by default reported speech needs a cue among them ("Trump called it ...", "wants Rudolph to be
# disciplined", "the court ruled that ...", "slammed the hearings as a disgrace"). Not "support" nor "compare": an
# app supports a system, researchers compare data.
STANCE_VERBS = frozenset(
    """call cite defend attack voice denounce rule remember recognize recognise want wish wonder like apologize
    apologise realize realise understand talk refer welcome worried concerned confident convinced hoping speak discuss
    detail outline liken mock chastise slam grill implore oppose reference admire view critical""".split()
)  # "hoping": the small model's lemma of it is "hop"; "worried", "concerned": adjectives, their own lemma


# Verbs that report speech or belief only with a clause: with a thing as object they report an action.
OBJECT_ONLY_VERBS = frozenset(
    "conclude reveal resolve dismiss post highlight write decide recommend answer unveil maintain observe learn".split()
)
# Nobody as the source: "no one knows just how much disruption ...": the writer's narration, no source.
NOBODY = frozenset({"no one", "nobody", "no-one", "noone", "none"})
# The writer's own voice outside quotation marks ("As I write this review", "I wish I still had that Escort", "we
# plan to spend ..."): by default kept only with a verb of speech ("I told her what she did").
FIRST_PERSON = frozenset({"i", "we"})
# Someone unnamed with a modal: "some might find it strange", "many would argue": a hypothetical, no source.
ANYONE = frozenset({"some", "many", "others", "one", "people", "someone", "anyone", "few"})
HYPOTHETICAL_MODALS = frozenset({"might", "may", "could", "would"})
# A belief supposed in a condition: "if they really believed that Trump was an incompetent buffoon, the better
# strategy would have been ...": the writer's hypothesis, nobody's stated view (speech under "if" is left alone:
# "if he said that, he lied" usually grants that he did).
SUPPOSED_BELIEF_VERBS = frozenset({"believe", "think", "feel", "suspect", "assume", "imagine", "suppose", "fear"})
CONDITION_MARKS = frozenset({"if", "unless"})
# Knowing and noticing, negated: "Taylor didn't know at the time that ...": the writer tells what someone did not
# know; nobody states anything.
KNOWING_VERBS = frozenset({"know", "realize", "realise", "notice", "see"})
# A plan or decision taken, with what is to be done: "resolved to observe a minute of silence", "decided to reopen".
DECISION_VERBS = frozenset({"decide", "resolve"})
# What a source reveals or unveils by saying it: "revealed lofty plans to expand the fleet", "unveiled details of".
ANNOUNCED_NOUNS = frozenset({"plan", "plans", "detail", "details", "intention", "proposal", "figure", "figures"})
