-- Placeholder settings; the default rule pack arrives with the rule-pack issue.
settings = {}
