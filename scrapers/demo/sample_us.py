"""The demo's federal data in the sources' own formats and URL paths (no leading slash):

- GovInfo: `sitemap/bulkdata/BILLSTATUS/sitemapindex.xml`, one sitemap per congress and type,
  and `bulkdata/BILLSTATUS/{congress}/{type}/BILLSTATUS-{congress}{type}{number}.xml` (schema 3.0.0);
- House Clerk: `evs/{year}/index.asp` and `evs/{year}/rollNNN.xml`;
- Senate LIS: the vote menu and `legislative/LIS/roll_call_votes/vote{congress}{session}/vote_..._NNNNN.xml`;
- congress-legislators: `congress-legislators/legislators-current.yaml` and friends.

Written with lxml's element builder and yaml.safe_dump, never by string pasting of values.
"""
from __future__ import annotations

import datetime as dt

import yaml
from lxml import etree
from lxml.builder import E

from scrapers.demo.cast import (BILLS, COMMITTEES, CONGRESS, HOUSE, MEMBERS, ROLL_CALLS, SENATE, SESSION,
                                YEAR, Bill, RollCall, roll_call)
from scrapers.formats.senate_lis import menu_path, vote_path

GOVINFO = "https://www.govinfo.gov"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LEGISLATORS_DIR = "congress-legislators"
_SYSTEMS = {"0": "Senate", "1": "House committee actions", "2": "House floor actions", "9": "Library of Congress"}


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _committee_ref(thomas: str):
    name, chamber, code, _ = COMMITTEES[thomas]
    return E.committees(E.item(E.systemCode(code), E.name(name.removeprefix("Committee on ") + " Committee")))


def _action(date: str, text: str, kind: str, system: str, code: str | None = None,
            committee: str | None = None, vote: RollCall | None = None, time: str | None = None):
    item = E.item(E.actionDate(date))
    if time:
        item.append(E.actionTime(time))
    if committee:
        item.append(_committee_ref(committee))
    item.append(E.sourceSystem(*([E.code(system)] if system != "0" else []), E.name(_SYSTEMS[system])))
    item.append(E.text(text))
    item.append(E.type(kind))
    if code:
        item.append(E.actionCode(code))
    if vote is not None:
        item.append(E.recordedVotes(_recorded_vote(vote)))
    return item


def _recorded_vote(vote: RollCall):
    hour, minute = map(int, vote.time.split(":"))
    # BILLSTATUS vote dates are UTC; Eastern daylight time is UTC-4 in spring.
    stamp = (dt.datetime.fromisoformat(vote.date) + dt.timedelta(hours=hour + 4, minutes=minute))
    url = (f"https://clerk.house.gov/evs/{YEAR}/roll{vote.number:03d}.xml" if vote.chamber == "house" else
           f"https://www.senate.gov/{vote_path(CONGRESS, SESSION, vote.number)}")
    return E.recordedVote(E.rollNumber(str(vote.number)), E.url(url), E.chamber(vote.chamber.title()),
                          E.congress(str(CONGRESS)), E.date(stamp.strftime("%Y-%m-%dT%H:%M:%SZ")),
                          E.sessionNumber(str(SESSION)))


def _committee_words(thomas: str) -> str:
    return COMMITTEES[thomas][0]


