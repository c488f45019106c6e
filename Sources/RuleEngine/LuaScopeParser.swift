/// A recursive-descent walk over Lua 5.4's grammar (after lparser.c) that tracks scopes
/// (`LuaScopes`) to tell locals from globals. It does not build a tree: it records
/// `LuaSourceFacts` as it goes.
final class LuaScopeParser {
    struct Stop: Error {}

    private let tokens: [LuaToken]
    private var position = 0
    private var scopes = LuaScopes()
    private var facts = LuaSourceFacts()

    init(tokens: [LuaToken]) { self.tokens = tokens }

    func parse() -> LuaSourceFacts? {
        do {
            try block()
            guard current.kind == .eof else { return nil }
            return facts
        } catch {
            return nil
        }
    }

    // MARK: tokens

    private var current: LuaToken { tokens[position] }
    private var next: LuaToken { tokens[min(position + 1, tokens.count - 1)] }
    private func advance() { if position < tokens.count - 1 { position += 1 } }
    private func check(_ text: String) -> Bool { (current.kind == .symbol || current.kind == .keyword) && current.text == text }
    private func accept(_ text: String) -> Bool {
        if check(text) { advance(); return true }
        return false
    }
    private func expect(_ text: String) throws(Stop) { if !accept(text) { throw Stop() } }
    private func name() throws(Stop) -> LuaToken {
        guard current.kind == .name else { throw Stop() }
        defer { advance() }
        return current
    }

    // MARK: names

    /// The settings path that tokens[range] spell exactly (`settings.a.b`, or `t.b` for a
    /// local alias `t` of `settings.a`), else nil.
    private func settingsPath(_ range: Range<Int>) -> [String]? {
        guard range.count % 2 == 1, tokens[range.lowerBound].kind == .name else { return nil }
        let base = tokens[range.lowerBound].text
        var path: [String]
        if let local = scopes.resolve(base) {
            guard let alias = local.settingsPath else { return nil }
            path = alias
        } else {
            guard base == "settings" else { return nil }
            path = ["settings"]
        }
        var i = range.lowerBound + 1
        while i < range.upperBound {
            guard tokens[i].kind == .symbol, tokens[i].text == ".", tokens[i + 1].kind == .name else { return nil }
            path.append(tokens[i + 1].text)
            i += 2
        }
        return path
    }
    private func useGlobal(_ token: LuaToken, write: Bool) {
        facts.globals.append(.init(name: token.text, line: token.line, isWrite: write, function: scopes.insideFunction,
                                   visibleLocals: scopes.visibleLocals()))
    }

    /// A name read as a value.
    private func read(_ token: LuaToken) {
        if scopes.resolve(token.text) == nil { useGlobal(token, write: false) }
    }

    // MARK: statements

    private func blockEnds() -> Bool {
        current.kind == .eof || check("end") || check("else") || check("elseif") || check("until")
    }

    private func block() throws(Stop) {
        while !blockEnds() {
            if check("return") {
                try returnStatement()
                return
            }
            try statement()
        }
    }

    private func scopedBlock() throws(Stop) {
        scopes.open()
        defer { scopes.close() }
        try block()
    }

    private func statement() throws(Stop) {
        let token = current
        switch (token.kind, token.text) {
        case (.symbol, ";"): advance()
        case (.symbol, "::"):
            advance(); _ = try name(); try expect("::")
        case (.keyword, "break"): advance()
        case (.keyword, "goto"): advance(); _ = try name()
        case (.keyword, "do"):
            advance(); try scopedBlock(); try expect("end")
        case (.keyword, "while"):
            advance(); try expression(); try expect("do"); try scopedBlock(); try expect("end")
        case (.keyword, "repeat"):
            advance()
            scopes.open() // `until` sees the body's locals
            try block()
            try expect("until")
            try expression()
            scopes.close()
        case (.keyword, "if"):
            advance(); try expression(); try expect("then"); try scopedBlock()
            while accept("elseif") { try expression(); try expect("then"); try scopedBlock() }
            if accept("else") { try scopedBlock() }
            try expect("end")
        case (.keyword, "for"):
            advance()
            let first = try name()
            if accept("=") {
                try expression(); try expect(",")
                try expression()
                if accept(",") { try expression() }
                try expect("do")
                scopes.open(); scopes.declare(first.text); try block(); scopes.close()
            } else {
                var names = [first.text]
                while accept(",") { names.append(try name().text) }
                try expect("in")
                try expressionList()
                try expect("do")
                scopes.open(); names.forEach { scopes.declare($0) }; try block(); scopes.close()
            }
            try expect("end")
        case (.keyword, "function"):
            advance()
            let base = try name()
            var path = [base.text]
            var isMethod = false
            while check(".") || check(":") {
                isMethod = check(":")
                advance()
                path.append(try name().text)
                if isMethod { break }
            }
            if path.count == 1 {
                if scopes.resolve(base.text) == nil { useGlobal(base, write: true) }
            } else {
                read(base)
                for field in path.dropFirst() { facts.fieldReads[field, default: 0] += 1 }
            }
            let global = path.count == 1 && scopes.resolve(base.text) == nil
            let entryPoint = global && (base.text == "tier" || base.text == "score")
            try functionBody(name: path.joined(separator: "."), method: isMethod, firstIsContract: entryPoint)
        case (.keyword, "local"):
            advance()
            if accept("function") {
                let local = try name()
                scopes.declare(local.text)
                try functionBody(name: local.text, method: false, firstIsContract: false)
            } else {
                var names: [String] = []
                repeat {
                    names.append(try name().text)
                    if accept("<") { _ = try name(); try expect(">") }
                } while accept(",")
                var alias: [String]?
                if accept("=") {
                    let start = position
                    try expressionList()
                    if names.count == 1 { alias = settingsPath(start..<position) }
                }
                names.forEach { scopes.declare($0, settingsPath: alias) }
            }
        default:
            try expressionStatement()
        }
    }

