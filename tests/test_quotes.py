"""Attribution patterns on short real-style sentences."""

from __future__ import annotations

import pytest

from presslens import analyze
from presslens.record.schema import validate


def _quotes(text: str) -> list[tuple[str, str, str | None, str | None]]:
    rec = analyze(text)
    validate(rec)
    out = []
    for q in rec["quotes"]:
        content = " | ".join(text[s:e] for s, e in q["content"])
        sp = q["speaker"]["span"]
        out.append((q["kind"], content, text[sp[0] : sp[1]] if sp else None, q["speaker"]["name"]))
    return out


def _speakers(text: str) -> dict[str | None, str | None]:
    """Speaker phrase as written -> the actor's name it resolves to, for each quote of *text*."""
    return {speaker: name for _kind, _content, speaker, name in _quotes(text)}


def test_speaker_after_quote():
    t = "“We will not rush this decision,” Council leader Margaret Okafor said on Tuesday."
    assert _quotes(t) == [
        ("direct", "“We will not rush this decision,”", "Council leader Margaret Okafor", "Margaret Okafor")
    ]


def test_speaker_before_quote_with_colon():
    t = 'The ferry operator, Island Link, said in a statement: "Fuel costs have doubled and the service must pay."'
    [(kind, content, speaker, _)] = _quotes(t)
    assert kind == "direct"
    assert content == '"Fuel costs have doubled and the service must pay."'
    # PolNeAR sources keep the comma that closes an appositive
    assert speaker.rstrip(",") == "The ferry operator, Island Link"


def test_speaker_inside_quote_gives_two_pieces():
    t = "“This is a reprieve,” Daniel Reyes said. “Our members cannot afford another increase.”"
    [(kind, content, speaker, name)] = _quotes(t)
    assert kind == "direct" and name == "Daniel Reyes"
    assert content == "“This is a reprieve,” | “Our members cannot afford another increase.”"


def test_indirect_and_according_to():
    t = (
        "Finance Minister Jonas Berg told parliament that the budget would be balanced by 2026. "
        "According to the central bank, inflation will fall next year."
    )
    got = _quotes(t)
    assert ("indirect", "that the budget would be balanced by 2026", "Finance Minister Jonas Berg", "Jonas Berg") in got
    assert any(
        k == "indirect" and c.startswith("inflation will fall") and s == "the central bank" for k, c, s, _ in got
    )


def test_mixed_quote():
    t = "Opposition leader Ana Costa said the plan was “a fantasy built on wishful accounting” and would fail."
    [(kind, content, speaker, name)] = _quotes(t)
    assert kind == "mixed" and name == "Ana Costa"
    assert "“a fantasy built on wishful accounting”" in content and "would fail" in content


def test_pronoun_and_continuation_paragraph():
    t = (
        "Priya Natarajan, the utility’s director of operations, spoke on Monday.\n\n"
        "“We are working around the clock,” she said.\n\n"
        "“But the damage is worse than our first survey showed.”"
    )
    got = _quotes(t)
    assert [g[3] for g in got] == ["Priya Natarajan", "Priya Natarajan"]
    assert got[0][2] == "she"
    assert got[1][2] is None  # a quote paragraph with no cue continues the previous speaker


def test_multi_paragraph_quote_is_one_attribution():
    t = (
        "The minister, Helen Achterberg, wrote on Friday:\n\n“This is not acceptable,\n\n"
        "“and we will hold the company to account.”"
    )
    got = _quotes(t)
    assert len(got) == 1
    kind, content, speaker, name = got[0]
    assert kind == "direct" and name == "Helen Achterberg"
    assert content == "“This is not acceptable, | “and we will hold the company to account.”"


def test_scare_quotes_and_titles_are_not_attributions():
    t = "The so-called “Axis of Resistance” includes several groups. The film “Dune” opened on Friday."
    assert _quotes(t) == []


@pytest.mark.parametrize(
    "text",
    [
        "He said “this never closes.\n\nAnd “this one” is fine, she said.",
        "“”“”\n\n”“",
        "said said said: “",
        "\n\n\n",
        "x",
    ],
)
def test_unbalanced_and_odd_text_never_crashes(text):
    rec = analyze(text)
    validate(rec)
    for q in rec["quotes"]:
        for s, e in q["content"]:
            assert "\n\n" not in text[s:e]


# ----- only real attributions (attribution/verify.py) ------------------------------------------------------------
def test_negated_speech_is_kept_apart_as_negated():
    t = "Mayor Lena Ortiz did not say whether the budget would pass. Ortiz also said the vote was fair."
    rec = analyze(t)
    by_content = {" ".join(t[s:e] for s, e in q["content"]): q for q in rec["quotes"]}
    neg = [q for c, q in by_content.items() if "budget would pass" in c]
    plain = [q for c, q in by_content.items() if "the vote was fair" in c]
    assert neg and neg[0].get("negated") is True, rec["quotes"]
    assert plain and not plain[0].get("negated"), rec["quotes"]
    assert neg[0]["speaker"]["name"] == "Lena Ortiz"


