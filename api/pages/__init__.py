"""Server-rendered pages (Jinja2): public bill list and bill pages, staff pages behind login."""
