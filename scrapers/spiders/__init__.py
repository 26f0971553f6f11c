"""One spider per source and data kind; the spider's name is its module's name."""
