"""The 14 persuasion techniques of the Propaganda Techniques Corpus: their names exactly as in the PTC label
files, each with a one-line plain, neutral description."""

from __future__ import annotations

# The 14 technique names, exactly as in the PTC labels files, with a one-line plain, neutral description.
DESCRIPTIONS: dict[str, str] = {
    "Loaded_Language": "Words or phrases with strong emotional connotations, used to sway the reader.",
    "Name_Calling,Labeling": "Attaching a label to a person or group that the audience is meant to fear, hate or love.",
    "Repetition": "Repeating the same message or phrase so that it sticks.",
    "Exaggeration,Minimisation": "Making something look larger, better or worse than it is, or playing it down.",
    "Doubt": "Questioning the credibility of someone or something.",
    "Appeal_to_fear-prejudice": "Building support for an idea by raising fear or playing on prejudice.",
    "Flag-Waving": "Appealing to patriotism or group identity to justify an idea.",
    "Causal_Oversimplification": "Giving one cause for an outcome that has several.",
    "Slogans": "A brief, striking phrase, often a label or a stereotype.",
    "Appeal_to_Authority": "Saying a claim is true because an authority or expert says so, with no other evidence.",
    "Black-and-White_Fallacy": "Presenting two options as the only ones when more exist.",
    "Thought-terminating_Cliches": "A stock phrase that discourages critical thought or further discussion.",
    "Whataboutism,Straw_Men,Red_Herring": "Deflecting: charging the other side with hypocrisy, distorting their "
    "position, or changing the subject.",
    "Bandwagon,Reductio_ad_hitlerum": "Urging an idea because many others hold it, or rejecting one because a "
    "hated group holds it.",
}
TECHNIQUES: tuple[str, ...] = tuple(DESCRIPTIONS)
#: Readable names for people (the web app shows these; records keep the PTC names above).
LABELS: dict[str, str] = {
    "Loaded_Language": "Loaded language",
    "Name_Calling,Labeling": "Name calling or labelling",
    "Repetition": "Repetition",
    "Exaggeration,Minimisation": "Exaggeration or minimisation",
    "Doubt": "Doubt",
    "Appeal_to_fear-prejudice": "Appeal to fear or prejudice",
    "Flag-Waving": "Flag-waving",
    "Causal_Oversimplification": "Causal oversimplification",
    "Slogans": "Slogans",
    "Appeal_to_Authority": "Appeal to authority",
    "Black-and-White_Fallacy": "Black-and-white fallacy",
    "Thought-terminating_Cliches": "Thought-terminating cliché",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism, straw man or red herring",
    "Bandwagon,Reductio_ad_hitlerum": "Bandwagon or reductio ad Hitlerum",
}


def label(technique: str) -> str:
    """The readable name of a PTC technique name; an unknown name with its underscores as spaces."""
    return LABELS.get(technique) or technique.replace("_", " ")


def possible(technique: str, probability: float | None) -> str:
    """How a found span is shown to readers: "possible <label> (p 0.72)", never a verdict."""
    name = label(technique)
    p = "" if probability is None else f" (p {float(probability):.2f})"
    return f"possible {name[:1].lower()}{name[1:]}{p}"
