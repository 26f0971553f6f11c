"""Finding a person's legislators: districts of an address (the Census Geocoder) or chosen by
state and number, and the current members who hold those seats."""