@pytest.mark.parametrize(
    ("text", "content"),
    [  # shortened from benchmark pages: no response, no mention, a refusal to say, declining to address
        ("Steelers captain Cam Heyward did not offer a response when asked about the suspension.", "a response"),
        ("In his speech, Trump made no mention of rolling back any levies on Chinese goods.", "rolling back"),
        ("His refusal to say which side he would be on in a Brexit referendum angered colleagues.", "which side"),
        ("Figgins declined to address whether Thomas slept on the job on the night Epstein died.", "whether Thomas"),
        ("They refused to discuss anything having to do with his estate.", "anything having"),
        ("Police estimated that 5,000 teachers had gathered. The agency didn’t estimate how many total were on the "
         "grounds.", "how many total"),
    ],
)
def test_what_a_source_did_not_say_is_negated(text, content):
    rec = analyze(text)
    validate(rec)
    found = [q for q in rec["quotes"] if content in q["text"]]
    assert found and all(q.get("negated") is True for q in found), rec["quotes"]


def test_the_one_asked_is_not_the_one_asking():
    # shortened from benchmark pages: Heyward was asked (by reporters); "I am asked to speak" is someone's request;
    # a member of Congress who asks about something does ask
    asked = [
        "Steelers captain Cam Heyward, asked about the league's decision to suspend Garrett for the remainder of "
        "the season, said he was focused on the team.",
        "I am asked to speak and present my knowledge to audiences.",
    ]
    for text in asked:
        rec = analyze(text)
        assert not [q for q in rec["quotes"] if "ask" in " ".join(text[s:e] for s, e in q["cue"])], rec["quotes"]
    text = "Rep. Frank Lucas, the ranking member, asked about the effect of multiple launches on missions."
    rec = analyze(text)
    assert [q["speaker"]["name"] for q in rec["quotes"]] == ["Frank Lucas"], rec["quotes"]


def test_a_thing_that_shows_is_no_source_but_a_report_is():
    t = (
        "The footage shows the car turning left before the crash.\n\n"
        "The report found that the brakes had failed, and the inspectors said the firm was to blame."
    )
    contents = [c for _k, c, _s, _n in _quotes(t)]
    assert not any("turning left" in c for c in contents), contents
    assert any("brakes had failed" in c for c in contents), contents
    assert any("firm was to blame" in c for c in contents), contents


def test_the_reader_addressed_and_a_scan_are_no_sources():
    # an advice column and a medical story, as on real pages of the hand check
    t = (
        "If you want a quieter keyboard, you should have asked the store, and you know that the return window is "
        "short.\n\n"
        "The scan revealed severe inflammation in the man's lungs, his doctor said. "
        "“You can call it a wagon,” the designer said."
    )
    quotes = _quotes(t)
    speakers = [s for _k, _c, s, _n in quotes]
    contents = [c for _k, c, _s, _n in quotes]
    assert not any(s and s.lower() == "you" for s in speakers), quotes
    assert not any("inflammation" in c and s == "The scan" for _k, c, s, _n in quotes), quotes
    assert any("call it a wagon" in c for c in contents), quotes  # "you" inside a quote is the speaker's word


def test_an_empty_it_and_that_said_are_no_sources_but_a_speaking_it_is():
    # turns of phrase of real pages (a tech column, a business column, a science feature), and an agency's "it"
    t = (
        "It would seem that the future of innovation at the company is what it was.\n\n"
        "That said, the two companies might have made a good fit.\n\n"
        "It made a certain sense that the intestine might use a taste receptor.\n\n"
        "The Swedish Prosecution Authority closed the case on Tuesday. "
        "It said the evidence had weakened considerably over the years."
    )
    quotes = _quotes(t)
    contents = [c for _k, c, _s, _n in quotes]
    assert not any("future of innovation" in c or "good fit" in c or "taste receptor" in c for c in contents), quotes
    assert any("evidence had weakened" in c for c in contents), quotes


def test_headline_label_is_no_speaker():
    t = "WATCH: The moment the bridge collapsed into the river\n\nThe bridge fell on Monday, officials said."
    quotes = _quotes(t)
    assert not any(s and s.strip(": ").upper() == "WATCH" for _k, _c, s, _n in quotes), quotes
    assert any("bridge fell" in c for _k, c, _s, _n in quotes), quotes


def test_two_sources_in_one_sentence_are_two_attributions():
    t = (
        "The drone struck the depot, the ministry said, which is targeting fuel supplies across the region, "
        "according to Reuters."
    )
    quotes = _quotes(t)
    reuters = [q for q in quotes if q[2] == "Reuters"]
    ministry = [q for q in quotes if q[2] == "the ministry"]
    assert reuters and "targeting fuel supplies" in reuters[0][1], quotes
    assert ministry and "targeting fuel" not in ministry[0][1] and "drone struck the depot" in ministry[0][1], quotes


