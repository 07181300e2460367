"""User state: reading positions, the last document, navigation history.  Plain Python."""
