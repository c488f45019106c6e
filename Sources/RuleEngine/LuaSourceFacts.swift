/// What `cmrg check` needs to know about one rule file, found by parsing it with Lua's
/// scoping rules (a name is global exactly when no enclosing `local`, parameter or loop
/// variable declares it, so every global use is found, in every branch, without running it).
struct LuaSourceFacts {
    struct GlobalUse {
        var name: String
        var line: Int
        var isWrite: Bool
        /// The function it is in; nil at the top level of the file (run once, at load).
        var function: String?
        /// Locals visible at that point, for "did you mean …?".
        var visibleLocals: [String]
    }

    /// `c.field` where `c` is the contract: the parameter of `tier`/`score`, or any parameter
    /// named `c`.
    struct ContractField {
        var field: String
        var line: Int
        var isWrite: Bool
    }

    struct SettingsKey {
        var path: [String]
        var line: Int
    }

    struct TierReturn {
        var tier: String
        var line: Int
    }

    var globals: [GlobalUse] = []
    var contractFields: [ContractField] = []
    /// Every field name read with `.name`, `:name` or `["name"]`, with how often.
    var fieldReads: [String: Int] = [:]
    var stringLiterals: Set<String> = []
    /// Keys defined in top-level `settings = { … }` / `settings.a.b = …`.
    var settingsKeys: [SettingsKey] = []
    /// Settings tables read by key at run time (`pairs(settings.weights)`, `t[name]`): any
    /// of their keys may be in use.
    var dynamicSettings: [[String]] = []
    /// `return "Gold"` (a literal tier) directly inside `function tier`.
    var tierReturns: [TierReturn] = []

    /// Parses `source`; nil when the text uses something the analyser does not follow.
    static func analyse(_ source: String) -> LuaSourceFacts? {
        let parser = LuaScopeParser(tokens: LuaLexer.tokens(source))
        return parser.parse()
    }
}
