//! Bulletin markup: a recovering parser to the model, and a writer back to canonical markup.
