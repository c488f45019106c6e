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
    static let all: [SeededMistake] = [
        SeededMistake(
            name: "misspelt contract field (`c.valu_total`)",
            edits: [edit("tiering.lua", "c.value_total or 0", "c.valu_total or 0")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "local mistyped as a new global (`totl = total + …`)",
            edits: [edit("priority.lua", "  total = total + factor(\"expiry\"", "  totl = total + factor(\"expiry\"")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "tier name in lower case (`return \"gold\"`)",
            edits: [edit("tiering.lua", "return \"Gold\"", "return \"gold\"")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "settings key misspelt where it is read (`t.gold_valeu`)",
            edits: [edit("tiering.lua", "t.gold_value, t.silver_value", "t.gold_valeu, t.silver_value")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "settings.plan key misspelt (`cooldown_month`)",
            edits: [edit("settings.lua", "cooldown_months = {", "cooldown_month = {")],
            check: "", checkStatus: 2, command: "plan", outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "tier name misspelt in settings.plan (`Bronz = 6`)",
            edits: [edit("settings.lua", "Silver = 9, Bronze = 6", "Silver = 9, Bronz = 6")],
            check: "", checkStatus: 2, command: "plan", outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "a word where a number belongs (`capacity = \"three\"`)",
            edits: [edit("settings.lua", "capacity = 3,", "capacity = \"three\",")],
            check: "", checkStatus: 2, command: "plan", outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "register column misspelt (`c.extra.procurment_route`)",
            edits: [edit("priority.lua", "  return total\nend", """
                  if (c.extra.procurment_route or ""):find("PFI") then
                    total = total + factor("route", 10, "procured as a PFI")
                  end
                  return total
                end
                """)],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "missing `end` inside score",
            edits: [edit("priority.lua", "\"suggested by \" .. c.member_suggested)\n  end\n", "\"suggested by \" .. c.member_suggested)\n")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "NaN points (a ratio of two blank values)",
            edits: [edit("priority.lua", "  return total\nend", """
                  total = total + factor("annual share", 10 * (c.value_annual or 0) / (c.value_total or 0))
                  return total
                end
                """)],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "unused local",
            edits: [edit("tiering.lua", "  local t = settings.tier\n", "  local t = settings.tier\n  local gold = t.gold_value\n")],
            check: "", checkStatus: 0, outcome: "", outcomeStatus: 0),
        SeededMistake(
            name: "shadowed local (`local total = total + …` inside an `if`)",
            edits: [edit("priority.lua", "    total = total + factor(\"strategic\"", "    local total = total + factor(\"strategic\"")],
            check: "", checkStatus: 0, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "unreachable code (`do return total end` left in)",
            edits: [edit("priority.lua", "  if c.audit_planned == settings.audit_year then", "  do return total end\n  if c.audit_planned == settings.audit_year then")],
            check: "", checkStatus: 0, outcome: "", outcomeStatus: 0),
        SeededMistake(
            name: "value assigned and never used",
            edits: [edit("tiering.lua", "  local complexity = c.complexity or t.missing_complexity\n",
                         "  local complexity = c.complexity or t.missing_complexity\n  complexity = t.missing_complexity\n")],
            check: "", checkStatus: 0, outcome: "", outcomeStatus: 0),
        SeededMistake(
            name: "score reset before it is returned (`total = 0`)",
            edits: [edit("priority.lua", "  return total\nend", "  total = 0\n  return total\nend")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "misspelt global (`setings.value_floor`)",
            edits: [edit("priority.lua", "math.log(settings.value_floor)", "math.log(setings.value_floor)")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "misspelt host function (`becuase`)",
            edits: [edit("tiering.lua", "  because(\"Bronze: not high", "  becuase(\"Bronze: not high")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "contract field assigned (`c.risk = c.risk or 3`)",
            edits: [edit("tiering.lua", "  local t = settings.tier\n", "  local t = settings.tier\n  c.risk = c.risk or 3\n")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "a path of tier with no return (last `return \"Bronze\"` deleted)",
            edits: [edit("tiering.lua", "  return \"Bronze\"\n", "")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "score returned as text (`string.format`)",
            edits: [edit("priority.lua", "  return total\nend", "  return string.format(\"%.1f\", total)\nend")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "score returns nothing (`return total` deleted)",
            edits: [edit("priority.lua", "  return total\nend", "end")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "tier name with a trailing space (`\"Silver \"`)",
            edits: [edit("tiering.lua", "return \"Silver\"", "return \"Silver \"")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "settings table misspelt (`settings.weigths`)",
            edits: [edit("priority.lua", "local w, t = settings.weights, settings.tier", "local w, t = settings.weigths, settings.tier")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "a number written with commas (`10,000,000`)",
            edits: [edit("settings.lua", "gold_value   = 10000000,", "gold_value   = 10,000,000,")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "settings.plan choice misspelt (`audit = \"defered\"`)",
            edits: [edit("settings.lua", "audit = \"defer\",", "audit = \"defered\",")],
            check: "", checkStatus: 2, command: "plan", outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "impossible meeting date (`2026-13-01`)",
            edits: [edit("settings.lua", "first = \"2026-01-13\"", "first = \"2026-13-01\"")],
            check: "", checkStatus: 2, command: "plan", outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "settings key misspelt inside settings.lua (`settings.audit_yaer`)",
            edits: [edit("settings.lua", "audit_year = settings.audit_year,", "audit_year = settings.audit_yaer,")],
            check: "", checkStatus: 2, command: "plan", outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "blank risk not handled (`local risk = c.risk`)",
            edits: [edit("tiering.lua", "local risk = c.risk or t.missing_risk", "local risk = c.risk")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "global assigned while scoring (`last_total = total`)",
            edits: [edit("priority.lua", "  return total\nend", "  last_total = total\n  return total\nend")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "factor without its name (`factor(value_points(c))`)",
            edits: [edit("priority.lua", "factor(\"value\", value_points(c))", "factor(value_points(c))")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "a huge string returned by tier",
            edits: [edit("tiering.lua", "  return \"Bronze\"\n", "  return string.rep(\"Bronze\", 200000)\n")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
        SeededMistake(
            name: "a helper function left unused",
            edits: [edit("tiering.lua", "function tier(c)\n", "local function risk_level(c) return c.risk or 3 end\n\nfunction tier(c)\n")],
            check: "", checkStatus: 0, outcome: "", outcomeStatus: 0),
        SeededMistake(
            name: "an argument never used (`level(value, high, medium, low)`)",
            edits: [edit("tiering.lua", "local function level(value, high, medium)", "local function level(value, high, medium, low)")],
            check: "", checkStatus: 0, outcome: "", outcomeStatus: 0),
        SeededMistake(
            name: "`then` missing",
            edits: [edit("tiering.lua", "if c.risk == nil then because", "if c.risk == nil because")],
            check: "", checkStatus: 2, outcome: "", outcomeStatus: 2),
    ]
}
