/// One rule file as a tree, with every name already resolved to the local it means (or a
/// global), for the luacheck-style warnings of `cmrg check`. Lines are kept, columns are
/// not: findings are reported as file:line.
struct LuaSyntaxTree {
    /// Functions by id; 0 is the file itself (its top level).
    var functions: [LuaFunction] = []
    /// Every local, argument and loop variable, by id.
    var locals: [LuaLocal] = []
    /// Whether the file uses `goto` (the flow checks then stay silent: labels make any
    /// statement reachable).
    var usesGoto = false
    /// Statements get ids 0..<statementCount (the flow check keys values by them).
    var statementCount = 0
    /// Every global read or assigned, in source order.
    var globalUses: [GlobalUse] = []

    struct GlobalUse {
        var name: String
        var line: Int
        var isWrite: Bool
        /// The function it is in; nil at the top level of the file (run once, at load).
        var function: String?
        /// Locals visible at that point, innermost first, for "did you mean …?".
        var visibleLocals: [String]
    }

    /// The `return` statements of function `id` (not those of functions inside it), with
    /// the first value each returns (nil for a bare `return`).
    func returns(of id: Int) -> [(line: Int, value: LuaExpression?)] {
        var out: [(line: Int, value: LuaExpression?)] = []
        func walk(_ block: [LuaStatement]) {
            for statement in block {
                switch statement.kind {
                case .returnValues(let values): out.append((statement.line, values.first))
                case .block(let body), .whileLoop(_, let body), .repeatLoop(let body, _),
                     .numericFor(_, _, let body), .genericFor(_, _, let body):
                    walk(body)
                case .ifChain(let branches, let otherwise):
                    branches.forEach { walk($0.body) }
                    walk(otherwise ?? [])
                default:
                    break
                }
            }
        }
        walk(functions[id].body)
        return out
    }
}

struct LuaLocal {
    enum Kind: Equatable { case variable, function, argument, loopVariable, implicitSelf }
    var name: String
    var line: Int
    var kind: Kind
    /// The function that declares it.
    var function: Int
    /// The local of the same name it hides, if any, and whether that one is in the same block.
    var hides: Int?
    var hidesInSameBlock = false
    /// Reads and assignments after its declaration.
    var reads = 0
    var writes = 0
    /// `t.k = v` with `t` this local.
    var mutations = 0
    /// Whether its declaration gives it a value (`local x` does not; arguments always do).
    var isSet = true
    /// Read or assigned from inside a nested function (its value may be read at any time).
    var captured = false
}

struct LuaFunction {
    /// `score`, `M.helper`, `value_points`; nil for an anonymous function.
    var name: String?
    var line: Int
    var parameters: [Int] = []
    /// The line of `...` when declared, and whether the body uses it.
    var varargsLine: Int?
    var usesVarargs = false
    var body: [LuaStatement] = []
    var endLine: Int = 0
}

indirect enum LuaExpression {
    enum Literal: Equatable { case nil_, boolean(Bool), number(String), string(String) }
    struct TableItem {
        /// `[k] = v` and `name = v` (a string key); nil for a list item.
        var key: LuaExpression?
        var value: LuaExpression
        var line: Int
    }

    case literal(Literal)
    case varargs
    case local(Int, line: Int)
    case global(String, line: Int)
    /// `t.k` (the key a string literal) and `t[k]`.
    case index(LuaExpression, LuaExpression, line: Int)
    case call(LuaExpression, [LuaExpression], line: Int)
    case method(LuaExpression, String, [LuaExpression], line: Int)
    /// A function expression, by id in `LuaSyntaxTree.functions`.
    case function(Int)
    case table([TableItem])
    /// A unary or binary operator and its operands.
    case operation(String, [LuaExpression])
    case parenthesized(LuaExpression)
}

struct LuaStatement {
    enum Kind {
        /// `local a, b = …`: the locals are in scope only after the values.
        case local([Int], [LuaExpression])
        case localFunction(Int, function: Int)
        case assignment([LuaExpression], [LuaExpression])
        case call(LuaExpression)
        case block([LuaStatement])
        case whileLoop(LuaExpression, [LuaStatement])
        /// The condition sees the body's locals.
        case repeatLoop([LuaStatement], LuaExpression)
        /// `if`/`elseif` conditions with their blocks, then the `else` block.
        case ifChain([(condition: LuaExpression, body: [LuaStatement])], otherwise: [LuaStatement]?)
        /// `for v = start, stop[, step]` (the limits are evaluated once, before the loop).
        case numericFor(Int, [LuaExpression], [LuaStatement])
        case genericFor([Int], [LuaExpression], [LuaStatement])
        /// `function a.b()` / `function name()` (not local): the target and the function id.
        case functionDefinition(LuaExpression, function: Int)
        case returnValues([LuaExpression])
        case breakLoop
        case goto
        case label
    }
    var id: Int
    var line: Int
    var kind: Kind
}
