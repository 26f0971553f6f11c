"""Operations: crawl runs, incremental crawl state, scheduled job bodies and leases."""