def _steps(bill: Bill, date: str, step: str) -> list:
    """The BILLSTATUS action items (chamber copy first, Library of Congress copy after) of one step."""
    c = bill.committee
    if step == "intro_h":
        return [_action(date, "Introduced in House", "IntroReferral", "9", "Intro-H")]
    if step == "refer_h":
        text = f"Referred to the House {_committee_words(c)}."
        return [_action(date, text, "IntroReferral", "2", "H11100", committee=c)]
    if step == "markup_h":
        return [_action(date, "Committee Consideration and Mark-up Session Held", "Committee", "1",
                        "H15000", committee=c),
                _action(date, "Ordered to be Reported (Amended) by the Yeas and Nays: 7 - 5.", "Committee",
                        "1", "H19000", committee=c)]
    if step == "reported_h":
        text = f"Reported (Amended) by the {_committee_words(c)}. H. Rept. 119-{bill.number % 97 + 20}."
        return [_action(date, text, "Committee", "2", "H12200", committee=c),
                _action(date, text, "Committee", "9", "5000")]
    if step == "intro_s":
        text = f"Read twice and referred to the {_committee_words(c)}."
        return [_action(date, "Introduced in Senate", "IntroReferral", "9", "10000"),
                _action(date, text, "IntroReferral", "0", committee=c)]
    if step == "received_s":
        return [_action(date, "Received in the Senate and Read twice and referred to the Committee on "
                        "Health, Education, Labor, and Pensions.", "IntroReferral", "0", committee="SSHR")]
    if step == "received_h":
        return [_action(date, "Received in the House.", "Floor", "2", "H14000"),
                _action(date, "Held at the desk.", "Floor", "2")]
    if step == "presented":
        return [_action(date, "Presented to President.", "Floor", "9", "E20000")]
    if step == "signed":
        return [_action(date, "Signed by President.", "President", "9", "E30000")]
    if step == "law":
        return [_action(date, f"Became Public Law No: {bill.law}.", "BecameLaw", "9", "E40000"),
                _action(date, f"Became Public Law No: {bill.law}.", "BecameLaw", "9", "36000")]
    if step.startswith("vote:"):
        _, chamber, number = step.split(":")
        return _vote_actions(date, roll_call(chamber, int(number)))
    raise ValueError(f"unknown demo step {step!r}")


def _vote_actions(date: str, vote: RollCall) -> list:
    yes, no = vote.tally()
    if vote.chamber == "house":
        outcome = "Passed" if vote.passed else "Failed"
        text = f"On passage {outcome} by the Yeas and Nays: {yes} - {no} (Roll no. {vote.number})."
        loc = ("Passed/agreed to in House: " if vote.passed else "Failed of passage/not agreed to in House: ") + text
        return [_action(date, text, "Floor", "2", "H37100", vote=vote, time=vote.time + ":00"),
                _action(date, loc, "Floor", "9", "8000" if vote.passed else "9000", vote=vote)]
    text = (f"Passed Senate without amendment by Yea-Nay Vote. {yes} - {no}. Record Vote Number: {vote.number}."
            if vote.passed else f"Failed of passage in Senate by Yea-Nay Vote. {yes} - {no}. "
            f"Record Vote Number: {vote.number}.")
    return [_action(date, text, "Floor", "0", vote=vote),
            _action(date, "Passed/agreed to in Senate: " + text, "Floor", "9", "17000", vote=vote)]


def _person(bioguide: str, *extra):
    m = MEMBERS[bioguide]
    item = E.item(E.bioguideId(m.bioguide), E.fullName(m.full_name), E.firstName(m.first),
                  E.lastName(m.last), E.party(m.party), E.state(m.state))
    if m.district is not None:
        item.append(E.district(str(m.district)))
    for el in extra:
        item.append(el)
    return item


