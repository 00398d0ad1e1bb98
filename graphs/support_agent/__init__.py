"""The example support agent (its graph arrives with the graph issue); for now, a scripted tour of the client."""
