/// Legal but suspicious uses of locals, the most useful of luacheck's warnings: unused
/// locals, arguments, loop variables and functions, locals assigned or filled but never
/// read, read but never set, and a local hiding another of the same name. Each is a mistake
/// more often than a choice: a rule that computes a value and then returns another one.
enum LuaLint {
    struct Finding: Equatable {
        var line: Int
        var message: String
    }

    /// The warnings for one file, in line order.
    static func findings(_ tree: LuaSyntaxTree) -> [Finding] {
        var out = localFindings(tree)
        if !tree.usesGoto { out += ValueFlow.findings(tree) }
        return out.sorted { $0.line != $1.line ? $0.line < $1.line : $0.message < $1.message }
    }

    /// `_` is the usual name for a value one must take but does not want; luacheck also lets
    /// arguments and loop variables say so with a leading `_`.
    static func isPlaceholder(_ local: LuaLocal) -> Bool {
        local.name == "_" || (local.name.hasPrefix("_") && [.argument, .loopVariable].contains(local.kind))
    }

    private static func localFindings(_ tree: LuaSyntaxTree) -> [Finding] {
        var out: [Finding] = []
        for local in tree.locals where local.kind != .implicitSelf && !isPlaceholder(local) {
            let name = "'\(local.name)'"
            if local.reads <= 0 {
                let message: String
                if local.mutations > 0 {
                    message = "\(name) is filled in but never read"
                } else if local.writes > 0 {
                    message = "\(name) is assigned but never read"
                } else {
                    switch local.kind {
                    case .argument: message = "unused argument \(name)"
                    case .loopVariable: message = "unused loop variable \(name)"
                    case .function: message = "unused function \(name)"
                    default: message = "unused local \(name)"
                    }
                }
                out.append(Finding(line: local.line, message: message))
            } else if !local.isSet && local.writes == 0 {
                out.append(Finding(line: local.line, message: "\(name) is read but never set (it is always nil)"))
            }
            if let hidden = local.hides.map({ tree.locals[$0] }), hidden.name != "_" {
                let what = hidden.kind == .argument ? "the argument" : hidden.kind == .loopVariable ? "the loop variable" : "the local"
                out.append(Finding(line: local.line, message: local.hidesInSameBlock
                    ? "\(name) is declared again in the same block (\(what) \(name) of line \(hidden.line))"
                    : "\(name) hides \(what) \(name) of line \(hidden.line)"))
            }
        }
        for function in tree.functions where function.varargsLine != nil && function.varargsLine != 0 && !function.usesVarargs {
            out.append(Finding(line: function.varargsLine!, message: "unused variable arguments '...'"))
        }
        return out
    }
}
