"""The monthly fund-use plan screen (用款计划): draft next month's plan from the suggestions,
take it through review, signing and submission, and record the city's decision and the money
received."""
