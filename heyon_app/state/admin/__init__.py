"""States of the admin pages; every one inherits AdminState and its server-side role check."""
