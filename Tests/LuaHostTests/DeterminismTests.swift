import Testing
@testable import LuaHost

/// A well-behaved script gives the same results on every call and in every fresh sandbox,
/// although Lua seeds its string hashing differently in each state.
@Suite struct DeterminismTests {
    static let script = """
        weights = {}
        for i, name in ipairs({"value", "risk", "complexity", "expiry", "member", "audit", "strategy",
                                "supplier", "category", "directorate", "lead", "history"}) do
          weights[name] = i / 7
        end
        function summary(seed)
          local names, total = {}, 0.0
          for name, w in pairs(weights) do
            names[#names + 1] = name
            total = total + w * seed   -- float sums depend on the order of addition
          end
          local scores = {}
          for i = 1, 200 do scores[i] = {id = "C-" .. i, s = (i * 7919) % 13} end
          table.sort(scores, function(a, b) return a.s > b.s end)  -- many ties
          local top = {}
          for i = 1, 20 do top[i] = scores[i].id end
          local words = {}
          for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[w] = (words[w] or 0) + 1 end
          local counted = {}
          for w, n in pairs(words) do counted[#counted + 1] = w .. "=" .. n end
          return table.concat(names, ","), string.format("%.17g", total), table.concat(top, ","),
            table.concat(counted, " "), math.floor(total * 1000) // 1
        end
        """

    func run(_ lua: LuaSandbox) throws -> [LuaValue] {
        try call(lua, "summary", "1.1")
    }

    @Test func sameResultsAcrossCallsAndFreshSandboxes() throws {
        var outputs: [[LuaValue]] = []
        for _ in 0..<8 {
            let lua = try LuaSandbox()
            try lua.run(Self.script, chunkName: "determinism.lua")
            try lua.seal()
            outputs.append(try run(lua))
            outputs.append(try run(lua))
            // keep strings from earlier sandboxes alive at other addresses: a different seed
            _ = try LuaSandbox()
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        #expect(outputs[0][0] == .string(
            "audit,category,complexity,directorate,expiry,history,lead,member,risk,strategy,supplier,value"))
        #expect(outputs[0][3] == .string("brown=1 dog=1 fox=1 jumps=1 lazy=1 over=1 quick=1 the=2"))
    }

    @Test func copiedTablesHaveAFixedOrder() throws {
        var copies: [LuaValue] = []
        for _ in 0..<8 {
            let lua = try LuaSandbox()
            try lua.run("t = {}\nfor i = 1, 50 do t['key' .. i] = i end", chunkName: "t.lua")
            copies.append(lua.global("t"))
        }
        #expect(copies.allSatisfy { $0 == copies[0] })
        #expect(copies[0].tableValue?.entries.first?.key == .string("key1"))
        #expect(copies[0].tableValue?.entries.last?.key == .string("key9"))
    }
}
