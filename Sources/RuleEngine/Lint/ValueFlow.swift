/// Follows each function's paths to find values assigned to a local that no later read can
/// see (`total = total + …` on one branch, then `total = 0`), and statements no path reaches
/// (after an `if` whose every branch returns, after `while true` with no `break`).
///
/// The state on a path maps each local to the assignments whose value it may hold; a read
/// marks them used, an assignment replaces them; branches are merged, loops run until the
/// state stops growing. A local read or assigned inside a nested function may be read at
/// any time, so it is left out.
struct ValueFlow {
    /// One assignment site of one local.
    struct Site: Hashable {
        var local: Int
        /// The statement that assigns it; -1 for an argument's value.
        var statement: Int
    }

    private struct Value {
        var line: Int
        var isArgument: Bool
        var used = false
        var overwrittenAt: Int?
    }

    /// Local → the sites it may hold; nil when no path gets here.
    typealias State = [Int: Set<Site>]?

    private let tree: LuaSyntaxTree
    private var function = 0
    private var values: [Site: Value] = [:]
    private var breaks: [[State]] = []
    private var unreachable: [Int] = []

    static func findings(_ tree: LuaSyntaxTree) -> [LuaLint.Finding] {
        var flow = ValueFlow(tree: tree)
        for id in tree.functions.indices { flow.run(id) }
        var out = flow.unreachable.map { LuaLint.Finding(line: $0, message: "unreachable code: no path reaches this line") }
        for (site, value) in flow.values where !value.used {
            let local = tree.locals[site.local]
            guard local.reads > 0, !LuaLint.isPlaceholder(local) else { continue } // never read: reported as unused
            let name = "'\(local.name)'"
            if value.isArgument {
                guard let line = value.overwrittenAt else { continue }
                out.append(.init(line: value.line, message: "the argument \(name) is replaced on line \(line) before its value is used"))
            } else if let line = value.overwrittenAt {
                out.append(.init(line: value.line, message: "the value assigned to \(name) here is replaced on line \(line) before it is used"))
            } else {
                out.append(.init(line: value.line, message: "the value assigned to \(name) here is never used"))
            }
        }
        return out
    }

    private init(tree: LuaSyntaxTree) { self.tree = tree }

    private mutating func run(_ id: Int) {
        function = id
        var state: [Int: Set<Site>] = [:]
        let f = tree.functions[id]
        for parameter in f.parameters where tracked(parameter) {
            let site = Site(local: parameter, statement: -1)
            values[site] = Value(line: tree.locals[parameter].line, isArgument: true)
            state[parameter] = [site]
        }
        _ = execute(f.body, state)
    }

    private func tracked(_ local: Int) -> Bool {
        tree.locals[local].function == function && !tree.locals[local].captured
    }

    // MARK: statements

    private mutating func execute(_ block: [LuaStatement], _ entry: State) -> State {
        var state = entry
        for statement in block {
            guard state != nil else {
                if case .label = statement.kind {} else { unreachable.append(statement.line) }
                return nil
            }
            state = execute(statement, state)
        }
        return state
    }