def test_continuation_keeps_the_speaker_until_another_is_named():
    t = (
        "“The plant will reopen in June,” said Karen Whitfield, the company’s chief executive.\n\n"
        "“I can say clearly that no jobs will be lost.”\n\n"
        "Union leader Tom Baines disagreed. “We have heard this before,” Baines said."
    )
    quotes = _quotes(t)
    second = [q for q in quotes if "no jobs will be lost" in q[1]]
    assert second and second[0][3] == "Karen Whitfield", quotes
    third = [q for q in quotes if "heard this before" in q[1]]
    assert third and third[0][3] == "Tom Baines", quotes


# ----- actors a reader would accept (actors/resolver.py) ---------------------------------------------------------
def _actors(text: str) -> dict[str, dict]:
    rec = analyze(text)
    validate(rec)
    return {a["name"]: a for a in rec["actors"]}


def test_titled_person_keeps_the_whole_title():
    actors = _actors("UN Secretary-General Antonio Guterres said on Monday that the talks would resume.")
    assert "Antonio Guterres" in actors, actors
    a = actors["Antonio Guterres"]
    assert a["kind"] == "person"
    assert "Secretary-General" in a["titles"], a
    assert not any(r["role"].endswith("-") or r["role"] == "General" for r in a["roles"]), a["roles"]


def test_party_and_state_after_a_name_are_a_role_not_an_actor():
    actors = _actors("Rep. James Comer, R-Ky., said the committee would issue subpoenas next week.")
    assert "Ky." not in actors and not any("Ky." in a["aliases"] for a in actors.values()), actors
    comer = actors["James Comer"]
    assert ("Republican", "Kentucky") in [(r["role"], r["organization"]) for r in comer["roles"]], comer


def test_organisation_and_place_variants_merge_but_longer_names_of_others_do_not():
    actors = _actors(
        "Bloomberg News reported the deal first. Bloomberg said it had seen the documents.\n\n"
        "Officials met in Washington, D.C., on Friday. Washington has denied the report."
    )
    assert "Bloomberg News" in actors and "Bloomberg" not in actors, actors
    assert "D.C." not in actors, actors
    actors = _actors(
        "Mossad said the claims were false. An account called Mossad Commentary posted the video on Friday."
    )
    names = set(actors)
    assert "Mossad" in names, names
    assert all("Mossad Commentary" not in a["aliases"] for n, a in actors.items() if n == "Mossad"), actors


def test_person_with_a_first_name_is_a_person_and_scores_are_no_part_of_names():
    actors = _actors(
        "SoftBank executive Marcelo Claure told staff the plan was sound. "
        "In the final, Yasutaka Uchiyama beat Gael Monfils, and Uchiyama 6-2 was the score of the first set."
    )
    assert actors.get("Marcelo Claure", {}).get("kind") == "person", actors
    assert not any(any(ch.isdigit() for ch in n) for n in actors), sorted(actors)


def test_things_abbreviations_and_salutations_are_no_actors():
    # modelled on real pages of the hand check (docs/hand-check-speakers.md): a product review, a medical
    # column, a company story; each of these names was an actor before
    actors = _actors(
        "DEAR ABBY: My sister says the scans were normal.\n\n"
        "His doctor ordered a CT scan, which showed damage to the air sacs of his lungs. Meth and the plague "
        "were ruled out, the doctor said; he had never used meth.\n\n"
        "Amazon said Amazon Alexa now works with Apple's AirPods, and the company plans an IPO next year, "
        "its COO told Reuters."
    )
    names = set(actors)
    for junk in ("DEAR ABBY", "CT", "air sacs", "Meth", "Amazon Alexa", "Apple's AirPods", "IPO", "COO"):
        assert junk not in names, (junk, sorted(names))
    assert "Amazon" in names and "Reuters" in names, sorted(names)


def test_links_list_marks_trademarks_and_score_lines_are_no_actors():
    # modelled on real pages of the extraction benchmark: a recipe, an ad-tech release, a concert listing, a
    # match report and an embedded tweet; each of these names was an actor before
    actors = _actors(
        "Drizzle with ® Honey and serve. Digital Intuition®, the company's algorithm, was built by my6sense, "
        "chief executive Assaf Henkin said.\n\n"
        "Tour dates:\n-- Ak-Chin Pavilion, Phoenix\n\n"
        "Scoring: Mekhi Robinson 1 goal, Aiden Haig 1 goal. Coach Maria Lopez said the team played well.\n\n"
        "The mayor posted a photo pic.twitter.com/4p7SXk7JPW on Sunday, his spokesman Tom Reed said."
    )
    names = set(actors)
    assert not any(n.startswith(("®", "-")) or "®" in n or "pic.twitter" in n for n in names), sorted(names)
    assert not any(any(ch.isdigit() for ch in n) for n, a in actors.items() if a.get("kind") == "person"), names
    assert {"Maria Lopez", "Tom Reed"} <= names, sorted(names)
    actors = _actors("Tour dates: June 24, Virginia Beach, VA; June 26, Bristow, VA; June 28, Phoenix, AZ.")
    assert not any(a.get("kind") in ("organization", "country") for n, a in actors.items() if n in ("VA", "AZ"))


