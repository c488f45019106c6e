-- Tests of the tiering policy (tiering.lua with the thresholds in settings.lua).
-- Run them with `cmrg test`; add --coverage to see which rule lines they exercise.
-- Each case states a contract and what the rules must decide for it.

defaults { as_of = "2026-11-24" }

case "very high value is Gold on its own" {
  contract = { value_total = 180000000, risk = 2, complexity = 2 },
  tier = "Gold",
  reason = "Gold: value",
}

case "high value and high risk is Gold" {
  contract = { value_total = 12000000, risk = 4, complexity = 2 },
  tier = "Gold",
  reason = "Gold: high value and risk",
}

case "high risk and high complexity is Gold even when small" {
  contract = { value_total = 200000, risk = 5, complexity = 4 },
  tier = "Gold",
  reason = "Gold: high risk and complexity",
}

case "exactly the Gold value threshold counts as high value" {
  contract = { value_total = 10000000, risk = 4, complexity = 1 },
  tier = "Gold",
}

case "just under the Gold value threshold is medium value" {
  contract = { value_total = 9999999, risk = 4, complexity = 1 },
  tier = "Silver",
  reason = "Silver: high risk",
}

case "high on one of value, risk and complexity is Silver" {
  contract = { value_total = 2000000, risk = 2, complexity = 5 },
  tier = "Silver",
  reason = "Silver: high complexity",
}

case "medium on two is Silver" {
  contract = { value_total = 2000000, risk = 3, complexity = 1 },
  tier = "Silver",
  reason = "Silver: medium value and risk",
}

case "low on everything is Bronze" {
  contract = { value_total = 50000, risk = 1, complexity = 1 },
  tier = "Bronze",
  reason = "Bronze: not high on value, risk or complexity",
}

case "risk and complexity not assessed count as medium" {
  contract = { value_total = 500000 },
  tier = "Silver",
  reason = { "risk not assessed: treated as 3", "complexity not assessed: treated as 3", "Silver: medium risk and complexity" },
}

case "no value given counts as no value" {
  contract = { risk = 2, complexity = 2 },
  tier = "Bronze",
}
