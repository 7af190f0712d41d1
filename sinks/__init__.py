"""Where records leave ticketflow: Kafka topics now; the routing-audit table later."""
