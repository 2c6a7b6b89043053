"""Other parties on a case (supplier, coordinator, hospital) and their limited views."""