def test_abbreviations_of_things_and_shouted_words_are_no_actors():
    # sentences of real pages: a health explainer, a tweet quoted in a campaign story, a press release, a review
    actors = _actors(
        "Binge eating disorder (BED) is considered the most common eating disorder, the World Health "
        "Organization (WHO) said. People with BED often eat alone.\n\n"
        "“GET OUT and VOTE on November 5th for your GREAT Governor,” Trump wrote. Many did vote.\n\n"
        "Ascom, a provider of healthcare ICT, said its sales rose, chief executive Holger Cordes said. "
        "The monitor has an IPS panel with HDR and RGB lighting, Dell said.\n\n"
        "Hege is the CEO of DH, the Spokane advertising, public relations and branding firm. DH did extensive "
        "research, Hege said."
    )
    names = set(actors)
    for junk in ("BED", "VOTE", "ICT", "IPS", "HDR", "RGB"):
        assert junk not in names, (junk, sorted(names))
    assert {"Ascom", "Holger Cordes", "Dell", "DH"} <= names, sorted(names)  # a firm named by two letters stays
    assert "WHO" in names or "World Health Organization" in names, sorted(names)
    # product models of real review pages, beside companies with numbers in their names
    actors = _actors(
        "A Bang & Olufsen Premium 3D Sound System will be available, as is Audi’s phone box.\n\n"
        "Arguably the best Android phone of 2019, the Note 10 Plus is well designed, Samsung said.\n\n"
        "Considering how Lexus Philippines offers almost all Lexus models locally, it's possible the LC500 "
        "Convertible could arrive in the future.\n\n"
        "I’ve been testing the Linksys Velop Wi-Fi 6 Mesh Router (regular $400, currently on sale for $300) for a "
        "few weeks, a 21st Century Fox analyst said."
    )
    names = set(actors)
    assert not any(any(ch.isdigit() for ch in n) and " " in n and "Century" not in n for n in names), sorted(names)
    assert {"Audi", "Samsung"} <= names, sorted(names)
    # a capitalised common noun beside its plural (a health story), a hotel's name (a kidnapping story)
    actors = _actors(
        "“Humidifier lung” may result from fungus growing in, guess what, humidifiers. As a safeguard, the "
        "doctor told him to clean his dwelling of mold.\n\n"
        "He admitted that he took the child to Forest Hill's WoodSpring Suites hotel, where he held her captive, "
        "police said."
    )
    assert "Humidifier" not in actors and "Suites" not in actors, sorted(actors)


def test_places_beside_places_and_adjectives_of_nationality():
    # the helicopter story of the hand check (Al Jazeera) and a line of an aviation story
    t = (
        "The Afghan Taliban, however, claimed responsibility for shooting down the helicopter, which it said "
        "crashed in Logar province south of the capital Kabul.\n\n"
        '"US Chinook helicopter shot down while trying to raid Mujahideen (Taliban) position in Pangram area of '
        'Sarkh, Logar," Taliban spokesman Zabihullah Mujahid said in a tweet. "The Americans wanted to raid a '
        'mujahideen base," Mujahid said.\n\n'
        "Boeing has orders for some 60 of the jets from Turkish-based carrier SunExpress, Kazakhstan's Air Astana "
        "and a third unnamed customer."
    )
    rec = analyze(t)
    validate(rec)
    actors = {a["name"]: a for a in rec["actors"]}
    assert "Afghan" not in actors and "Mujahideen" not in actors, sorted(actors)
    assert "Taliban" in actors and "Zabihullah Mujahid" in actors, sorted(actors)
    for place in ("Sarkh", "Logar"):
        assert actors.get(place, {}).get("kind") in (None, "other", "country"), (place, actors.get(place))
    assert actors.get("SunExpress", {}).get("kind") in (None, "organization"), actors.get("SunExpress")


def test_datelines_clubs_and_towns_get_their_kind():
    actors = _actors(
        "BERLIN -- The European Space Agency said on Monday that its researchers would test the plan.\n\n"
        "The coach has been out of work since being sacked by Manchester United in December 2018.\n\n"
        "The deportees were flown to Amritsar, and relatives waited for them in Amritsar overnight."
    )
    assert actors.get("BERLIN", {}).get("kind") in (None, "other", "country"), actors.get("BERLIN")
    assert actors.get("Manchester United", {}).get("kind") in (None, "organization"), actors.get("Manchester United")
    assert actors.get("Amritsar", {}).get("kind") in (None, "other", "country"), actors.get("Amritsar")
    assert "European Space Agency" in actors, sorted(actors)
    actors = _actors(
        "Health officials said the virus has been found in Barry, Berrien, Calhoun, Cass, Kalamazoo and Van Buren "
        "counties. Dr. Joneigh Khaldun said residents should avoid mosquitoes."
    )
    for county in ("Berrien", "Cass", "Kalamazoo", "Van Buren"):
        assert actors.get(county, {}).get("kind") in (None, "other", "country"), (county, actors.get(county))
    assert actors.get("Joneigh Khaldun", {}).get("kind") == "person", sorted(actors)