    private func returnStatement() throws(Stop) {
        advance()
        if scopes.innermostFunction == "tier", current.kind == .string, let tier = Tier(rawValue: current.text),
           next.kind == .eof || (next.kind == .symbol && next.text == ";") || ["end", "else", "elseif", "until"].contains(next.text) && next.kind == .keyword {
            facts.tierReturns.append(.init(tier: tier.rawValue, line: current.line))
        }
        if !blockEnds() && !check(";") { try expressionList() }
        _ = accept(";")
    }

    /// What an expression statement's first part turned out to be.
    private enum Target {
        case name(LuaToken)
        case contractField(String, LuaToken)
        case settingsPath([String], LuaToken)
        case other
    }

    private func expressionStatement() throws(Stop) {
        let first = try suffixedExpression()
        guard check("=") || check(",") else {
            noteRead(first) // a call statement (a bare name or field here is not valid Lua)
            return
        }
        var targets = [first]
        while accept(",") { targets.append(try suffixedExpression()) }
        try expect("=")
        var settingsTable: [String]? // `settings = { … }` / `settings.plan = { … }` at the top level
        for target in targets {
            switch target {
            case .name(let token):
                if scopes.resolve(token.text) == nil {
                    useGlobal(token, write: true)
                    if targets.count == 1 && token.text == "settings" && scopes.insideFunction == nil { settingsTable = ["settings"] }
                }
            case .contractField(let field, let token):
                facts.contractFields.append(.init(field: field, line: token.line, isWrite: true))
            case .settingsPath(let path, let token):
                if scopes.insideFunction == nil {
                    facts.settingsKeys.append(.init(path: path, line: token.line))
                    // the path's own fields are a definition here, not a use
                    for field in path.dropFirst() { facts.fieldReads[field, default: 1] -= 1 }
                    if targets.count == 1 { settingsTable = path }
                }
            case .other: break
            }
        }
        if let path = settingsTable, check("{") {
            try tableConstructor(path: path)
            while accept(",") { try expression() }
        } else {
            try expressionList()
        }
    }

    // MARK: expressions

    private func expressionList() throws(Stop) {
        try expression()
        while accept(",") { try expression() }
    }

    private static let unary: Set<String> = ["not", "-", "#", "~"]
    private static let binary: Set<String> = ["+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=",
                                              "and", "or", "&", "|", "~", "<<", ">>"]

    private func expression() throws(Stop) {
        while (current.kind == .symbol || current.kind == .keyword) && Self.unary.contains(current.text) { advance() }
        try simpleExpression()
        while (current.kind == .symbol || current.kind == .keyword) && Self.binary.contains(current.text) {
            advance()
            while (current.kind == .symbol || current.kind == .keyword) && Self.unary.contains(current.text) { advance() }
            try simpleExpression()
        }
    }

    private func simpleExpression() throws(Stop) {
        switch current.kind {
        case .number: advance()
        case .string: facts.stringLiterals.insert(current.text); advance()
        case .keyword where ["nil", "true", "false"].contains(current.text): advance()
        case .keyword where current.text == "function":
            advance()
            try functionBody(name: nil, method: false, firstIsContract: false)
        case .symbol where current.text == "...": advance()
        case .symbol where current.text == "{": try tableConstructor(path: nil)
        default:
            noteRead(try suffixedExpression())
        }
    }

    /// Records a suffixed expression used as a value.
    private func noteRead(_ target: Target) {
        switch target {
        case .name(let token): read(token)
        case .contractField(let field, let token): facts.contractFields.append(.init(field: field, line: token.line, isWrite: false))
        case .settingsPath, .other: break
        }
    }

