/// Seeded mistakes whose results `tier`, `score` or `factor` cannot use: a table, a NUL byte,
/// an infinite score or points, a score its factors do not add up to; and two more reads of
/// what does not exist (a column with no near name, a number written as text).
extension SeededMistake {
    static let badResults: [SeededMistake] = [
        SeededMistake(
            name: "tier returns a table (`return { \"Gold\" }`)",
            edits: [edit("tiering.lua", "return \"Gold\"", "return { \"Gold\" }")],
            check: #"""
                rules/tiering.lua:13: error: evaluate stops here: tier(c) returned a table (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                  tier(c) must return "Gold", "Silver" or "Bronze"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:13: tier(c) returned a table (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                  tier(c) must return "Gold", "Silver" or "Bronze"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a NUL byte in a tier name (`\"Gold\\0\"`)",
            edits: [edit("tiering.lua", "return \"Gold\"", "return \"Gold\\0\"")],
            check: #"""
                rules/tiering.lua:34: error: evaluate stops here: tier(c) returned "Gold\0" (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                  did you mean "Gold"? tier(c) must return "Gold", "Silver" or "Bronze"
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:34: tier(c) returned "Gold\0" (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                  did you mean "Gold"? tier(c) must return "Gold", "Silver" or "Bronze"
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "score divided by zero (`return total / 0`)",
            edits: [edit("priority.lua", "  return total\nend", "  return total / 0\nend")],
            check: #"""
                rules/priority.lua:58: error: evaluate stops here: score(c) returned inf; expected a finite number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  an infinite score comes from a division by zero or a huge power: check the divisions
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: score(c) returned inf; expected a finite number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                  an infinite score comes from a division by zero or a huge power: check the divisions
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a factor recorded but not added (`factor(\"member\", …)` without `total = total +`)",
            edits: [edit("priority.lua", "    total = total + factor(\"member\", w.member", "    factor(\"member\", w.member")],
            check: #"""
                rules/priority.lua:58: error: evaluate stops here: score(c) returned 102 but its factors add up to 127: a factor was recorded but not added? (contract C-004 "Waste PFI - Energy from Waste facility", in score)
                  the factors recorded: value 30 + risk 32 + complexity 20 + strategic 20 + expiry 0 + member 25 = 127
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: score(c) returned 102 but its factors add up to 127: a factor was recorded but not added? (contract C-004 "Waste PFI - Energy from Waste facility", in score)
                  the factors recorded: value 30 + risk 32 + complexity 20 + strategic 20 + expiry 0 + member 25 = 127
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "infinite points (`factor(\"member\", math.huge, …)`)",
            edits: [edit("priority.lua", "factor(\"member\", w.member", "factor(\"member\", math.huge")],
            check: #"""
                rules/priority.lua:53: error: evaluate stops here: factor("member", points, text): the points are inf (infinite: a division by zero?); they must be a finite number (contract C-004 "Waste PFI - Energy from Waste facility", in score)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:53: factor("member", points, text): the points are inf (infinite: a division by zero?); they must be a finite number (contract C-004 "Waste PFI - Energy from Waste facility", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "register column misspelt with no near name (`c.extra.socail_value`)",
            edits: [edit("priority.lua", "  return total\nend", """
                  if (c.extra.socail_value or "") ~= "" then
                    total = total + factor("social value", 5, "social value commitments")
                  end
                  return total
                end
                """)],
            check: #"""
                rules/priority.lua:58: error: the register has no column 'socail_value' (its extra columns: award_date, kpi_count, notes, procurement_route, last_kpi_assessment)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/priority.lua:58: the register has no column 'socail_value' (its extra columns: award_date, kpi_count, notes, procurement_route, last_kpi_assessment) (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in score)
                """#, outcomeStatus: 2),
        SeededMistake(
            name: "a number in quotes in settings (`gold_value = \"10000000\"`)",
            edits: [edit("settings.lua", "gold_value   = 10000000,", "gold_value   = \"10000000\",")],
            check: #"""
                rules/tiering.lua:9: error: evaluate stops here: attempt to compare string with number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                rules: 1 error, 0 warnings
                """#, checkStatus: 2,
            outcome: #"""
                cmrg: rules/tiering.lua:9: attempt to compare string with number (contract C-001 "Schools PFI - Phase 1 (six secondary schools)", in tier)
                """#, outcomeStatus: 2),
    ]
}
