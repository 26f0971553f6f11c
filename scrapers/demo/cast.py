"""The demo's facts as data: fictional members of Congress, bills of the 119th Congress and the
roll calls on them. `sample_us.py` renders these in the federal sources' formats.

Ids cannot collide with real people: bioguide ids are "Z9" + 5 digits (real ones are a letter and
six digits, none starting Z9), Senate LIS ids "S9xx" (real ones stop in the S400s).
"""
from __future__ import annotations

from dataclasses import dataclass, field

CONGRESS = 119
SESSION = 1
YEAR = 2025


@dataclass(frozen=True)
class Member:
    bioguide: str
    first: str
    last: str
    party: str  # D / R / I
    state: str
    district: int | None = None  # None for senators
    lis: str | None = None
    gender: str = "F"
    birthday: str = "1970-01-01"
    committees: tuple[str, ...] = ()  # thomas ids

    @property
    def chamber(self) -> str:
        return "senate" if self.district is None else "house"

    @property
    def party_name(self) -> str:
        return {"D": "Democrat", "R": "Republican", "I": "Independent"}[self.party]

    @property
    def full_name(self) -> str:
        """BILLSTATUS style: `Rep. Okafor, Maria [D-CA-12]` / `Sen. Marchetti, Helen [D-CA]`."""
        where = f"{self.state}-{self.district}" if self.district is not None else self.state
        title = "Rep." if self.district is not None else "Sen."
        return f"{title} {self.last}, {self.first} [{self.party}-{where}]"


HOUSE = (
    Member("Z900001", "Maria", "Okafor", "D", "CA", 12, committees=("HSED", "HSED14")),
    Member("Z900002", "Daniel", "Whitcombe", "R", "TX", 7, gender="M", birthday="1961-04-12",
           committees=("HSED",)),
    Member("Z900003", "Priya", "Raman", "D", "NY", 10, birthday="1979-09-30", committees=("HSED",)),
    Member("Z900004", "Thomas", "Ashgrove", "R", "KY", 3, gender="M", birthday="1958-02-17",
           committees=("HSED", "HSED14")),
    Member("Z900005", "Leticia", "Valdez-Moore", "D", "NM", 1, birthday="1975-06-03"),
    Member("Z900006", "Harold", "Benning", "R", "OH", 9, gender="M", birthday="1966-11-21",
           committees=("HSPW",)),
    Member("Z900007", "Grace", "Lindqvist", "D", "MN", 4, birthday="1982-03-08", committees=("HSED",)),
    Member("Z900008", "Curtis", "Holloway", "R", "GA", 11, gender="M", birthday="1969-07-25"),
    Member("Z900009", "Naomi", "Fairbanks", "D", "WA", 2, birthday="1973-12-14", committees=("HSPW",)),
    Member("Z900010", "Robert", "Castellane", "R", "FL", 14, gender="M", birthday="1971-05-19"),
    Member("Z900011", "Elaine", "Tsosie", "D", "AZ", 2, birthday="1980-08-02"),
    Member("Z900012", "Walter", "Pruitt", "R", "KY", 1, gender="M", birthday="1955-10-10",
           committees=("HSED",)),
)
SENATE = (
    Member("Z900101", "Helen", "Marchetti", "D", "CA", lis="S901", birthday="1963-01-29",
           committees=("SSHR",)),
    Member("Z900102", "James", "Oduya", "R", "KY", lis="S902", gender="M", birthday="1960-03-15",
           committees=("SSHR", "SSAF")),
    Member("Z900103", "Ruth", "Abernathy", "D", "NY", lis="S903", birthday="1957-06-22",
           committees=("SSHR",)),
    Member("Z900104", "Samuel", "Greer", "R", "TX", lis="S904", gender="M", birthday="1968-09-09",
           committees=("SSAF",)),
    Member("Z900105", "Amara", "Lindgren", "D", "MN", lis="S905", birthday="1974-04-04",
           committees=("SSHR",)),
    Member("Z900106", "Colin", "Hartwell", "R", "OH", lis="S906", gender="M", birthday="1965-12-01"),
)
MEMBERS = {m.bioguide: m for m in HOUSE + SENATE}

