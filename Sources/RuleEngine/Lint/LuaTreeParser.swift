/// Builds a `LuaSyntaxTree` from a rule file by recursive descent over Lua 5.4's grammar
/// (after lparser.c), resolving each name to its local as it goes (Lua's scoping rules: a
/// name is global exactly when no enclosing `local`, argument or loop variable declares it).
/// Operator precedence is not kept: the checks built on the tree only need which names an
/// expression reads. The file has compiled already, so anything unexpected just stops.
struct LuaTreeParser {
    struct Stop: Error {}

    private let tokens: [LuaToken]
    private var position = 0
    private var tree = LuaSyntaxTree()
    /// Blocks of local ids, innermost last.
    private var scopes: [[Int]] = [] { didSet { visible = nil } }
    /// The visible locals as last worked out, valid until the scopes change: every global use
    /// between two changes shares one array, so memory grows with the changes, not the uses.
    private var visible: [String]?
    /// Names all those arrays hold; past `maxVisibleNames` uses get none (only "did you mean"
    /// suggestions are lost), so the analyser's memory stays bounded.
    private var visibleNames = 0
    static let maxVisibleNames = 1_000_000
    /// Ids of the enclosing functions, innermost last.
    private var functionStack: [Int] = []

    /// The tree of `source`; nil when the text uses something the parser does not follow.
    static func parse(_ source: String) -> LuaSyntaxTree? {
        var parser = LuaTreeParser(tokens: LuaLexer.tokens(source))
        return try? parser.chunk()
    }

    private init(tokens: [LuaToken]) { self.tokens = tokens }

    private mutating func chunk() throws(Stop) -> LuaSyntaxTree {
        tree.functions.append(LuaFunction(name: nil, line: 1))
        tree.functions[0].varargsLine = 0 // a chunk is a vararg function
        functionStack = [0]
        scopes = [[]]
        let body = try block()
        guard current.kind == .eof else { throw Stop() }
        tree.functions[0].body = body
        tree.functions[0].endLine = current.line
        return tree
    }

    // MARK: tokens

