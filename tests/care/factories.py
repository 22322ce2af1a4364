"""Care factories: the objects the care tests make, once care has models."""