# thomas id -> (name, chamber, BILLSTATUS systemCode, subcommittees {suffix: name})
COMMITTEES = {
    "HSED": ("Committee on Education and Workforce", "house", "hsed00",
             {"14": "Early Childhood, Elementary, and Secondary Education"}),
    "HSPW": ("Committee on Transportation and Infrastructure", "house", "hspw00", {}),
    "SSHR": ("Committee on Health, Education, Labor, and Pensions", "senate", "sshr00", {}),
    "SSAF": ("Committee on Agriculture, Nutrition, and Forestry", "senate", "ssaf00", {}),
}


@dataclass(frozen=True)
class RollCall:
    """One recorded vote. `no` lists the members voting no, `absent` those not voting; every
    other member of the chamber votes yes."""

    chamber: str  # house / senate
    number: int
    bill: str  # e.g. "hr1201"
    question: str
    date: str
    time: str  # HH:MM Eastern
    no: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()

    def option(self, bioguide: str) -> str:
        if bioguide in self.absent:
            return "absent"
        return "no" if bioguide in self.no else "yes"

    def tally(self) -> tuple[int, int]:
        voters = HOUSE if self.chamber == "house" else SENATE
        opts = [self.option(m.bioguide) for m in voters]
        return opts.count("yes"), opts.count("no")

    @property
    def passed(self) -> bool:
        yes, no = self.tally()
        return yes > no


ROLL_CALLS = (
    RollCall("house", 101, "hr1201", "On Passage", "2025-03-26", "15:42",
             no=("Z900002", "Z900006", "Z900010", "Z900012"), absent=("Z900008",)),
    RollCall("house", 122, "hr1822", "On Passage", "2025-04-30", "13:15",
             no=("Z900001", "Z900003", "Z900005", "Z900007", "Z900009", "Z900011", "Z900004")),
    RollCall("house", 140, "s410", "On Passage", "2025-05-21", "16:05",
             no=("Z900002",), absent=("Z900010",)),
    RollCall("senate", 45, "s410", "On Passage of the Bill", "2025-04-09", "11:30",
             no=("Z900104",)),
)


@dataclass(frozen=True)
class Bill:
    type: str  # hr / s
    number: int
    title: str
    sponsor: str
    cosponsors: tuple[tuple[str, str], ...]  # (bioguide, date)
    introduced: str
    committee: str  # thomas id of the first referral
    policy_area: str
    subjects: tuple[str, ...]
    summary: str
    # (date, step) in order; steps are names of templates in sample_us.STEPS, "vote:<chamber>:<n>"
    steps: tuple[tuple[str, str], ...]
    law: str | None = None
    updated: str = "2025-06-02T10:15:00Z"
    extra: dict = field(default_factory=dict)


