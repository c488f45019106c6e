import Testing
import Portfolio
@testable import RuleEngine

@Suite struct RuleErrorTests {
    @Test func runtimeErrorNamesFileLineContractAndEntryPoint() throws {
        let p = try pack([
            "a.lua": "function tier(c) return 'Gold' end\n",
            "priority.lua": "function score(c)\n  local x = c.risk\n  return x < 3 and 1 or 0\nend\n",
        ])
        let e = try RuleEvaluator(pack: p, asOf: asOf)
        var c = contract("C-017", value: 1)
        c.title = "Waste Transfer Stations"
        #expect {
            _ = try e.evaluate(c)
        } throws: { error in
            let failure = error as! RuleError
            return failure.kind == .runtime && failure.description
                == "\(p.directory)/priority.lua:3: attempt to compare nil with number (contract C-017 \"Waste Transfer Stations\", in score)"
        }
    }

    @Test func missingTierIsNamed() throws {
        let p = try pack(["a.lua": "function score(c) return 1 end\n"])
        #expect {
            _ = try RuleEvaluator(pack: p, asOf: asOf)
        } throws: { error in
            (error as! RuleError).description == "the rule pack in '\(p.directory)' does not define a function tier(c)"
        }
    }

    @Test func badTierAndScoreReturnsAreRuleErrors() throws {
        let p = try pack(["a.lua": "function tier(c) return 'gold' end\nfunction score(c) return 0/0 end\n"])
        let e = try RuleEvaluator(pack: p, asOf: asOf)
        #expect {
            _ = try e.evaluate(contract("C-1", value: 1))
        } throws: { error in
            (error as! RuleError).description == """
                \(p.directory)/a.lua:1: tier(c) returned "gold" (contract C-1 "Contract C-1", in tier)
                  tier names are case-sensitive: "Gold", "Silver" or "Bronze"
                """
        }
        let q = try pack(["a.lua": "function tier(c) return 'Gold' end\nfunction score(c) return 0/0 end\n"])
        #expect {
            _ = try RuleEvaluator(pack: q, asOf: asOf).evaluate(contract("C-2", value: 1))
        } throws: { error in
            (error as! RuleError).description == """
                \(q.directory)/a.lua:2: score(c) returned NaN; expected a finite number (contract C-2 "Contract C-2", in score)
                  NaN (not a number) comes from 0/0 or from arithmetic on NaN: check the divisions and math.log of 0
                """
        }
    }

    @Test func syntaxErrorInPackIsALoadError() throws {
        let p = try pack(["a.lua": "function tier(c)\n  return 'Gold'\nend end\n"])
        #expect {
            _ = try RuleEvaluator(pack: p, asOf: asOf)
        } throws: { error in
            let f = error as! RuleError
            return f.kind == .load && f.location == RuleLocation(file: "\(p.directory)/a.lua", line: 3)
        }
    }

    @Test func endlessRuleIsStoppedWithALimitError() throws {
        let p = try pack(["a.lua": "function tier(c) while true do end end\nfunction score(c) return 1 end\n"])
        let e = try RuleEvaluator(pack: p, asOf: asOf)
        #expect {
            _ = try e.evaluate(contract("C-9", value: 1))
        } throws: { error in
            let f = error as! RuleError
            return f.kind == .limit && f.contractID == "C-9" && f.entryPoint == .tier
        }
    }

    @Test func nothingLeaksFromOneContractToTheNext() throws {
        let p = try pack(["a.lua": """
            seen = nil
            function tier(c) return 'Bronze' end
            function score(c)
              local before = seen
              seen = c.id
              return before == nil and 1 or 2
            end
            """])
        let e = try RuleEvaluator(pack: p, asOf: asOf)
        #expect(try e.evaluate(contract("A", value: 1)).score == 1)
        #expect(try e.evaluate(contract("B", value: 1)).score == 1)
    }

    @Test func contractViewIsReadOnly() throws {
        let p = try pack(["a.lua": "function tier(c) c.risk = 5 return 'Gold' end\nfunction score(c) return 1 end\n"])
        #expect {
            _ = try RuleEvaluator(pack: p, asOf: asOf).evaluate(contract("C-3", value: 1))
        } throws: { error in
            let f = error as! RuleError
            return f.kind == .runtime && f.message.contains("read-only") && f.location?.line == 1
        }
    }
}
