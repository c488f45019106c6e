-- Tests of the priority score (priority.lua with the weights in settings.lua).
-- factors = { name = points } checks one factor; score checks the total. A number matches
-- when it is equal to one decimal place; { min = ..., max = ... } checks a range.

defaults { as_of = "2026-11-24", contract = { risk = 1, complexity = 1 } }

case "value points grow with the logarithm of the value" {
  contract = { value_total = 1000000 },
  factors = { value = 10, risk = 0, complexity = 0 },
  score = 10,
}

case "the value ceiling earns the full value points" {
  contract = { value_total = 100000000 },
  factors = { value = 30 },
}

case "below the value floor earns no value points" {
  contract = { value_total = 50000 },
  factors = { value = 0 },
}

case "no value given earns no value points" {
  contract = { title = "Unknown value" },
  factors = { value = 0 },
}

-- `blank` leaves a field empty (not assessed) even though the defaults above set it.
case "risk and complexity not assessed are taken as medium" {
  contract = { value_total = 1000000, risk = blank, complexity = blank },
  factors = { risk = 16, complexity = 10 },
  score = 36,
}

case "high risk and complexity add points per level" {
  contract = { value_total = 1000000, risk = 5, complexity = 4 },
  factors = { risk = 32, complexity = 15 },
}

case "strategic importance adds points per level" {
  contract = { value_total = 1000000, strategic_importance = 4 },
  factors = { strategic = 15 },
}

case "ending 9 to 24 months from now earns full expiry points" {
  contract = { value_total = 1000000, end_date = "2027-12-01" },
  factors = { expiry = 35 },
}

case "ending within 3 months is too late to influence" {
  contract = { value_total = 1000000, end_date = "2026-12-20" },
  factors = { expiry = 8.75 },
}

case "ending in 3 to 9 months earns part of the expiry points" {
  contract = { value_total = 1000000, end_date = "2027-05-24" },
  factors = { expiry = { min = 20, max = 23 } },
}

case "ending 2 to 4 years away fades towards no expiry points" {
  contract = { value_total = 1000000, end_date = "2029-11-24" },
  factors = { expiry = { min = 17, max = 18 } },
}

case "ending beyond the planning horizon earns no expiry points" {
  contract = { value_total = 1000000, end_date = "2034-01-01" },
  factors = { expiry = 0 },
}

case "an expired contract earns no expiry points" {
  contract = { value_total = 1000000, end_date = "2026-01-01" },
  factors = { expiry = 0 },
}

case "no end date earns no expiry points" {
  contract = { value_total = 1000000 },
  factors = { expiry = 0 },
}

case "a councillor's suggestion adds points" {
  contract = { value_total = 1000000, member_suggested = "Cllr A. Shah" },
  factors = { member = 25 },
  score = 35,
}

case "this year's internal audit takes points off" {
  contract = { value_total = 1000000, audit_planned = "2026/27" },
  factors = { audit = -20 },
  score = -10,
}

case "another year's audit makes no difference" {
  contract = { value_total = 1000000, audit_planned = "2027/28" },
  factors = { audit = 0 },
  score = 10,
}
