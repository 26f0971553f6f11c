"""Writing to the store below the ORM: many rows at once and the engines' JSON text (`rows`)."""