def test_the_people_of_a_name_are_not_the_name():
    t = (
        "Rudolph's supporters have stated that Rudolph had no choice but to act. "
        "Trump's lawyers said the case was baseless. Trump's spokesman said the president was pleased. "
        "Trump supporters said the rally was peaceful. Hamas officials said the talks had failed."
    )
    speakers = _speakers(t)
    assert speakers.get("Rudolph's supporters", "missing") is None, speakers
    assert speakers.get("Trump's lawyers", "missing") is None, speakers
    assert speakers.get("Trump supporters", "missing") is None, speakers
    assert speakers.get("Trump's spokesman") == "Trump", speakers  # a spokesman speaks for the name
    assert speakers.get("Hamas officials") == "Hamas", speakers  # and officials for their organisation


def test_names_like_common_words_stay_actors():
    # the second sample of real pages: these were lost by the first version of the junk rules
    actors = _actors(
        "The Times is committed to publishing a diversity of letters. He had called three times.\n\n"
        "NASA’s Office of the Inspector General released two critical reports last week.\n\n"
        "Chief executive Lior Kaplan founded my6sense in 2012, the company said. "
        "Follow him on Twitter @michaeldwall or visit https://www.example.com/page for more."
    )
    names = set(actors)
    assert "Times" in names or "The Times" in names, sorted(names)
    assert any("Office of the Inspector General" in n for n in names), sorted(names)
    assert not any("@" in n or "://" in n for n in names), sorted(names)


def test_a_speaker_named_in_an_appositive_and_the_company_is_no_event():
    t = (
        "Taylor Swift says she has been blocked from playing her old songs at the American Music Awards. "
        "The group that owns most of her music, Big Machine, says she will be allowed to play her old tracks.\n\n"
        "Swift wrote that the label had refused. The company says she didn't need their permission."
    )
    speakers = _speakers(t)
    assert speakers.get("The group that owns most of her music, Big Machine,") == "Big Machine", speakers
    assert speakers.get("The company") != "American Music Awards", speakers


def test_one_person_under_several_full_names_is_one_actor_but_relatives_are_not():
    actors = _actors(
        "Patrick W. Carlineo Jr. pleaded guilty on Monday. Pat Carlineo told police he supported the president, "
        "and Carlineo's attorney said he regretted the call.\n\n"
        "Joe Biden spoke on Friday. Hunter Biden did not attend the event."
    )
    carlineo = [n for n in actors if "Carlineo" in n]
    assert len(carlineo) == 1, sorted(actors)
    assert "Joe Biden" in actors and "Hunter Biden" in actors, sorted(actors)


def test_a_name_run_into_its_popup_copy_is_no_actor():
    actors = _actors("A man threatened to kill Rep. Ilhan OmarIlhan Omar last year, prosecutors said. Omar spoke.")
    assert not any("OmarIlhan" in n for n in actors), sorted(actors)


def test_a_place_keeps_the_word_before_its_name():
    actors = _actors(
        "Two cases of plague were diagnosed in Inner Mongolia this month. A cat was found in New Mexico. "
        "He flew to Northern Ireland, then to Russia."
    )
    assert {"Inner Mongolia", "New Mexico", "Northern Ireland", "Russia"} <= set(actors), sorted(actors)
    assert not {"Mongolia", "Mexico", "Ireland"} & set(actors), sorted(actors)


def test_a_long_run_of_capitalised_words_is_read_in_linear_time():
    # the pattern for "Cass, Kalamazoo and Van Buren counties" once backtracked exponentially on title-case text
    from presslens.actors.cleanup import _LISTED_PLACES

    assert _LISTED_PLACES.match(" " + "Word " * 80 + "said", 0) is None
    assert _LISTED_PLACES.match(", Cass and Van Buren counties", 0) is not None
    title = "Senator Mary Jones " + " ".join(["Says"] * 60) + " Nothing About The Vote."
    assert [a["name"] for a in _actors(title + "\n\nMary Jones said the vote was fair.").values()]


def test_looking_for_swallowing_and_pushing_things_are_no_statements_but_pushing_for_a_policy_is():
    # sentences of real pages (a police story, a business blog, a hockey roundup, a space-policy feature)
    t = (
        "And officers rushed in, frantically looking for the little girl.\n\n"
        "Once I swallowed the fear of investing that much to learn something new, things started happening.\n\n"
        "Blake Coleman scored for New Jersey, which was looking for its first three-game winning streak since "
        "December 2018.\n\n"
        "At a hearing last month, Rep. Robert Aderholt, ranking member of the subcommittee, pushed for greater use "
        "of the rocket."
    )
    quotes = _quotes(t)
    contents = [c for _k, c, _s, _n in quotes]
    assert not any("little girl" in c or "fear of investing" in c or "winning streak" in c for c in contents), quotes
    assert any("greater use of the rocket" in c for c in contents), quotes