    /// primaryexp { '.' Name | '[' exp ']' | ':' Name args | args }. A bare name is handed
    /// back unrecorded: only the caller knows whether it is read or assigned.
    private func suffixedExpression() throws(Stop) -> Target {
        var base: LuaToken?
        if current.kind == .name {
            base = current
            advance()
        } else if accept("(") {
            try expression()
            try expect(")")
        } else {
            throw Stop()
        }
        guard let baseToken = base, isSuffix else { return base.map(Target.name) ?? .other }

        read(baseToken)
        let local = scopes.resolve(baseToken.text)
        var path = local?.settingsPath ?? [baseToken.text]
        var plainPath = local == nil && baseToken.text == "settings"
        var knownPath = plainPath || local?.settingsPath != nil
        // pairs(settings.x) / ipairs(t) / next(t): every key of that table may be used.
        if local == nil, ["pairs", "ipairs", "next"].contains(baseToken.text), check("(") {
            var end = position + 1
            while end < tokens.count - 1, !(tokens[end].kind == .symbol && [")", ","].contains(tokens[end].text)) { end += 1 }
            if let iterated = settingsPath(position + 1..<end) { facts.dynamicSettings.append(iterated) }
        }
        var contractField: (String, LuaToken)?
        var suffixes = 0
        while isSuffix {
            suffixes += 1
            var field: LuaToken?
            if accept(".") {
                field = try name()
            } else if check("["), next.kind == .string, tokens[min(position + 2, tokens.count - 1)].text == "]" {
                advance()
                field = current
                facts.stringLiterals.insert(current.text)
                advance(); advance()
            } else if accept("[") {
                if knownPath { facts.dynamicSettings.append(path) } // settings.weights[name]
                try expression()
                try expect("]")
            } else if accept(":") {
                let method = try name()
                facts.fieldReads[method.text, default: 0] += 1
                try callArguments()
            } else {
                try callArguments()
            }
            if let field {
                facts.fieldReads[field.text, default: 0] += 1
                if suffixes == 1, local?.isContract == true { contractField = (field.text, field) }
                if plainPath || knownPath { path.append(field.text) }
            } else {
                plainPath = false
                knownPath = false
            }
        }
        if let (name, token) = contractField {
            if suffixes == 1 { return .contractField(name, token) }
            facts.contractFields.append(.init(field: name, line: token.line, isWrite: false)) // c.extra.x, c.f(...)
        }
        if plainPath, path.count > 1 { return .settingsPath(path, tokens[position - 1]) }
        return .other
    }

    private var isSuffix: Bool {
        current.kind == .string || check(".") || check("[") || check(":") || check("(") || check("{")
    }

    private func callArguments() throws(Stop) {
        if current.kind == .string {
            facts.stringLiterals.insert(current.text)
            advance()
        } else if check("{") {
            try tableConstructor(path: nil)
        } else {
            try expect("(")
            if !check(")") { try expressionList() }
            try expect(")")
        }
    }

    /// `{ … }`; with `path` (inside `settings = { … }`), named keys are recorded as settings.
    private func tableConstructor(path: [String]?) throws(Stop) {
        try expect("{")
        while !check("}") {
            if current.kind == .name && next.kind == .symbol && next.text == "=" {
                let key = current
                advance(); advance()
                if let path {
                    facts.settingsKeys.append(.init(path: path + [key.text], line: key.line))
                    if check("{") { try tableConstructor(path: path + [key.text]); try restOfExpression() } else { try expression() }
                } else {
                    try expression()
                }
            } else if accept("[") {
                let key = current
                try expression()
                try expect("]")
                try expect("=")
                if let path, key.kind == .string {
                    facts.settingsKeys.append(.init(path: path + [key.text], line: key.line))
                }
                try expression()
            } else {
                try expression()
            }
            if !accept(",") && !accept(";") { break }
        }
        try expect("}")
    }

    /// Binary operators after a table constructor already parsed as an operand.
    private func restOfExpression() throws(Stop) {
        while (current.kind == .symbol || current.kind == .keyword) && Self.binary.contains(current.text) {
            advance()
            while (current.kind == .symbol || current.kind == .keyword) && Self.unary.contains(current.text) { advance() }
            try simpleExpression()
        }
    }

    private func functionBody(name: String?, method: Bool, firstIsContract: Bool) throws(Stop) {
        scopes.enterFunction(name)
        defer { scopes.leaveFunction() }
        if method { scopes.declare("self") }
        try expect("(")
        var index = 0
        while !check(")") {
            if accept("...") { break }
            let parameter = try self.name()
            scopes.declare(parameter.text, contract: (firstIsContract && index == 0) || parameter.text == "c")
            index += 1
            if !accept(",") { break }
        }
        try expect(")")
        try block()
        try expect("end")
    }
}
