/// What `cmrg check` needs to know about one rule file, read off its syntax tree in every
/// branch without running it: the globals it uses, what it reads by name — settings paths
/// (`settings.tier.gold_value`, or `t.gold_value` after `local t = settings.tier`), contract
/// fields (`c.risk`), register columns (`c.extra.procurement_route`) — the settings keys it
/// defines, and the tiers `tier` returns.
struct LuaSourceFacts {
    struct Read: Equatable {
        /// `["tier", "gold_value"]` for `settings.tier.gold_value`; `["risk"]` for `c.risk`.
        var path: [String]
        var line: Int
        /// At the top level of the file: it runs while the pack loads.
        var atLoad = false
    }

    /// A value written without a name in a settings table that names its others:
    /// `gold_value = 10,000,000` is `gold_value = 10` and two more values, `0` and `0`.
    struct UnnamedSetting: Equatable {
        var path: [String]
        var line: Int
    }

    struct SettingsKey {
        /// From `settings`: `["settings", "tier", "gold_value"]`.
        var path: [String]
        var line: Int
    }

    struct TierReturn {
        var tier: String
        var line: Int
    }

    let tree: LuaSyntaxTree
    var globals: [LuaSyntaxTree.GlobalUse] { tree.globalUses }
    /// Settings paths read (without the leading `settings`).
    var settingsReads: [Read] = []
    /// `c.field` read (`c.extra.x` reads `extra`).
    var contractFields: [Read] = []
    /// `c.field = …` and `c.extra.x = …`.
    var contractWrites: [Read] = []
    /// `c.extra.NAME`, the path being `[NAME]`.
    var columns: [Read] = []
    var unnamedSettings: [UnnamedSetting] = []
    /// Keys defined at the top level by `settings = { … }` / `settings.a.b = …`.
    var settingsKeys: [SettingsKey] = []
    /// Settings tables read by computed key or iterated (`settings.weights[name]`,
    /// `pairs(settings.weights)`): any of their keys may be in use. From `settings`.
    var dynamicSettings: [[String]] = []
    /// Every field name read with `.name`, `:name` or `["name"]`, with how often.
    var fieldReads: [String: Int] = [:]
    var stringLiterals: Set<String> = []
    /// `return "Gold"` (a literal tier) directly inside a function named `tier`.
    var tierReturns: [TierReturn] = []

    private enum Root { case settings, contract }
    private var aliases: [Int: (Root, [String])] = [:]
    /// The function being walked; settings keys are defined only at the top level (0).
    private var function = 0

    /// The facts of `source`; nil when the text uses something the parser does not follow.
    static func analyse(_ source: String) -> LuaSourceFacts? {
        LuaTreeParser.parse(source).map(LuaSourceFacts.init)
    }

    init(_ tree: LuaSyntaxTree) {
        self.tree = tree
        var entryPoints = Set<Int>()
        for statement in tree.functions[0].body {
            if case .functionDefinition(.global(let name, _), let id) = statement.kind, ["tier", "score", "flags"].contains(name) {
                entryPoints.insert(id)
            }
        }
        for (id, f) in tree.functions.enumerated() {
            for (i, parameter) in f.parameters.enumerated() where tree.locals[parameter].name == "c" || (entryPoints.contains(id) && i == 0) {
                aliases[parameter] = (.contract, [])
            }
            if f.name == "tier" {
                for r in tree.returns(of: id) {
                    if case .literal(.string(let s))? = r.value, let tier = Tier(rawValue: s) {
                        tierReturns.append(TierReturn(tier: tier.rawValue, line: r.line))
                    }
                }
            }
        }
        for id in tree.functions.indices {
            function = id
            visit(tree.functions[id].body)
        }
    }

