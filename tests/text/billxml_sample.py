"""Hand-made GPO bill DTD files (no real one is in ../shared/fixtures): element and attribute
names follow GPO's bill DTD (`<bill bill-stage>`, `<form>`, `<legis-body>`, `<section>` with
`<enum>`/`<header>`/`<text>`, `<title>`, `<appropriations-major|intermediate|small>`)."""
from __future__ import annotations


def bill_xml(stage: str = "Introduced-in-House", amount: str = "$16,000,000,000",
             congress: str = "117", number: str = "9901") -> bytes:
    """A small appropriations bill H.R. `number` of `congress` at `stage`."""
    return f"""<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="billres.xsl"?>
<!DOCTYPE bill PUBLIC "-//US Congress//DTDs/bill.dtd//EN" "bill.dtd">
<bill bill-stage="{stage}" dms-id="H1A2B3C4D5E6F" public-private="public" key="H">
<metadata><dublinCore><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">{congress} HR {number} IH: Schools Act</dc:title></dublinCore></metadata>
<form>
<distribution-code display="yes">I</distribution-code>
<congress>{congress}th CONGRESS</congress>
<session>1st Session</session>
<legis-num>H. R. {number}</legis-num>
<current-chamber>IN THE HOUSE OF REPRESENTATIVES</current-chamber>
<action><action-date date="20210304">March 4, 2021</action-date>
<action-desc><sponsor name-id="X000001">Ms. Example</sponsor> introduced the following bill</action-desc></action>
<legis-type>A BILL</legis-type>
<official-title>Making appropriations for the Department of Education for fiscal year 2022.</official-title>
</form>
<legis-body id="H1" style="OLC">
<section id="S1" section-type="section-one"><enum>1.</enum><header>Short title</header>
<text display-inline="no-display-inline">This Act may be cited as the <quote><short-title>Schools Act</short-title></quote>.</text></section>
<title id="T3"><enum>III</enum><header>Department of Education</header>
<appropriations-major id="A1"><header>Education for the Disadvantaged</header>
<text>For carrying out title I of the Elementary and Secondary Education Act of 1965, {amount}, of which $10,841,177,000 shall become available on July 1, 2022.</text></appropriations-major>
<appropriations-intermediate id="A2"><header>(including transfer of funds)</header>
<text>Funds may be transferred as provided in section 302.</text></appropriations-intermediate>
<appropriations-major id="A3"><header>Special Education</header>
<text>For carrying out the Individuals with Disabilities Education Act, $14,000,000,000.</text></appropriations-major>
<section id="S302"><enum>302.</enum><header>Transfer authority</header>
<subsection id="S302a"><enum>(a)</enum><header>In general</header><text>The Secretary may transfer&#8212;</text>
<paragraph id="S302a1"><enum>(1)</enum><text>up to 1 percent of any appropriation; and</text></paragraph>
<paragraph id="S302a2"><enum>(2)</enum><text>no more than 3 percent to any one account.</text></paragraph>
</subsection></section>
</title>
</legis-body>
</bill>
""".encode()
