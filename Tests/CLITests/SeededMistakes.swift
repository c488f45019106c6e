/// Mistakes a policy officer makes in a copy of the default rule pack, each with what
/// `cmrg check` and `cmrg evaluate` (or `cmrg plan`, for plan settings) must say about it.
/// Outputs are written with the pack's directory shown as `rules`.
struct SeededMistake: Sendable, CustomStringConvertible {
    struct Edit: Sendable {
        var file: String
        var old: String
        var new: String
    }

    var name: String
    var edits: [Edit]
    /// `check`'s output after its first line (findings, then the count), or its stderr
    /// (without the last line break).
    var check: String
    var checkStatus: Int32
    /// The command run on the sample register (`evaluate`, or `plan` for plan settings).
    var command = "evaluate"
    /// Its stderr (without the last line break); when it exits 0, how many tiers and scores
    /// differ from the default pack's, or whether the plan is the same.
    var outcome: String
    var outcomeStatus: Int32

    var description: String { name }

    /// One edit: the first `old` in `file` becomes `new`.
    static func edit(_ file: String, _ old: String, _ new: String) -> Edit { Edit(file: file, old: old, new: new) }
}

extension SeededMistake {
    /// Every seeded mistake, in the order of the closing note's table.
    static let all = namesSettingsAndLint + badResults