    // MARK: statements

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
            for (i, target) in targets.enumerated() {
                visitTarget(target, value: i < values.count ? values[i] : nil, line: statement.line)
            }
            values.forEach { visit($0) }
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
            visitTarget(target, value: nil, line: statement.line)
        case .returnValues(let values):
            values.forEach { visit($0) }
        }
    }

    /// An assignment target defines its last key: only what leads to it is read.
    private mutating func visitTarget(_ target: LuaExpression, value: LuaExpression?, line: Int) {
        if case .global("settings", _) = target, function == 0, case .table(let items)? = value {
            defineSettings(items, path: [])
        }
        guard case .index(let base, let key, let keyLine) = target else { return }
        if let (root, path, complete) = chain(target), complete {
            switch root {
            case .contract:
                contractWrites.append(Read(path: path, line: keyLine))
            case .settings where function == 0:
                settingsKeys.append(SettingsKey(path: ["settings"] + path, line: keyLine))
                if case .table(let items)? = value { defineSettings(items, path: path) }
            case .settings:
                break
            }
        }
        visit(base)
        if case .literal = key {} else { visit(key) }
    }

    // MARK: expressions

    private mutating func visit(_ e: LuaExpression) {
        if case .index = e, let (root, path, complete) = chain(e) {
            record(root, path, complete: complete, line: Self.line(of: e))
            visitKeys(e)
            return
        }
        switch e {
        case .literal(let literal):
            if case .string(let s) = literal { stringLiterals.insert(s) }
        case .varargs, .local, .global, .function:
            break
        case .index(let base, let key, _):
            if case .literal(.string(let name)) = key { fieldReads[name, default: 0] += 1 }
            visit(base); visit(key)
        case .call(let f, let arguments, _):
            if case .global(let name, _) = f, ["pairs", "ipairs", "next"].contains(name), let first = arguments.first,
               let (root, path, _) = chain(first), root == .settings {
                dynamicSettings.append(["settings"] + path)
            }
            visit(f); arguments.forEach { visit($0) }
        case .method(let object, let name, let arguments, _):
            fieldReads[name, default: 0] += 1
            visit(object); arguments.forEach { visit($0) }
        case .table(let items):
            for item in items {
                // a key (`name = …`) names a field; it is not a use of that name
                if let key = item.key, !Self.isStringLiteral(key) { visit(key) }
                visit(item.value)
            }
        case .operation(_, let operands):
            operands.forEach { visit($0) }
        case .parenthesized(let inner):
            visit(inner)
        }
    }

    /// The computed keys inside a chain (`settings.weights[name]`) are expressions of their own.
    private mutating func visitKeys(_ e: LuaExpression) {
        guard case .index(let base, let key, _) = e else { return }
        visitKeys(base)
        if case .literal(.string(let name)) = key { fieldReads[name, default: 0] += 1 } else { visit(key) }
    }

    private mutating func record(_ root: Root, _ path: [String], complete: Bool, line: Int) {
        switch root {
        case .settings:
            if !path.isEmpty { settingsReads.append(Read(path: path, line: line, atLoad: function == 0)) }
            if !complete { dynamicSettings.append(["settings"] + path) }
        case .contract:
            guard let field = path.first else { return }
            contractFields.append(Read(path: [field], line: line))
            if field == "extra", path.count > 1 { columns.append(Read(path: [path[1]], line: line)) }
        }
    }

    /// The keys of a top-level `settings… = { … }`, and values without a name beside named ones.
    private mutating func defineSettings(_ items: [LuaExpression.TableItem], path: [String]) {
        let named = items.contains { $0.key != nil }
        for item in items {
            guard let key = item.key else {
                if named { unnamedSettings.append(UnnamedSetting(path: path, line: item.line)) }
                continue
            }
            guard case .literal(.string(let name)) = key else { continue }
            settingsKeys.append(SettingsKey(path: ["settings"] + path + [name], line: item.line))
            if case .table(let inner) = item.value { defineSettings(inner, path: path + [name]) }
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

    private static func isStringLiteral(_ e: LuaExpression) -> Bool {
        if case .literal(.string) = e { return true }
        return false
    }

    private static func line(of e: LuaExpression) -> Int {
        if case .index(_, _, let line) = e { return line }
        return 0
    }
}
