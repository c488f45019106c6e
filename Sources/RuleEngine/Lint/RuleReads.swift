/// What a rule file reads by name, found on its syntax tree in every branch: settings paths
/// (`settings.tier.gold_value`, or `t.gold_value` after `local t = settings.tier`), contract
/// fields (`c.risk`) and register columns (`c.extra.procurement_route`), so `cmrg check` can
/// hold each against what the pack and the register really have.
struct RuleReads {
    struct Read: Equatable {
        /// `["tier", "gold_value"]` for `settings.tier.gold_value`; `["risk"]` for `c.risk`.
        var path: [String]
        var line: Int
    }

    /// A value written without a name in a settings table that names its others:
    /// `gold_value = 10,000,000` is `gold_value = 10` and two more values, `0` and `0`.
    struct UnnamedSetting: Equatable {
        var path: [String]
        var line: Int
    }

    var settings: [Read] = []
    var contractFields: [Read] = []
    /// `c.extra.NAME`, the path being `[NAME]`.
    var columns: [Read] = []
    var unnamedSettings: [UnnamedSetting] = []

    private enum Root { case settings, contract }
    private var aliases: [Int: (Root, [String])] = [:]
    private let tree: LuaSyntaxTree

    init(_ tree: LuaSyntaxTree) {
        self.tree = tree
        for (id, function) in tree.functions.enumerated() {
            let isEntryPoint = tree.functions[0].body.contains { statement in
                if case .functionDefinition(.global(let name, _), id) = statement.kind { return name == "tier" || name == "score" }
                return false
            }
            for (i, parameter) in function.parameters.enumerated() where tree.locals[parameter].name == "c" || (isEntryPoint && i == 0) {
                aliases[parameter] = (.contract, [])
            }
        }
        for function in tree.functions { visit(function.body) }
    }

    // MARK: walking

    private mutating func visit(_ block: [LuaStatement]) {
        for statement in block { visit(statement) }
    }

    private mutating func visit(_ statement: LuaStatement) {
        switch statement.kind {
        case .local(let locals, let values):
            values.forEach { visit($0) }
            for (i, local) in locals.enumerated() where i < values.count && tree.locals[local].writes == 0 {
                if let (root, path, complete) = chain(values[i]), complete { aliases[local] = (root, path) }
            }
        case .localFunction, .breakLoop, .goto, .label:
            break
        case .assignment(let targets, let values):
            for target in targets { visitTarget(target) }
            for (i, value) in values.enumerated() {
                if i < targets.count, case .table(let items) = value, let (root, path, complete) = chain(targets[i]),
                   root == .settings, complete {
                    noteUnnamed(items, path: path)
                }
                visit(value)
            }
        case .call(let e):
            visit(e)
        case .block(let body):
            visit(body)
        case .whileLoop(let condition, let body):
            visit(condition); visit(body)
        case .repeatLoop(let body, let condition):
            visit(body); visit(condition)
        case .ifChain(let branches, let otherwise):
            for branch in branches { visit(branch.condition); visit(branch.body) }
            visit(otherwise ?? [])
        case .numericFor(_, let limits, let body):
            limits.forEach { visit($0) }; visit(body)
        case .genericFor(_, let iterators, let body):
            iterators.forEach { visit($0) }; visit(body)
        case .functionDefinition(let target, _):
            visitTarget(target)
        case .returnValues(let values):
            values.forEach { visit($0) }
        }
    }

    /// An assignment target defines its last key: only what leads to it is read.
    private mutating func visitTarget(_ target: LuaExpression) {
        if case .index(let base, let key, _) = target {
            visit(base)
            visit(key)
        }
    }

    private mutating func visit(_ e: LuaExpression) {
        if let (root, path, _) = chain(e), case .index = e {
            record(root, path, line: Self.line(of: e))
            visitKeys(e)
            return
        }
        switch e {
        case .literal, .varargs, .local, .global, .function:
            break
        case .index(let base, let key, _):
            visit(base); visit(key)
        case .call(let f, let arguments, _):
            visit(f); arguments.forEach { visit($0) }
        case .method(let object, _, let arguments, _):
            visit(object); arguments.forEach { visit($0) }
        case .table(let items):
            for item in items {
                if let key = item.key { visit(key) }
                visit(item.value)
            }
        case .operation(_, let operands):
            operands.forEach { visit($0) }
        case .parenthesized(let inner):
            visit(inner)
        }
    }

    /// The dynamic keys inside a chain (`settings.weights[name]`) are expressions of their own.
    private mutating func visitKeys(_ e: LuaExpression) {
        guard case .index(let base, let key, _) = e else { return }
        visitKeys(base)
        if case .literal = key {} else { visit(key) }
    }

    private mutating func record(_ root: Root, _ path: [String], line: Int) {
        switch root {
        case .settings:
            if !path.isEmpty { settings.append(Read(path: path, line: line)) }
        case .contract:
            guard let field = path.first else { return }
            if field == "extra", path.count > 1 {
                columns.append(Read(path: [path[1]], line: line))
            } else {
                contractFields.append(Read(path: [field], line: line))
            }
        }
    }

    private mutating func noteUnnamed(_ items: [LuaExpression.TableItem], path: [String]) {
        let named = items.contains { $0.key != nil }
        for item in items {
            if item.key == nil, named { unnamedSettings.append(UnnamedSetting(path: path, line: item.line)) }
            if let key = item.key, case .literal(.string(let name)) = key, case .table(let inner) = item.value {
                noteUnnamed(inner, path: path + [name])
            }
        }
    }

    /// `settings.a.b` / `alias.b` / `c.extra.x`: the root, the string keys, and whether every
    /// key is a string literal (else the path stops before the first computed key).
    private func chain(_ e: LuaExpression) -> (Root, [String], complete: Bool)? {
        switch e {
        case .global("settings", _):
            return (.settings, [], true)
        case .local(let id, _):
            return aliases[id].map { ($0.0, $0.1, true) }
        case .index(let base, let key, _):
            guard let (root, path, complete) = chain(base) else { return nil }
            guard complete else { return (root, path, false) }
            if case .literal(.string(let name)) = key { return (root, path + [name], true) }
            return (root, path, false)
        default:
            return nil
        }
    }

    private static func line(of e: LuaExpression) -> Int {
        if case .index(_, _, let line) = e { return line }
        return 0
    }
}