    private mutating func execute(_ statement: LuaStatement, _ entry: State) -> State {
        var state = entry
        switch statement.kind {
        case .local(let locals, let expressions):
            expressions.forEach { read($0, &state) }
            for (i, local) in locals.enumerated() where tracked(local) {
                if tree.locals[local].isSet || i < expressions.count {
                    assign(local, at: statement, &state)
                } else {
                    state?[local] = []
                }
            }
        case .localFunction(let local, _):
            state?[local] = []
        case .assignment(let targets, let expressions):
            expressions.forEach { read($0, &state) }
            for target in targets {
                if case .local(let local, _) = target {
                    if tracked(local) { assign(local, at: statement, &state) }
                } else {
                    read(target, &state)
                }
            }
        case .call(let e):
            read(e, &state)
        case .block(let body):
            state = execute(body, state)
        case .ifChain(let branches, let otherwise):
            var ends: [State] = []
            for branch in branches {
                read(branch.condition, &state)
                ends.append(execute(branch.body, state))
            }
            ends.append(otherwise.map { execute($0, state) } ?? state)
            state = Self.join(ends)
        case .whileLoop(let condition, let body):
            let endless = Self.isTrue(condition)
            state = loop(from: state) { flow, head in
                var s = head
                flow.read(condition, &s)
                return (flow.execute(body, s), endless ? nil : s)
            }
        case .repeatLoop(let body, let condition):
            let endless = Self.isFalse(condition)
            let once = Self.isTrue(condition)
            state = loop(from: state) { flow, head in
                var s = flow.execute(body, head)
                flow.read(condition, &s)
                return (once ? nil : s, endless ? nil : s)
            }
        case .numericFor(let variable, let limits, let body):
            limits.forEach { read($0, &state) }
            state = loop(from: state) { flow, head in
                var s = head
                s?[variable] = []
                return (flow.execute(body, s), head)
            }
        case .genericFor(let variables, let iterators, let body):
            iterators.forEach { read($0, &state) }
            state = loop(from: state) { flow, head in
                var s = head
                for variable in variables { s?[variable] = [] }
                return (flow.execute(body, s), head)
            }
        case .functionDefinition(let target, _):
            if case .local(let local, _) = target { state?[local] = [] } else { read(target, &state) }
        case .returnValues(let expressions):
            expressions.forEach { read($0, &state) }
            state = nil
        case .breakLoop:
            if !breaks.isEmpty { breaks[breaks.count - 1].append(state) }
            state = nil
        case .goto, .label:
            break
        }
        return state
    }

    /// Runs a loop until the state at its head stops growing. `pass` runs the body once from
    /// the head and gives the state going round again and the state leaving normally.
    private mutating func loop(from entry: State, _ pass: (inout ValueFlow, State) -> (again: State, leaving: State)) -> State {
        var head = entry
        while true {
            breaks.append([])
            let (again, leaving) = pass(&self, head)
            let broke = breaks.removeLast()
            let next = Self.join([head, again])
            if Self.same(next, head) { return Self.join([leaving] + broke) }
            head = next
        }
    }

    private mutating func assign(_ local: Int, at statement: LuaStatement, _ state: inout State) {
        guard state != nil else { return }
        for old in state?[local] ?? [] where values[old]?.used == false && values[old]?.overwrittenAt == nil {
            values[old]?.overwrittenAt = statement.line
        }
        let site = Site(local: local, statement: statement.id)
        if values[site] == nil { values[site] = Value(line: statement.line, isArgument: false) }
        state?[local] = [site]
    }

    // MARK: expressions

    private mutating func read(_ e: LuaExpression, _ state: inout State) {
        switch e {
        case .local(let local, _):
            for site in state?[local] ?? [] { values[site]?.used = true }
        case .literal, .varargs, .global, .function:
            break
        case .index(let base, let key, _):
            read(base, &state); read(key, &state)
        case .call(let f, let arguments, _):
            read(f, &state); arguments.forEach { read($0, &state) }
        case .method(let object, _, let arguments, _):
            read(object, &state); arguments.forEach { read($0, &state) }
        case .table(let items):
            for item in items {
                if let key = item.key { read(key, &state) }
                read(item.value, &state)
            }
        case .operation(_, let operands):
            operands.forEach { read($0, &state) }
        case .parenthesized(let inner):
            read(inner, &state)
        }
    }

    // MARK: states

    private static func join(_ states: [State]) -> State {
        var out: [Int: Set<Site>]?
        for case let state? in states {
            out = (out ?? [:]).merging(state) { $0.union($1) }
        }
        return out
    }

    private static func same(_ a: State, _ b: State) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (a?, b?): a == b
        default: false
        }
    }

    private static func isTrue(_ e: LuaExpression) -> Bool {
        if case .literal(.boolean(true)) = e { return true }
        return false
    }

    private static func isFalse(_ e: LuaExpression) -> Bool {
        switch e {
        case .literal(.boolean(false)), .literal(.nil_): true
        default: false
        }
    }
}