def billstatus(bill: Bill) -> bytes:
    """One bill as a BILLSTATUS 3.0.0 file (actions newest first, as GovInfo lists them)."""
    actions = [a for date, step in bill.steps for a in _steps(bill, date, step)]
    name, chamber, code, _ = COMMITTEES[bill.committee]
    el = E.bill(
        E.number(str(bill.number)), E.updateDate(bill.updated), E.updateDateIncludingText(bill.updated),
        E.originChamber("House" if bill.type == "hr" else "Senate"), E.type(bill.type.upper()),
        E.introducedDate(bill.introduced), E.congress(str(CONGRESS)),
        E.committees(E.item(E.systemCode(code), E.name(name.removeprefix("Committee on ") + " Committee"),
                            E.chamber(chamber.title()), E.type("Standing"),
                            E.activities(E.item(E.name("Referred to"), E.date(bill.introduced + "T16:00:00Z"))))),
        E.actions(*reversed(actions)),
        E.sponsors(_person(bill.sponsor, E.isByRequest("N"))),
        E.cosponsors(*(_person(b, E.sponsorshipDate(d), E.isOriginalCosponsor(str(d == bill.introduced)))
                       for b, d in bill.cosponsors)),
        E.policyArea(E.name(bill.policy_area)),
        E.subjects(E.legislativeSubjects(*(E.item(E.name(s)) for s in bill.subjects)),
                   E.policyArea(E.name(bill.policy_area))),
        E.summaries(E.summary(E.versionCode("00"), E.actionDate(bill.introduced),
                              E.actionDesc("Introduced in " + ("House" if bill.type == "hr" else "Senate")),
                              E.updateDate(bill.updated), E.text(etree.CDATA(bill.summary)))),
        E.title(bill.title),
        E.titles(E.item(E.titleType("Display Title"), E.title(bill.title)),
                 E.item(E.titleType("Short Title(s) as Introduced"), E.title(bill.title))),
    )
    if bill.law:
        el.append(E.laws(E.item(E.type("Public Law"), E.number(bill.law))))
    return _xml(E.billStatus(E.version("3.0.0"), el,
                             E.dublinCore(E.format("text/xml"), E.language("EN"),
                                          E.rights("Pursuant to Title 17 Section 105 of the United States Code, "
                                                   "this file is not subject to copyright protection and is in "
                                                   "the public domain."))))


def bill_path(bill: Bill) -> str:
    return (f"bulkdata/BILLSTATUS/{CONGRESS}/{bill.type}/"
            f"BILLSTATUS-{CONGRESS}{bill.type}{bill.number}.xml")


def sitemaps() -> dict[str, bytes]:
    """The sitemap index and one sitemap per congress and bill type, with lastmods."""
    files: dict[str, bytes] = {}
    by_type: dict[str, list[Bill]] = {}
    for bill in BILLS:
        by_type.setdefault(bill.type, []).append(bill)
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for kind, bills in sorted(by_type.items()):
        urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
        for bill in bills:
            url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = f"{GOVINFO}/{bill_path(bill)}"
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = bill.updated.replace("Z", ".000Z")
        path = f"sitemap/bulkdata/BILLSTATUS/{CONGRESS}{kind}/sitemap.xml"
        files[path] = _xml(urlset)
        entry = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = f"{GOVINFO}/{path}"
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = max(b.updated for b in bills).replace("Z", ".000Z")
    files["sitemap/bulkdata/BILLSTATUS/sitemapindex.xml"] = _xml(index)
    return files


_HOUSE_VOTE = {"yes": "Yea", "no": "Nay", "absent": "Not Voting"}
_SENATE_VOTE = {"yes": "Yea", "no": "Nay", "absent": "Not Voting"}


def _bill_label(code: str, senate: bool = False) -> tuple[str, str]:
    kind = code.rstrip("0123456789")
    number = code[len(kind):]
    if senate:
        return {"hr": "H.R.", "s": "S."}[kind], number
    return {"hr": "H R", "s": "S"}[kind], number


