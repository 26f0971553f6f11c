"""The demo: a small fictional dataset in each source's native format, and a local mirror serving it.

`cast.py` holds the facts (people, bills, votes) as data; `sample_us.py` and `sample_states.py`
render them in the sources' own formats and URL layouts; `sample.py` joins them into one
`Sample`; `mirror.py` serves it on 127.0.0.1 so the real spiders can crawl it without network.
Every name and id is invented: bioguide-like ids start with "Z9" and LIS ids with "S9", which no
real member has.
"""