def test_actions_intentions_and_referrals_are_no_statements_but_speech_beside_them_is():
    # sentences of real pages (an auto-show story, a Syria story, a health case report, a Capitol threat story)
    t = (
        "Ford is rolling out an all-new electric SUV that carries the Mustang performance car brand name.\n\n"
        "Jordan closed its borders with Syria and blocked the Rukban crossing point.\n\n"
        "Delhi officials also implemented an odd-even traffic rationing scheme that takes half of the cars off "
        "the road.\n\n"
        "His doctor referred him to an urgent respiratory care clinic and sought out advice.\n\n"
        "The office referred the call to U.S. Capitol Police, who worked with the FBI.\n\n"
        "US President Donald Trump has been eager to withdraw troops from the region.\n\n"
        "Rudolph then tried to remove Garrett's helmet before Garrett responded.\n\n"
        "Senator Jane Smith tried to argue that the plan would fail, and she referred to the bill as a disaster."
    )
    quotes = _quotes(t)
    contents = [c for _k, c, _s, _n in quotes]
    for words in ("electric SUV", "Rukban", "rationing", "respiratory", "Capitol Police", "withdraw", "helmet"):
        assert not any(words in c for c in contents), (words, quotes)
    assert any("the plan would fail" in c for c in contents), quotes


def test_a_speaker_phrase_that_joins_two_sources_gives_no_single_actor():
    # sentences of real pages (an impeachment story, a finance page); the first name used to take the quote
    t = (
        "Alexander Vindman and Jennifer Williams testified on Tuesday. Kurt Volker and Tim Morrison testified "
        "later.\n\n"
        "However, both Vindman and Williams told lawmakers that Trump’s request to Ukrainian president to "
        "investigate Democratic rivals was inappropriate.\n\n"
        "Volker and Morrison said that the call with Zelensky was not in line with American national security "
        "goals.\n\n"
        "Grant Sabatier, a self-made millionaire, said his savings came from his income. You can make an even "
        "bigger difference by increasing your income, he and his wife Kali explained on an episode of their "
        "podcast.\n\n"
        "“We had some issues,” Paganini and his team said."
    )
    rec = analyze(t)
    validate(rec)
    names = {a["id"]: a["name"] for a in rec["actors"]}
    by_phrase = {}
    for q in rec["quotes"]:
        sp = q["speaker"]
        if sp["span"]:
            by_phrase[t[sp["span"][0] : sp["span"][1]]] = names.get(sp["actor"])
    joint = [p for p in by_phrase if " and " in p and "team" not in p]
    assert len(joint) >= 3, by_phrase
    assert all(by_phrase[p] is None for p in joint), by_phrase
    team = [p for p in by_phrase if "team" in p]
    assert team and by_phrase[team[0]] is not None, by_phrase  # a person and their team: the person speaks


def test_the_president_is_the_head_of_state_named_nearby_not_the_president_of_a_bank_named_last():
    # shortened from a real trade-talks page: a Fed president is quoted, then the story returns to Mr. Trump,
    # who is named again much later; "The president" is Mr. Trump, and so are the pronouns around it
    filler = "Negotiators met again in Beijing on Monday without a result. " * 12
    t = (
        "President Trump has called the talks with China a great success.\n\n"
        "“Geopolitical tensions are threatening to put the brakes on growth,” John Williams, the president of the "
        "Federal Reserve Bank of New York, said in a speech last week.\n\n"
        "Mr. Trump’s theatrical embrace is not limited to China. He has injected similar drama into trade talks "
        "with Europe.\n\n"
        "The president says his approach has created leverage.\n\n" + filler + "\n\n"
        "Mr. Trump will travel to Europe next month."
    )
    rec = analyze(t)
    names = {a["id"]: a["name"] for a in rec["actors"]}
    says = [q for q in rec["quotes"] if "created leverage" in q["text"]]
    assert says and names.get(says[0]["speaker"]["actor"]) == "Trump", (says, names)


def test_a_name_with_a_persons_role_in_apposition_is_a_person_whatever_its_first_name():
    # a real trade-talks page: spaCy's small model tags "Eswar Prasad" as an organisation
    rec = analyze(
        "Eswar Prasad, a trade professor at Cornell, said the president’s temperament had complicated the task. "
        "Acme Widget Corp, a member of the trade group, declined to comment."
    )
    kinds = {a["name"]: a["kind"] for a in rec["actors"]}
    assert kinds.get("Eswar Prasad") == "person", kinds
    assert kinds.get("Acme Widget Corp") == "organization", kinds