def house_roll(vote: RollCall) -> bytes:
    """A House Clerk roll-call file (the Clerk's own layout, including its DTD reference)."""
    yes, no = vote.tally()
    absent = len(HOUSE) - yes - no
    day = dt.date.fromisoformat(vote.date)
    hour, minute = map(int, vote.time.split(":"))
    label, number = _bill_label(vote.bill)
    rows = [E("recorded-vote",
              E.legislator(m.last, **{"name-id": m.bioguide, "sort-field": m.last, "unaccented-name": m.last,
                                      "party": m.party, "state": m.state, "role": "legislator"}),
              E.vote(_HOUSE_VOTE[vote.option(m.bioguide)])) for m in sorted(HOUSE, key=lambda m: m.last)]
    by_party = []
    for party, pname in (("R", "Republican"), ("D", "Democratic")):
        opts = [vote.option(m.bioguide) for m in HOUSE if m.party == party]
        by_party.append(E("totals-by-party", E.party(pname), E("yea-total", str(opts.count("yes"))),
                          E("nay-total", str(opts.count("no"))), E("present-total", "0"),
                          E("not-voting-total", str(opts.count("absent")))))
    meta = E("vote-metadata", E.majority("R"), E.congress(str(CONGRESS)), E.session("1st"),
             E.chamber("U.S. House of Representatives"), E("rollcall-num", str(vote.number)),
             E("legis-num", f"{label} {number}"), E("vote-question", vote.question),
             E("vote-type", "YEA-AND-NAY"), E("vote-result", "Passed" if vote.passed else "Failed"),
             E("action-date", f"{day.day}-{day.strftime('%b-%Y')}"),
             E("action-time", f"{(hour - 1) % 12 + 1}:{minute:02d} {'PM' if hour >= 12 else 'AM'}",
               **{"time-etz": f"{hour:02d}:{minute:02d}"}),
             E("vote-desc", next(b.title for b in BILLS if f"{b.type}{b.number}" == vote.bill)),
             E("vote-totals", *by_party,
               E("totals-by-vote", E("total-stub", "Totals"), E("yea-total", str(yes)), E("nay-total", str(no)),
                 E("present-total", "0"), E("not-voting-total", str(absent)))))
    body = etree.tostring(E("rollcall-vote", meta, E("vote-data", *rows)), encoding="UTF-8", pretty_print=True)
    head = (b'<?xml version="1.0" encoding="UTF-8"?>\r\n'
            b'<!DOCTYPE rollcall-vote PUBLIC "-//US Congress//DTDs/vote v1.0 20031119 //EN" "../vote.dtd">\r\n'
            b'<?xml-stylesheet type="text/xsl" href="../vote.xsl"?>\r\n')
    return head + body.replace(b"\n", b"\r\n")  # the Clerk serves CRLF line endings


def house_index(year: int, votes: list[RollCall]) -> bytes:
    """The Clerk's year index (HTML) linking each roll, newest first."""
    rows = "".join(
        f'<tr><td><a href="https://clerk.house.gov/cgi-bin/vote.asp?year={year}&amp;rollnumber={v.number}">'
        f"{v.number}</a></td><td>{dt.date.fromisoformat(v.date).strftime('%d-%b')}</td>"
        f"<td>{v.bill.upper()}</td><td>{v.question}</td><td>{'P' if v.passed else 'F'}</td></tr>\n"
        for v in sorted(votes, key=lambda v: -v.number))
    return (f"<html><head><title>Roll Call Votes {year}</title></head><body>"
            f"<h1>Roll Call Votes, {CONGRESS}th Congress - 1st Session ({year})</h1>"
            f"<table>\n<tr><th>Roll</th><th>Date</th><th>Issue</th><th>Question</th><th>Result</th></tr>\n"
            f"{rows}</table></body></html>").encode()


def senate_vote(vote: RollCall) -> bytes:
    yes, no = vote.tally()
    label, number = _bill_label(vote.bill, senate=True)
    title = next(b.title for b in BILLS if f"{b.type}{b.number}" == vote.bill)
    day = dt.date.fromisoformat(vote.date)
    hour, minute = map(int, vote.time.split(":"))
    # The Senate writes two spaces before the time: "April 9, 2025,  11:30 AM".
    when = f"{day.strftime('%B')} {day.day}, {day.year},  {(hour - 1) % 12 + 1:02d}:{minute:02d} {'PM' if hour >= 12 else 'AM'}"
    result = "Bill Passed" if vote.passed else "Bill Defeated"
    members = [E.member(E.member_full(f"{m.last} ({m.party}-{m.state})"), E.last_name(m.last),
                        E.first_name(m.first), E.party(m.party), E.state(m.state),
                        E.vote_cast(_SENATE_VOTE[vote.option(m.bioguide)]), E.lis_member_id(m.lis))
               for m in sorted(SENATE, key=lambda m: m.last)]
    root = E.roll_call_vote(
        E.congress(str(CONGRESS)), E.session(str(SESSION)), E.congress_year(str(YEAR)),
        E.vote_number(str(vote.number)), E.vote_date(when), E.modify_date(when),
        E.vote_question_text(f"{vote.question} {label} {number}"), E.vote_document_text(title),
        E.vote_result_text(f"{result} ({yes}-{no})"), E.question(vote.question), E.vote_title(f"{label} {number}"),
        E.majority_requirement("1/2"), E.vote_result(result),
        E.document(E.document_congress(str(CONGRESS)), E.document_type(label), E.document_number(number),
                   E.document_name(f"{label} {number}"), E.document_title(title)),
        E.count(E.yeas(str(yes)), E.nays(str(no)), E.present("0"), E.absent(str(len(SENATE) - yes - no))),
        E.tie_breaker(E.by_whom(), E.tie_breaker_vote()), E.members(*members))
    return _xml(root)


