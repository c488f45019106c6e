/// Where in the pack `tier` and `score` are written, so a bad result can name the line that
/// produced it: the `return` that gave it when it can be told (`return "gold"`, or the only
/// `return` there is), else the function's own line.
struct EntryPointSource {
    let file: String
    let tree: LuaSyntaxTree
    let function: Int

    /// The definition that wins: the last `function name(…)` / `name = function(…)` at the top
    /// level of the last file (in load order) that has one. Nil when the pack builds the
    /// function some other way.
    init?(_ name: String, in pack: RulePack) {
        for file in pack.files.reversed() {
            guard let tree = LuaTreeParser.parse(file.text) else { continue }
            for statement in tree.functions[0].body.reversed() {
                if let id = Self.definedFunction(statement, named: name) {
                    self.file = file.path
                    self.tree = tree
                    self.function = id
                    return
                }
            }
        }
        return nil
    }

    private static func definedFunction(_ statement: LuaStatement, named name: String) -> Int? {
        switch statement.kind {
        case .functionDefinition(.global(name, _), let id):
            return id
        case .assignment(let targets, let values):
            guard targets.count == 1, case .global(name, _) = targets[0], values.count == 1,
                  case .function(let id) = values[0] else { return nil }
            return id
        default:
            return nil
        }
    }

    var definition: RuleLocation { RuleLocation(file: file, line: tree.functions[function].line) }
    /// The line of the function's `end` (where it returns nothing by running off the end).
    var end: RuleLocation { RuleLocation(file: file, line: tree.functions[function].endLine) }

    /// The `return` that gave `literal` (a string or nil), else the only `return`, else the
    /// definition; a function with no `return "…"` of nil that returned nil ran off its end.
    func location(ofReturning literal: LuaExpression.Literal?) -> RuleLocation {
        let all = tree.returns(of: function)
        if let literal {
            let matching = all.filter { $0.value.map(Self.literal) ?? .nil_ == literal }
            if let first = matching.first { return RuleLocation(file: file, line: first.line) }
            if literal == .nil_ { return end }
        }
        if all.count == 1 { return RuleLocation(file: file, line: all[0].line) }
        return definition
    }

    private static func literal(_ e: LuaExpression) -> LuaExpression.Literal? {
        if case .literal(let l) = e { return l }
        return nil
    }
}