    private var current: LuaToken { tokens[position] }
    private var next: LuaToken { tokens[min(position + 1, tokens.count - 1)] }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }
    private func check(_ text: String) -> Bool {
        (current.kind == .symbol || current.kind == .keyword) && current.text == text
    }
    private mutating func accept(_ text: String) -> Bool {
        guard check(text) else { return false }
        advance()
        return true
    }
    private mutating func expect(_ text: String) throws(Stop) { if !accept(text) { throw Stop() } }
    private mutating func name() throws(Stop) -> LuaToken {
        guard current.kind == .name else { throw Stop() }
        defer { advance() }
        return current
    }

    // MARK: names

    private var function: Int { functionStack[functionStack.count - 1] }

    private func resolve(_ name: String) -> Int? {
        for scope in scopes.reversed() {
            if let id = scope.last(where: { tree.locals[$0].name == name }) { return id }
        }
        return nil
    }

    @discardableResult
    private mutating func declare(_ token: LuaToken, _ kind: LuaLocal.Kind) -> Int {
        var local = LuaLocal(name: token.text, line: token.line, kind: kind, function: function)
        if let hidden = resolve(token.text) {
            local.hides = hidden
            local.hidesInSameBlock = scopes[scopes.count - 1].contains(hidden)
        }
        tree.locals.append(local)
        let id = tree.locals.count - 1
        scopes[scopes.count - 1].append(id)
        return id
    }

    /// A name as an expression (not yet counted as a read or a write).
    private func reference(_ token: LuaToken) -> LuaExpression {
        resolve(token.text).map { .local($0, line: token.line) } ?? .global(token.text, line: token.line)
    }

    private mutating func noteRead(_ e: LuaExpression) {
        if case .global(let name, let line) = e { noteGlobal(name, line: line, write: false) }
        guard case .local(let id, _) = e else { return }
        tree.locals[id].reads += 1
        if tree.locals[id].function != function { tree.locals[id].captured = true }
    }

    private mutating func noteWrite(_ e: LuaExpression) {
        if case .global(let name, let line) = e { noteGlobal(name, line: line, write: true) }
        guard case .local(let id, _) = e else { return }
        tree.locals[id].writes += 1
        if tree.locals[id].function != function { tree.locals[id].captured = true }
    }

    private mutating func visibleLocals() -> [String] {
        if let visible { return visible }
        var seen = Set<String>()
        var names = scopes.reversed().flatMap { $0.reversed().map { tree.locals[$0].name } }.filter { seen.insert($0).inserted }
        if visibleNames + names.count > Self.maxVisibleNames { names = [] }
        visibleNames += names.count
        visible = names
        return names
    }

    private mutating func noteGlobal(_ name: String, line: Int, write: Bool) {
        let visible = visibleLocals()
        let inside = functionStack.count > 1 ? (tree.functions[function].name ?? "function") : nil
        tree.globalUses.append(.init(name: name, line: line, isWrite: write, function: inside, visibleLocals: visible))
    }

    // MARK: statements

    private func blockEnds() -> Bool {
        current.kind == .eof || check("end") || check("else") || check("elseif") || check("until")
    }

    private mutating func block() throws(Stop) -> [LuaStatement] {
        var statements: [LuaStatement] = []
        while !blockEnds() {
            if check("return") {
                let line = current.line
                advance()
                var values: [LuaExpression] = []
                if !blockEnds() && !check(";") { values = try expressionList() }
                _ = accept(";")
                statements.append(made(line, .returnValues(values)))
                break
            }
            if let statement = try statement() { statements.append(statement) }
        }
        return statements
    }

    /// A statement with the next id.
    private mutating func made(_ line: Int, _ kind: LuaStatement.Kind) -> LuaStatement {
        tree.statementCount += 1
        return LuaStatement(id: tree.statementCount - 1, line: line, kind: kind)
    }

    private mutating func scopedBlock() throws(Stop) -> [LuaStatement] {
        scopes.append([])
        defer { scopes.removeLast() }
        return try block()
    }

    private mutating func statement() throws(Stop) -> LuaStatement? {
        let line = current.line
        func made(_ kind: LuaStatement.Kind) -> LuaStatement { self.made(line, kind) }
        switch (current.kind, current.text) {
        case (.symbol, ";"):
            advance()
            return nil
        case (.symbol, "::"):
            advance(); _ = try name(); try expect("::")
            tree.usesGoto = true
            return made(.label)
        case (.keyword, "break"):
            advance()
            return made(.breakLoop)
        case (.keyword, "goto"):
            advance(); _ = try name()
            tree.usesGoto = true
            return made(.goto)
        case (.keyword, "do"):
            advance()
            let body = try scopedBlock()
            try expect("end")
            return made(.block(body))
        case (.keyword, "while"):
            advance()
            let condition = try expression()
            try expect("do")
            let body = try scopedBlock()
            try expect("end")
            return made(.whileLoop(condition, body))
        case (.keyword, "repeat"):
            advance()
            scopes.append([]) // `until` sees the body's locals
            defer { scopes.removeLast() }
            let body = try block()
            try expect("until")
            return made(.repeatLoop(body, try expression()))
        case (.keyword, "if"):
            advance()
            var branches: [(condition: LuaExpression, body: [LuaStatement])] = []
            repeat {
                let condition = try expression()
                try expect("then")
                branches.append((condition, try scopedBlock()))
            } while accept("elseif")
            let otherwise = accept("else") ? try scopedBlock() : nil
            try expect("end")
            return made(.ifChain(branches, otherwise: otherwise))
        case (.keyword, "for"):
            advance()
            return try forStatement(line: line)
        case (.keyword, "function"):
            advance()
            let base = try name()
            var target = reference(base)
            var fullName = base.text
            var isMethod = false
            while check(".") || check(":") {
                isMethod = check(":")
                advance()
                noteRead(target)
                let key = try name()
                fullName += (isMethod ? ":" : ".") + key.text
                target = .index(target, .literal(.string(key.text)), line: key.line)
                if isMethod { break }
            }
            noteWrite(target)
            let id = try functionBody(name: fullName, line: line, method: isMethod)
            return made(.functionDefinition(target, function: id))
        case (.keyword, "local"):
            advance()
            if accept("function") {
                let token = try name()
                let local = declare(token, .function) // in scope inside its own body (recursion)
                let id = try functionBody(name: token.text, line: line, method: false)
                return made(.localFunction(local, function: id))
            }
            var names: [LuaToken] = []
            repeat {
                names.append(try name())
                if accept("<") { _ = try name(); try expect(">") }
            } while accept(",")
            let values = accept("=") ? try expressionList() : []
            let ids = names.map { declare($0, .variable) }
            // `local a, b = f()` sets both; `local a, b = 1` leaves b nil, like `local b`.
            let spreads: Bool
            switch values.last { case .call?, .method?, .varargs?: spreads = true; default: spreads = false }
            for (i, id) in ids.enumerated() {
                tree.locals[id].isSet = i < values.count || (spreads && !values.isEmpty)
                if i < values.count, case .function = values[i] { tree.locals[id].kind = .function }
            }
            return made(.local(ids, values))
        default:
            return try expressionStatement(line: line)
        }
    }

    private mutating func forStatement(line: Int) throws(Stop) -> LuaStatement {
        let first = try name()
        if accept("=") {
            var limits = [try expression()]
            try expect(",")
            limits.append(try expression())
            if accept(",") { limits.append(try expression()) }
            try expect("do")
            scopes.append([])
            defer { scopes.removeLast() }
            let variable = declare(first, .loopVariable)
            let body = try block()
            try expect("end")
            return made(line, .numericFor(variable, limits, body))
        }
        var names = [first]
        while accept(",") { names.append(try name()) }
        try expect("in")
        let iterators = try expressionList()
        try expect("do")
        scopes.append([])
        defer { scopes.removeLast() }
        let variables = names.map { declare($0, .loopVariable) }
        let body = try block()
        try expect("end")
        return made(line, .genericFor(variables, iterators, body))
    }

    private mutating func expressionStatement(line: Int) throws(Stop) -> LuaStatement {
        let first = try suffixedExpression()
        guard check("=") || check(",") else {
            switch first {
            case .call, .method: return made(line, .call(first))
            default: throw Stop() // not valid Lua
            }
        }
        var targets = [first]
        while accept(",") { targets.append(try suffixedExpression()) }
        try expect("=")
        let values = try expressionList()
        for target in targets {
            noteWrite(target)
            // `t.k = v` changes the table t holds: not a read of t.
            if case .index(.local(let id, _), _, _) = target {
                tree.locals[id].reads -= 1
                tree.locals[id].mutations += 1
            }
        }
        return made(line, .assignment(targets, values))
    }

    // MARK: expressions

    private mutating func expressionList() throws(Stop) -> [LuaExpression] {
        var list = [try expression()]
        while accept(",") { list.append(try expression()) }
        return list
    }

    private static let unary: Set<String> = ["not", "-", "#", "~"]
    private static let binary: Set<String> = ["+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=",
                                              "and", "or", "&", "|", "~", "<<", ">>"]
    private func isOperator(_ set: Set<String>) -> Bool {
        (current.kind == .symbol || current.kind == .keyword) && set.contains(current.text)
    }

    private mutating func expression() throws(Stop) -> LuaExpression {
        var result = try operand()
        while isOperator(Self.binary) {
            let op = current.text
            advance()
            result = .operation(op, [result, try operand()])
        }
        return result
    }

    private mutating func operand() throws(Stop) -> LuaExpression {
        if isOperator(Self.unary) {
            let op = current.text
            advance()
            return .operation(op, [try operand()])
        }
        return try simpleExpression()
    }

    private mutating func simpleExpression() throws(Stop) -> LuaExpression {
        let token = current
        switch token.kind {
        case .number:
            advance()
            return .literal(.number(token.text))
        case .string:
            advance()
            return .literal(.string(token.text))
        case .keyword where token.text == "nil": advance(); return .literal(.nil_)
        case .keyword where token.text == "true": advance(); return .literal(.boolean(true))
        case .keyword where token.text == "false": advance(); return .literal(.boolean(false))
        case .keyword where token.text == "function":
            advance()
            return .function(try functionBody(name: nil, line: token.line, method: false))
        case .symbol where token.text == "...":
            advance()
            tree.functions[function].usesVarargs = true
            return .varargs
        case .symbol where token.text == "{":
            return try tableConstructor()
        default:
            let e = try suffixedExpression()
            noteRead(e)
            return e
        }
    }

    /// primaryexp { '.' Name | '[' exp ']' | ':' Name args | args }. A bare name comes back
    /// uncounted: only the caller knows whether it is read or assigned.
    private mutating func suffixedExpression() throws(Stop) -> LuaExpression {
        var e: LuaExpression
        if current.kind == .name {
            e = reference(current)
            advance()
        } else if accept("(") {
            e = .parenthesized(try expression())
            try expect(")")
        } else {
            throw Stop()
        }
        while true {
            let line = current.line
            if accept(".") {
                noteRead(e)
                e = .index(e, .literal(.string(try name().text)), line: line)
            } else if accept("[") {
                noteRead(e)
                let key = try expression()
                try expect("]")
                e = .index(e, key, line: line)
            } else if accept(":") {
                noteRead(e)
                let method = try name()
                e = .method(e, method.text, try callArguments(), line: line)
            } else if current.kind == .string || check("(") || check("{") {
                noteRead(e)
                e = .call(e, try callArguments(), line: line)
            } else {
                return e
            }
        }
    }

    private mutating func callArguments() throws(Stop) -> [LuaExpression] {
        if current.kind == .string {
            defer { advance() }
            return [.literal(.string(current.text))]
        }
        if check("{") { return [try tableConstructor()] }
        try expect("(")
        let arguments = check(")") ? [] : try expressionList()
        try expect(")")
        return arguments
    }

    private mutating func tableConstructor() throws(Stop) -> LuaExpression {
        try expect("{")
        var items: [LuaExpression.TableItem] = []
        while !check("}") {
            let line = current.line
            if current.kind == .name && next.kind == .symbol && next.text == "=" {
                let key = current.text
                advance(); advance()
                items.append(.init(key: .literal(.string(key)), value: try expression(), line: line))
            } else if accept("[") {
                let key = try expression()
                try expect("]")
                try expect("=")
                items.append(.init(key: key, value: try expression(), line: line))
            } else {
                items.append(.init(key: nil, value: try expression(), line: line))
            }
            if !accept(",") && !accept(";") { break }
        }
        try expect("}")
        return .table(items)
    }

    private mutating func functionBody(name: String?, line: Int, method: Bool) throws(Stop) -> Int {
        tree.functions.append(LuaFunction(name: name, line: line))
        let id = tree.functions.count - 1
        functionStack.append(id)
        scopes.append([])
        defer {
            scopes.removeLast()
            functionStack.removeLast()
        }
        if method { declare(LuaToken(kind: .name, text: "self", line: line, column: 0), .implicitSelf) }
        try expect("(")
        var parameters: [Int] = []
        while !check(")") {
            if check("...") {
                tree.functions[id].varargsLine = current.line
                advance()
                break
            }
            parameters.append(declare(try self.name(), .argument))
            if !accept(",") { break }
        }
        try expect(")")
        let body = try block()
        tree.functions[id].endLine = current.line
        try expect("end")
        tree.functions[id].parameters = parameters
        tree.functions[id].body = body
        return id
    }
}