def test_an_embedded_post_is_its_signers_direct_quote_and_its_first_person_is_the_signer():
    # the shape of a Twitter embed on a real page (a Delhi air-pollution story): the post's line, then its signature
    t = (
        "Delhi’s Chief Minister Arvind Kejriwal turned to Twitter last month to describe his city as a “gas "
        "chamber.”\n"
        "Delhi has turned into a gas chamber due to smoke from crop burning in neighbouring states\n"
        "It is very imp that we protect ourselves from this toxic air. Through pvt & govt schools, we have started "
        "distributing 50 lakh masks today\n"
        "I urge all Delhiites to use them whenever needed pic.twitter.com/MYwRz9euaq\n"
        "— Arvind Kejriwal (@ArvindKejriwal) November 1, 2019\n"
        "Another wondered why the state bothered to trademark the tagline in the first place.\n"
        "I love that they trademarked it. Don't worry, South Dakota, no one's going to take your slogan. "
        "https://t.co/XPxUJuyIAC\n"
        "— Robert Maguire (@RobertMaguire_) November 18, 2019\n"
        "The air was like smoking 50 cigarettes a day, doctors said.\n"
        "#Browns Greedy Williams has been solid in run support and tackling so far this season.\n"
        "— PFF CLE Browns (@PFF_Browns) November 16, 2019\n"
        "*min. 25 snaps\n"
        "— PFF CLE Browns (@PFF_Browns) November 15, 2019"
    )
    rec = analyze(t)
    validate(rec)
    names = {a["id"]: a["name"] for a in rec["actors"]}
    by_text = {q["text"]: q for q in rec["quotes"]}
    # a post of three lines: the lines above the last one end without a full stop, so they are the post's too
    urge = [q for q in rec["quotes"] if q["text"].endswith("I urge all Delhiites to use them whenever needed")]
    assert urge and urge[0]["kind"] == "direct" and names.get(urge[0]["speaker"]["actor"]) == "Arvind Kejriwal"
    assert urge[0]["text"].startswith("Delhi has turned into a gas chamber") and "toxic air" in urge[0]["text"]
    assert len(urge[0]["content"]) == 3 and not any("Twitter" in q["text"] for q in rec["quotes"]), by_text
    # the article's sentence above a post ends with a full stop: it is not the post's
    love = [q for q in rec["quotes"] if "trademarked it" in q["text"]]
    assert love and love[0]["text"].startswith("I love") and names.get(love[0]["speaker"]["actor"]) == "Robert Maguire"
    assert not any(q["speaker"]["text"] == "I" for q in rec["quotes"]), by_text
    browns = [q for q in rec["quotes"] if "run support" in q["text"]]
    assert browns and browns[0]["speaker"]["text"] == "PFF CLE Browns" and browns[0]["speaker"]["actor"] is None
    assert not any("snaps" in q["text"] for q in rec["quotes"]), by_text


def test_a_content_that_states_nothing_is_no_quote_but_a_stance_on_a_thing_is():
    # sentences of real pages (a kidnapping rescue, a car launch, a WikiLeaks story)
    t = (
        "A family friend found the suspect's car in the hotel parking lot and called 911.\n\n"
        "Federal prosecutors in Texas released the body camera footage when officers found the girl.\n\n"
        "It puts out 151 PS along with 197 Nm of torque; which Nissan claims is a 20% improvement.\n\n"
        "There was no immediate comment from Assange but Wikileaks welcomed the Swedish move to drop the "
        "investigation.\n\n"
        "Senator Jane Smith called for the footage to be released."
    )
    contents = [c for _k, c, _s, _n in _quotes(t)]
    assert not any(c.strip() in ("911", "which") or "body camera" in c for c in contents), contents
    assert any("Swedish move" in c for c in contents), contents
    assert any("footage to be released" in c for c in contents), contents


def test_addresses_cut_names_and_datelines_in_capitals_give_no_extra_actors():
    # shortened from real pages (a police blotter, a hockey roundup, a defence story, a company release)
    actors = _actors(
        "HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper said in a speech to the Diplomatic Academy of "
        "Vietnam that China was intimidating its neighbours. Esper later left Hanoi for Manila.\n\n"
        "Police stopped a vehicle driven by Jonathan P. Blair, 29, of 1909 Jolinda Drive. They arrested "
        "Christopher D. Battin, 33, who resides at 2134 Caldwell Place, Harris said.\n\n"
        "Brandon Montour scored for the Sabres and Linus Ullmark stopped 22 shots."
    )
    names = set(actors)
    assert not {"Jolinda Drive", "Caldwell Place", "Diplomatic Academy of", "Sabres and", "HANOI"} & names, names
    assert {"Hanoi", "Jonathan P. Blair", "Christopher D. Battin", "Sabres"} <= names, names


def test_a_state_abbreviation_in_a_dateline_is_the_state_named_in_full():
    # datelines of real pages (an AP health story, a college football roundup)
    rec = analyze(
        "ST. JOSEPH, Mich. (AP) — Michigan health officials said a sixth person has died of the virus.\n\n"
        "Dekalb, Ill. — Mike Glass threw three touchdown passes on Tuesday night."
    )
    names = {a["id"]: a["name"] for a in rec["actors"]}
    assert not {"Mich.", "Ill.", "JOSEPH"} & set(names.values()), names
    located = {(names[r["subject"]], names[r["object"]]) for r in rec["relations"] if r["relation"] == "located_in"}
    assert ("ST. JOSEPH", "Michigan") in located and ("Dekalb", "Illinois") in located, located