def senate_menu(votes: list[RollCall]) -> bytes:
    items = [E.vote(E.vote_number(f"{v.number:05d}"), E.vote_date(dt.date.fromisoformat(v.date).strftime("%d-%b")),
                    E.issue(v.bill.upper()), E.question(v.question),
                    E.result("Passed" if v.passed else "Rejected"),
                    E.vote_tally(E.yeas(str(v.tally()[0])), E.nays(str(v.tally()[1]))))
             for v in sorted(votes, key=lambda v: -v.number)]
    return _xml(E.vote_summary(E.congress(str(CONGRESS)), E.session(str(SESSION)),
                               E.congress_year(str(YEAR)), E.votes(*items)))


def legislators_yaml() -> dict[str, bytes]:
    """The four congress-legislators files for the demo's members and committees."""
    people = []
    for m in HOUSE + SENATE:
        ids = {"bioguide": m.bioguide, "govtrack": 990000 + int(m.bioguide[2:])}
        if m.lis:
            ids["lis"] = m.lis
        term = {"type": "rep" if m.district is not None else "sen", "start": "2025-01-03", "end": "2027-01-03",
                "state": m.state, "party": m.party_name}
        if m.district is not None:
            term["district"] = m.district
        else:
            term.update({"class": 2, "end": "2027-01-03", "state_rank": "junior"})
        people.append({"id": ids, "name": {"first": m.first, "last": m.last,
                                           "official_full": f"{m.first} {m.last}"},
                       "bio": {"birthday": m.birthday, "gender": m.gender}, "terms": [term]})
    committees, membership = [], {}
    for tid, (name, chamber, _code, subs) in COMMITTEES.items():
        entry = {"type": chamber, "name": f"{'House' if chamber == 'house' else 'Senate'} {name}",
                 "thomas_id": tid, f"{chamber}_committee_id": tid[2:]}
        if subs:
            entry["subcommittees"] = [{"name": n, "thomas_id": s} for s, n in subs.items()]
        committees.append(entry)
        for key in (tid, *(tid + s for s in subs)):
            rows = [m for m in HOUSE + SENATE if key in m.committees]
            membership[key] = [{"name": f"{m.first} {m.last}", "party": "majority" if m.party == "R" else "minority",
                                "rank": i + 1, "bioguide": m.bioguide} for i, m in enumerate(rows)]
    dump = lambda data: yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()  # noqa: E731
    return {f"{LEGISLATORS_DIR}/legislators-current.yaml": dump(people),
            f"{LEGISLATORS_DIR}/legislators-historical.yaml": dump([]),
            f"{LEGISLATORS_DIR}/committees-current.yaml": dump(committees),
            f"{LEGISLATORS_DIR}/committee-membership-current.yaml": dump(membership)}


def federal_files() -> dict[str, bytes]:
    """Every federal file of the demo, by URL path."""
    files = {bill_path(b): billstatus(b) for b in BILLS}
    files.update(sitemaps())
    house = [v for v in ROLL_CALLS if v.chamber == "house"]
    files[f"evs/{YEAR}/index.asp"] = house_index(YEAR, house)
    files.update({f"evs/{YEAR}/roll{v.number:03d}.xml": house_roll(v) for v in house})
    senate = [v for v in ROLL_CALLS if v.chamber == "senate"]
    files[menu_path(CONGRESS, SESSION)] = senate_menu(senate)
    files.update({vote_path(CONGRESS, SESSION, v.number): senate_vote(v) for v in senate})
    files.update(legislators_yaml())
    return files
