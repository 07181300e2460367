"""What the command line and the reader both do: open a document by reference, prepare a
comparison. Plain Python over the core; each front-end turns the errors into its own words."""
