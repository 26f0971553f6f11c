"""PostgreSQL full-text ranking: indexed expression vs stored generated column (migration 0010).

    .venv/bin/python bench/pg_search_column.py postgresql://postgres@127.0.0.1:PORT/postgres

Builds 30,000 synthetic search documents, then times the top-25 ranked search for a common word
both ways in the same run (best of 3).
"""
import os
import sys
import time

import psycopg
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from tracker.search.ddl import PG_TSVECTOR
URL = sys.argv[1] if len(sys.argv) > 1 else os.environ["EDTRACKER_TEST_POSTGRES_URL"].replace("postgresql+psycopg", "postgresql")
c = psycopg.connect(URL, autocommit=True)
c.execute("DROP TABLE IF EXISTS tsb")
c.execute("CREATE TABLE tsb (bill_id int primary key, title text not null, subjects text not null, summary text not null, actions text not null)")
words = "school teacher charter funding student meals district education board grant community health highway budget tax".split()
import random; random.seed(1)
rows = [(i, " ".join(random.choices(words, k=8)), " ".join(random.choices(words, k=5)), " ".join(random.choices(words+["lorem"]*20, k=300)), " ".join(random.choices(words+["ipsum"]*10, k=80))) for i in range(30000)]
with c.cursor() as cur:
    with cur.copy("COPY tsb FROM STDIN") as cp:
        for r in rows: cp.write_row(r)
c.execute(f"CREATE INDEX tsb_expr ON tsb USING gin (({PG_TSVECTOR}))")
def t(sql):
    best = 1e9
    for _ in range(3):
        s = time.perf_counter(); c.execute(sql).fetchall(); best = min(best, time.perf_counter() - s)
    return best
q = "websearch_to_tsquery('english', 'school')"
old = t(f"SELECT bill_id, -ts_rank({PG_TSVECTOR}, {q}) r FROM tsb WHERE ({PG_TSVECTOR}) @@ {q} ORDER BY r, bill_id LIMIT 25")
c.execute(f"ALTER TABLE tsb ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS ({PG_TSVECTOR}) STORED")
c.execute("CREATE INDEX tsb_col ON tsb USING gin (search_tsv)")
c.execute("ANALYZE tsb")
new = t(f"SELECT bill_id, -ts_rank(search_tsv, {q}) r FROM tsb WHERE search_tsv @@ {q} ORDER BY r, bill_id LIMIT 25")
print(f"30,000 docs, 'school' top 25: expression {old*1000:.0f} ms, stored column {new*1000:.0f} ms, ratio {old/new:.1f}x")
c.execute("DROP TABLE tsb")
