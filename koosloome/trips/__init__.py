"""Study trips: the travel details a trip needs from those going, and their lists."""
