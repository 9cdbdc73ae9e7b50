"""Events: seminars, workshops and study trips, their venues and the public pages."""
