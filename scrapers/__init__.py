"""Scrapy project and file formats: everything that reads a source and yields contract records."""
