"""Business rules shared by several sandbox areas: contacts and balances, shops, the program, credits."""