    /// The issue's table (names, settings, plan settings, syntax, luacheck's warnings) and more.
    static let namesSettingsAndLint: [SeededMistake] = [
        SeededMistake(
            name: "misspelt contract field (`c.valu_total`)",
            edits: [edit("tiering.lua", "c.value_total or 0", "c.valu_total or 0")],
            check: #"""
                rules/tiering.lua:15: error: the contract has no field 'valu_total' (did you mean 'value_total'?)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:15: the contract has no field 'valu_total' (did you mean 'value_total'?) (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "local mistyped as a new global (`totl = total + …`)",
            edits: [edit("priority.lua", "  total = total + factor(\"expiry\"", "  totl = total + factor(\"expiry\"")],
            check: #"""
                rules/priority.lua:51: error: 'totl' is not defined — a typo of the local 'total'?
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:51: 'totl' is not defined — a typo of the local 'total'? (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "tier name in lower case (`return \"gold\"`)",
            edits: [edit("tiering.lua", "return \"Gold\"", "return \"gold\"")],
            check: #"""
                rules/tiering.lua:34: error: evaluate stops here: tier(c) returned "gold" (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                  tier names are case-sensitive: "Gold", "Silver" or "Bronze"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:34: tier(c) returned "gold" (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                  tier names are case-sensitive: "Gold", "Silver" or "Bronze"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "settings key misspelt where it is read (`t.gold_valeu`)",
            edits: [edit("tiering.lua", "t.gold_value, t.silver_value", "t.gold_valeu, t.silver_value")],
            check: #"""
                rules/settings.lua:8: warning: settings.tier.gold_value is set but no rule reads it
                rules/tiering.lua:22: error: settings.tier.gold_valeu does not exist (did you mean gold_value?)
                rules: 1 error, 1 warning
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:22: settings.tier.gold_valeu does not exist (did you mean gold_value?) (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "settings.plan key misspelt (`cooldown_month`)",
            edits: [edit("settings.lua", "cooldown_months = {", "cooldown_month = {")],
            check: #"""
                rules/settings.lua:55: error: settings.plan.cooldown_months is missing (months per tier, e.g. { Gold = 12, Silver = 9, Bronze = 6 })
                rules/settings.lua:67: error: settings.plan.cooldown_month is not a plan setting (did you mean cooldown_months?)
                rules: 2 errors, 0 warnings
                """#, checkStatus: 2, command: "plan",
            outcome: #"""
                cmrg: the rule pack's plan settings cannot be used:
                  rules/settings.lua:67: settings.plan.cooldown_month is not a plan setting (did you mean cooldown_months?)
                  rules/settings.lua:55: settings.plan.cooldown_months is missing (months per tier, e.g. { Gold = 12, Silver = 9, Bronze = 6 })
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "tier name misspelt in settings.plan (`Bronz = 6`)",
            edits: [edit("settings.lua", "Silver = 9, Bronze = 6", "Silver = 9, Bronz = 6")],
            check: #"""
                rules/settings.lua:64: error: settings.plan.review_by_months.Bronz is not a tier (did you mean Bronze?)
                rules/settings.lua:64: error: settings.plan.review_by_months.Bronze is missing (months)
                rules: 2 errors, 0 warnings
                """#, checkStatus: 2, command: "plan",
            outcome: #"""
                cmrg: the rule pack's plan settings cannot be used:
                  rules/settings.lua:64: settings.plan.review_by_months.Bronz is not a tier (did you mean Bronze?)
                  rules/settings.lua:64: settings.plan.review_by_months.Bronze is missing (months)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a word where a number belongs (`capacity = \"three\"`)",
            edits: [edit("settings.lua", "capacity = 3,", "capacity = \"three\",")],
            check: #"""
                rules/settings.lua:59: error: settings.plan.capacity must be a positive whole number, got "three"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2, command: "plan",
            outcome: #"""
                cmrg: the rule pack's plan settings cannot be used:
                  rules/settings.lua:59: settings.plan.capacity must be a positive whole number, got "three"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "register column misspelt (`c.extra.procurment_route`)",
            edits: [edit("priority.lua", "  return total\nend", """
                  if (c.extra.procurment_route or ""):find("PFI") then
                    total = total + factor("route", 10, "procured as a PFI")
                  end
                  return total
                end
                """)],
            check: #"""
                rules/priority.lua:58: error: the register has no column 'procurment_route' (its extra columns: procurement_route, award_date, kpi_count, notes, last_kpi_assessment)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: the register has no column 'procurment_route' (its extra columns: procurement_route, award_date, kpi_count, notes, last_kpi_assessment) (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "missing `end` inside score",
            edits: [edit("priority.lua", "\"suggested by \" .. c.member_suggested)\n  end\n", "\"suggested by \" .. c.member_suggested)\n")],
            check: #"""
                cmrg: rules/priority.lua:59: 'end' expected (to close 'function' at line 35) near <eof>
                  rules/priority.lua:52: this 'if' has no 'end'
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:59: 'end' expected (to close 'function' at line 35) near <eof>
                  rules/priority.lua:52: this 'if' has no 'end'
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "NaN points (a ratio of two blank values)",
            edits: [edit("priority.lua", "  return total\nend", """
                  total = total + factor("annual share", 10 * (c.value_annual or 0) / (c.value_total or 0))
                  return total
                end
                """)],
            check: #"""
                rules/priority.lua:58: error: evaluate stops here: factor("annual share", points, text): the points are NaN (not a number: 0/0, or arithmetic on NaN?); they must be a finite number (contract C-061 "Public electric vehicle charge points concession", in score)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: factor("annual share", points, text): the points are NaN (not a number: 0/0, or arithmetic on NaN?); they must be a finite number (contract C-061 "Public electric vehicle charge points concession", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "unused local",
            edits: [edit("tiering.lua", "  local t = settings.tier\n", "  local t = settings.tier\n  local gold = t.gold_value\n")],
            check: #"""
                rules/tiering.lua:15: warning: unused local 'gold'
                rules: 0 errors, 1 warning
                """#, checkStatus: 0,
            outcome: #"""
                exit 0: 0 tiers and 0 scores differ from the default pack's
                """#, outcomeStatus: 0),
        SeededMistake(
            name: "shadowed local (`local total = total + …` inside an `if`)",
            edits: [edit("priority.lua", "    total = total + factor(\"strategic\"", "    local total = total + factor(\"strategic\"")],
            check: #"""
                rules/priority.lua:48: warning: 'total' hides the local 'total' of line 39
                rules/priority.lua:48: warning: unused local 'total'
                rules/priority.lua:58: error: evaluate stops here: score(c) returned 75.6 but its factors add up to 95.6: a factor was recorded but not added? (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  the factors recorded: value 30 + risk 24 + complexity 20 + strategic 20 + expiry 21.6 + audit -20 = 95.6
                rules: 1 error, 2 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: score(c) returned 75.6 but its factors add up to 95.6: a factor was recorded but not added? (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  the factors recorded: value 30 + risk 24 + complexity 20 + strategic 20 + expiry 21.6 + audit -20 = 95.6
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "unreachable code (`do return total end` left in)",
            edits: [edit("priority.lua", "  if c.audit_planned == settings.audit_year then", "  do return total end\n  if c.audit_planned == settings.audit_year then")],
            check: #"""
                rules/priority.lua:56: warning: unreachable code: no path reaches this line
                rules: 0 errors, 1 warning
                """#, checkStatus: 0,
            outcome: #"""
                exit 0: 0 tiers and 8 scores differ from the default pack's
                """#, outcomeStatus: 0),
        SeededMistake(
            name: "value assigned and never used",
            edits: [edit("tiering.lua", "  local complexity = c.complexity or t.missing_complexity\n",
                         "  local complexity = c.complexity or t.missing_complexity\n  complexity = t.missing_complexity\n")],
            check: #"""
                rules/tiering.lua:17: warning: the value assigned to 'complexity' here is replaced on line 18 before it is used
                rules: 0 errors, 1 warning
                """#, checkStatus: 0,
            outcome: #"""
                exit 0: 17 tiers and 0 scores differ from the default pack's
                """#, outcomeStatus: 0),
        SeededMistake(
            name: "score reset before it is returned (`total = 0`)",
            edits: [edit("priority.lua", "  return total\nend", "  total = 0\n  return total\nend")],
            check: #"""
                rules/priority.lua:56: warning: the value assigned to 'total' here is replaced on line 58 before it is used
                rules/priority.lua:59: error: evaluate stops here: score(c) returned 0 but its factors add up to 95.6: a factor was recorded but not added? (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  the factors recorded: value 30 + risk 24 + complexity 20 + strategic 20 + expiry 21.6 + audit -20 = 95.6
                rules: 1 error, 1 warning
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:59: score(c) returned 0 but its factors add up to 95.6: a factor was recorded but not added? (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  the factors recorded: value 30 + risk 24 + complexity 20 + strategic 20 + expiry 21.6 + audit -20 = 95.6
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "misspelt global (`setings.value_floor`)",
            edits: [edit("priority.lua", "math.log(settings.value_floor)", "math.log(setings.value_floor)")],
            check: #"""
                rules/priority.lua:9: error: 'setings' is not defined (did you mean 'settings'?)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:9: 'setings' is not defined (did you mean 'settings'?) (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "misspelt host function (`becuase`)",
            edits: [edit("tiering.lua", "  because(\"Bronze: not high", "  becuase(\"Bronze: not high")],
            check: #"""
                rules/tiering.lua:48: error: 'becuase' is not defined (did you mean 'because'?)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:48: 'becuase' is not defined (did you mean 'because'?) (contract C-011 "Multifunction printing and print room", in tier)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "contract field assigned (`c.risk = c.risk or 3`)",
            edits: [edit("tiering.lua", "  local t = settings.tier\n", "  local t = settings.tier\n  c.risk = c.risk or 3\n")],
            check: #"""
                rules/tiering.lua:15: error: the contract is read-only: assigning c.risk stops the run
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:15: attempt to change 'risk' of a read-only table (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a path of tier with no return (last `return \"Bronze\"` deleted)",
            edits: [edit("tiering.lua", "  return \"Bronze\"\n", "")],
            check: #"""
                rules/tiering.lua:49: error: evaluate stops here: tier(c) returned nil (contract C-011 "Multifunction printing and print room", in tier)
                  every path through tier(c) must end in return "Gold", "Silver" or "Bronze"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:49: tier(c) returned nil (contract C-011 "Multifunction printing and print room", in tier)
                  every path through tier(c) must end in return "Gold", "Silver" or "Bronze"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "score returned as text (`string.format`)",
            edits: [edit("priority.lua", "  return total\nend", "  return string.format(\"%.1f\", total)\nend")],
            check: #"""
                rules/priority.lua:58: error: evaluate stops here: score(c) returned the string "95.6"; expected a finite number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  score(c) must return a number: tonumber(text) turns text into one
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: score(c) returned the string "95.6"; expected a finite number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  score(c) must return a number: tonumber(text) turns text into one
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "score returns nothing (`return total` deleted)",
            edits: [edit("priority.lua", "  return total\nend", "end")],
            check: #"""
                rules/priority.lua:56: warning: the value assigned to 'total' here is never used
                rules/priority.lua:58: error: evaluate stops here: score(c) returned nil; expected a finite number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  every path through score(c) must end in return <a number>
                rules: 1 error, 1 warning
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: score(c) returned nil; expected a finite number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  every path through score(c) must end in return <a number>
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "tier name with a trailing space (`\"Silver \"`)",
            edits: [edit("tiering.lua", "return \"Silver\"", "return \"Silver \"")],
            check: #"""
                rules/tiering.lua:42: error: evaluate stops here: tier(c) returned "Silver " (contract C-008 "Social care case management system", in tier)
                  tier names have no spaces around them: return "Silver"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:42: tier(c) returned "Silver " (contract C-008 "Social care case management system", in tier)
                  tier names have no spaces around them: return "Silver"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "settings table misspelt (`settings.weigths`)",
            edits: [edit("priority.lua", "local w, t = settings.weights, settings.tier", "local w, t = settings.weigths, settings.tier")],
            check: #"""
                rules/priority.lua:36: error: settings.weigths does not exist (did you mean weights?)
                rules/priority.lua:43: error: settings.weigths does not exist (did you mean weights?)
                rules/priority.lua:45: error: settings.weigths does not exist (did you mean weights?)
                rules/priority.lua:48: error: settings.weigths does not exist (did you mean weights?)
                rules/priority.lua:53: error: settings.weigths does not exist (did you mean weights?)
                rules/priority.lua:56: error: settings.weigths does not exist (did you mean weights?)
                rules: 6 errors, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:36: settings.weigths does not exist (did you mean weights?) (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a number written with commas (`10,000,000`)",
            edits: [edit("settings.lua", "gold_value   = 10000000,", "gold_value   = 10,000,000,")],
            check: #"""
                cmrg: rules/settings.lua:8: settings.tier has a value without a name on this line: a number written with commas (10,000,000 is three values)? write 10000000
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/settings.lua:8: settings.tier has a value without a name on this line: a number written with commas (10,000,000 is three values)? write 10000000
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "settings.plan choice misspelt (`audit = \"defered\"`)",
            edits: [edit("settings.lua", "audit = \"defer\",", "audit = \"defered\",")],
            check: #"""
                rules/settings.lua:90: error: settings.plan.audit must be "defer" or "joint", got "defered"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2, command: "plan",
            outcome: #"""
                cmrg: the rule pack's plan settings cannot be used:
                  rules/settings.lua:90: settings.plan.audit must be "defer" or "joint", got "defered"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "impossible meeting date (`2026-13-01`)",
            edits: [edit("settings.lua", "first = \"2026-01-13\"", "first = \"2026-13-01\"")],
            check: #"""
                rules/settings.lua:58: error: settings.plan.meetings.first must be a date (YYYY-MM-DD), got "2026-13-01"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2, command: "plan",
            outcome: #"""
                cmrg: the rule pack's plan settings cannot be used:
                  rules/settings.lua:58: settings.plan.meetings.first must be a date (YYYY-MM-DD), got "2026-13-01"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "settings key misspelt inside settings.lua (`settings.audit_yaer`)",
            edits: [edit("settings.lua", "audit_year = settings.audit_year,", "audit_year = settings.audit_yaer,")],
            check: #"""
                cmrg: rules/settings.lua:91: settings.audit_yaer does not exist (did you mean audit_year?)
                """#, checkStatus: 2, command: "plan",
            outcome: #"""
                cmrg: rules/settings.lua:91: settings.audit_yaer does not exist (did you mean audit_year?)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "blank risk not handled (`local risk = c.risk`)",
            edits: [edit("tiering.lua", "local risk = c.risk or t.missing_risk", "local risk = c.risk")],
            check: #"""
                rules/tiering.lua:9: error: evaluate stops here: attempt to compare number with nil (contract C-036 "Education psychology assessments (overflow)", in tier)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:9: attempt to compare number with nil (contract C-036 "Education psychology assessments (overflow)", in tier)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "global assigned while scoring (`last_total = total`)",
            edits: [edit("priority.lua", "  return total\nend", "  last_total = total\n  return total\nend")],
            check: #"""
                rules/priority.lua:58: error: 'last_total' is not defined: rules may only assign globals the pack defines when it loads (make it a local)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: 'last_total' is not defined: rules may only assign globals the pack defines when it loads (make it a local) (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "factor without its name (`factor(value_points(c))`)",
            edits: [edit("priority.lua", "factor(\"value\", value_points(c))", "factor(value_points(c))")],
            check: #"""
                rules/priority.lua:42: error: evaluate stops here: factor(name, points, text): name must be a string, got 30 (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:42: factor(name, points, text): name must be a string, got 30 (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a huge string returned by tier",
            edits: [edit("tiering.lua", "  return \"Bronze\"\n", "  return string.rep(\"Bronze\", 200000)\n")],
            check: #"""
                rules/tiering.lua:13: error: evaluate stops here: tier(c) returned "BronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBr…" (1200000 bytes) (contract C-011 "Multifunction printing and print room", in tier)
                  tier(c) must return "Gold", "Silver" or "Bronze"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:13: tier(c) returned "BronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBronzeBr…" (1200000 bytes) (contract C-011 "Multifunction printing and print room", in tier)
                  tier(c) must return "Gold", "Silver" or "Bronze"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a helper function left unused",
            edits: [edit("tiering.lua", "function tier(c)\n", "local function risk_level(c) return c.risk or 3 end\n\nfunction tier(c)\n")],
            check: #"""
                rules/tiering.lua:13: warning: unused function 'risk_level'
                rules: 0 errors, 1 warning
                """#, checkStatus: 0,
            outcome: #"""
                exit 0: 0 tiers and 0 scores differ from the default pack's
                """#, outcomeStatus: 0),
        SeededMistake(
            name: "an argument never used (`level(value, high, medium, low)`)",
            edits: [edit("tiering.lua", "local function level(value, high, medium)", "local function level(value, high, medium, low)")],
            check: #"""
                rules/tiering.lua:8: warning: unused argument 'low'
                rules: 0 errors, 1 warning
                """#, checkStatus: 0,
            outcome: #"""
                exit 0: 0 tiers and 0 scores differ from the default pack's
                """#, outcomeStatus: 0),
        SeededMistake(
            name: "`then` missing",
            edits: [edit("tiering.lua", "if c.risk == nil then because", "if c.risk == nil because")],
            check: #"""
                cmrg: rules/tiering.lua:18: 'then' expected near 'because'
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:18: 'then' expected near 'because'
                """#, outcomeStatus: 2),
    ]
}
