"""Training of the engine's learned reader: data, features from each question's own search
results, the seeded fit and its evaluation. Not imported by the product at run time."""