BILLS = (
    Bill("hr", 1201, "Community Schools Expansion Act of 2025", "Z900001",
         (("Z900003", "2025-02-10"), ("Z900007", "2025-02-10"), ("Z900004", "2025-03-03")),
         "2025-02-10", "HSED", "Education",
         ("Elementary and secondary education", "Community schools", "Family relationships and status",
          "Student aid and college costs"),
         "<p>This bill authorizes grants to local educational agencies to establish full-service "
         "community schools that coordinate health, nutrition and family supports for students.</p>",
         (("2025-02-10", "intro_h"), ("2025-02-10", "refer_h"), ("2025-03-12", "markup_h"),
          ("2025-03-20", "reported_h"), ("2025-03-26", "vote:house:101"), ("2025-03-27", "received_s")),
         updated="2025-03-28T09:00:00Z"),
    Bill("hr", 1340, "Healthy School Meals for All Act", "Z900007",
         (("Z900001", "2025-02-24"), ("Z900009", "2025-02-24"), ("Z900011", "2025-04-01")),
         "2025-02-24", "HSED", "Education",
         ("School meals", "Child nutrition", "Elementary and secondary education"),
         "<p>This bill makes school breakfast and lunch free for every student at schools that "
         "participate in the national school lunch program.</p>",
         (("2025-02-24", "intro_h"), ("2025-02-24", "refer_h")),
         updated="2025-04-02T08:00:00Z"),
    Bill("hr", 1577, "Teacher Pay Fairness Act", "Z900003",
         (("Z900005", "2025-03-05"), ("Z900001", "2025-03-05")),
         "2025-03-05", "HSED", "Education",
         ("Teachers", "Teacher pay", "Elementary and secondary education", "Wages and earnings"),
         "<p>This bill provides a refundable tax credit and state grants to raise the minimum "
         "salary of public school teachers.</p>",
         (("2025-03-05", "intro_h"), ("2025-03-05", "refer_h"), ("2025-05-07", "markup_h"))),
    Bill("hr", 1822, "Charter School Transparency and Accountability Act", "Z900002",
         (("Z900010", "2025-03-18"), ("Z900012", "2025-03-18")),
         "2025-03-18", "HSED", "Education",
         ("Charter schools", "Elementary and secondary education", "Government information and archives"),
         "<p>This bill expands federal start-up grants for charter schools and sets reporting "
         "rules for charter school authorizers.</p>",
         (("2025-03-18", "intro_h"), ("2025-03-18", "refer_h"), ("2025-04-16", "reported_h"),
          ("2025-04-30", "vote:house:122")),
         updated="2025-05-01T12:00:00Z"),
    Bill("s", 410, "Special Education Full Funding Act", "Z900101",
         (("Z900103", "2025-02-05"), ("Z900105", "2025-02-05"), ("Z900102", "2025-02-20")),
         "2025-02-05", "SSHR", "Education",
         ("Special education", "Disability and health-based discrimination", "Elementary and secondary education",
          "Education programs funding"),
         "<p>This bill raises federal funding under Part B of the Individuals with Disabilities "
         "Education Act to 40 percent of the average per-pupil expenditure over ten years.</p>",
         (("2025-02-05", "intro_s"), ("2025-04-09", "vote:senate:45"), ("2025-04-10", "received_h"),
          ("2025-05-21", "vote:house:140"), ("2025-05-23", "presented"), ("2025-05-30", "signed"),
          ("2025-05-30", "law")),
         law="119-12", updated="2025-06-02T10:15:00Z"),
    Bill("s", 615, "Rural School Broadband Act", "Z900102",
         (("Z900106", "2025-03-11"),),
         "2025-03-11", "SSHR", "Education",
         ("Internet and video services", "Rural conditions and development", "Elementary and secondary education"),
         "<p>This bill funds high-speed internet service for public schools and libraries in "
         "rural areas.</p>",
         (("2025-03-11", "intro_s"),)),
    # Two bills outside education, so the tagger has something to leave alone.
    Bill("hr", 1490, "Coastal Bridge Repair Act", "Z900006",
         (("Z900009", "2025-03-01"),),
         "2025-03-01", "HSPW", "Transportation and Public Works",
         ("Bridges", "Roads and highways", "Coastal zones"),
         "<p>This bill funds the repair of bridges in coastal counties damaged by storms.</p>",
         (("2025-03-01", "intro_h"), ("2025-03-01", "refer_h"))),
    Bill("s", 702, "Small Farm Credit Act", "Z900104",
         (("Z900102", "2025-03-20"),),
         "2025-03-20", "SSAF", "Agriculture and Food",
         ("Agricultural credit", "Small business"),
         "<p>This bill expands low-interest loans for farms with under $350,000 in annual sales.</p>",
         (("2025-03-20", "intro_s"),)),
)


def bill_key(bill: Bill) -> str:
    """The store's key of a demo bill, e.g. `us-119-hr1201`."""
    return f"us-{CONGRESS}-{bill.type}{bill.number}"


def roll_call(chamber: str, number: int) -> RollCall:
    return next(r for r in ROLL_CALLS if r.chamber == chamber and r.number == number)