def test_an_organisation_named_again_is_the_company_and_an_introduced_group_is_the_group():
    # shortened from real pages (a WeWork layoffs story, a trade-group story)
    t = (
        "A person familiar with the matter told TRD that employees will begin receiving notice Monday. WeWork "
        "declined to comment. WeWork employees have waited weeks to hear of the layoffs, since the company abandoned "
        "plans for an IPO.\n\n"
        "The group, WeWorkers Coalition, formed in recent weeks. The group announced over the weekend that WeWork "
        "had reached an agreement. In a separate tweet, the group added that WeWork was not following the law.\n\n"
        "Wikileaks editor-in-chief Kristinn Hrafnsson said the decision was welcome. A WeWork spokesperson said the "
        "company was cooperating."
    )
    rec = analyze(t)
    names = {a["id"]: a["name"] for a in rec["actors"]}
    wework = next(a for a in rec["actors"] if a["name"] == "WeWork")
    said = {t[s:e] for s, e in wework["mentions"]}
    assert "the company" in said, said
    group = [q for q in rec["quotes"] if q["speaker"]["text"] in ("The group", "the group")]
    assert group and all(names.get(q["speaker"]["actor"]) == "WeWorkers Coalition" for q in group), group
    speaker = {q["speaker"]["text"]: names.get(q["speaker"]["actor"]) for q in rec["quotes"]}
    assert speaker.get("Wikileaks editor-in-chief Kristinn Hrafnsson") == "Kristinn Hrafnsson", speaker
    assert speaker.get("A WeWork spokesperson") == "WeWork", speaker


def test_score_lines_and_a_reflexive_state_are_no_quotes():
    # a hockey roundup and a personal blog
    t = (
        "The Panthers are 6-2-1 in their past nine games.\n"
        "Blue Jackets 5, Canadiens 2: Pierre-Luc Dubois had two goals and an assist, and Columbus beat Montreal.\n\n"
        "I got comfortable with the Intimidating list and found myself ready to tackle the Terror Level 100 list.\n\n"
        "Coach John Tortorella said the team played well."
    )
    quotes = _quotes(t)
    assert not any(s and "Canadiens" in s for _k, _c, s, _n in quotes), quotes
    assert not any("myself" in c for _k, c, _s, _n in quotes), quotes
    assert any("played well" in c for _k, c, _s, _n in quotes), quotes


def test_products_are_no_actors_and_releasing_one_is_no_statement():
    # sentences of real technology pages (a laptop review, a gaming launch story)
    rec = analyze(
        "Apple released the 11-inch iPad Pro last year. The new 16-inch MacBook Pro features a redesigned "
        "keyboard, and the MacBook Air will follow.\n\n"
        "Stadia launches tomorrow with 22 games, Google said. The Stadia controller connects to the Chromecast "
        "Ultra and an XBox One controller works too."
    )
    names = {a["name"] for a in rec["actors"]}
    assert not any(n.startswith(("iPad", "MacBook", "Stadia", "Chromecast", "XBox", "Xbox")) for n in names), names
    assert {"Apple", "Google"} <= names, names
    assert not any("iPad Pro" in q["text"] for q in rec["quotes"]), rec["quotes"]


def test_pathogens_processes_and_assistants_are_no_actors_and_no_pronoun_makes_them_one():
    # shortened from real pages (a plague story, a smart-home deals page, an election story): the disease and the
    # voice assistant are no actors, not even as the antecedent of "The man ... he"; a novelist named Siri is one
    text = (
        "A HUNTER who killed and ate a wild rabbit in China has been hit by the deadly bubonic plague.\n"
        "The 55-year-old is the third Beijing resident to contract the medieval disease dubbed the Black Death, say "
        "officials.\nHealth bosses said that 28 people in close contact with the hunter were initially quarantined "
        "to stop it being transmitted further.\nThe man told doctors he ate the rabbit meat in Inner Mongolia on "
        "November 5.\nHe was admitted to hospital on Saturday.\n"
        "Bubonic plague is caused by the bacterium Yersinia pestis. It was known as the \"Black Death\" during the "
        "fourteenth century.\n\n"
        "The thermostat works with Siri and HomeKit, so you can ask Siri to turn up the heat.\n\n"
        "Novelist Siri Hustvedt said Brexit had divided families across the country."
    )
    rec = analyze(text)
    names = {a["name"] for a in rec["actors"]}
    assert not names & {"Black Death", "Yersinia", "Siri", "HomeKit", "Brexit"}, names
    assert "Siri Hustvedt" in names, names
    told = next(q for q in rec["quotes"] if "rabbit meat" in q["text"])
    assert told["speaker"]["actor"] is None, told


def test_a_belief_supposed_in_a_condition_is_nobodys_quote():
    # an opinion column on a real page: the writer supposes a belief, nobody states it; a belief stated outright,
    # and speech under "if", stay attributions
    t = (
        "Certainly, if they really believed that Trump was an incompetent buffoon, the better strategy would have "
        "been to step aside.\n\n"
        "Democrats believe that Trump was an incompetent buffoon.\n\n"
        "If the minister said that the deal was dead, the markets did not hear him."
    )
    rec = analyze(t)
    speakers = [(q["speaker"]["text"], q["text"]) for q in rec["quotes"]]
    assert not any(s == "they" for s, _ in speakers), speakers
    assert any(s == "Democrats" and "buffoon" in c for s, c in speakers), speakers
    assert any(s == "the minister" and "deal was dead" in c for s, c in speakers), speakers
