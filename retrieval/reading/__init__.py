"""Reading: the retrieved passages' sentences, the answer candidates in them, their features
and the learned models that rank both."""
