"""School districts (NCES local education agencies): records, their overlap with congressional
and state legislative districts, who represents them, and what names them."""
